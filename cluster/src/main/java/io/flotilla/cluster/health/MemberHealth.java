package io.flotilla.cluster.health;

import io.flotilla.cluster.FailureReason;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A member's health as its MemberCluster's Ready condition shows it.
 *
 * @param ready the member answers its probes
 * @param reason {@link #HEALTHY} when ready, else the last failure's {@link
 *     FailureReason#conditionReason()}
 * @param message what happened, for people
 * @param lastProbeTime when the last probe counted here started
 * @param lastHeartbeatTime when the last successful probe started; empty if none ever succeeded
 * @param lastTransitionTime when {@code ready} last changed (or was first decided)
 */
public record MemberHealth(
    boolean ready,
    String reason,
    String message,
    Instant lastProbeTime,
    Optional<Instant> lastHeartbeatTime,
    Instant lastTransitionTime) {
  /** The reason of a ready member. */
  public static final String HEALTHY = "Healthy";

  public MemberHealth {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(lastProbeTime, "lastProbeTime");
    Objects.requireNonNull(lastHeartbeatTime, "lastHeartbeatTime");
    Objects.requireNonNull(lastTransitionTime, "lastTransitionTime");
    if (ready != HEALTHY.equals(reason)) {
      throw new IllegalArgumentException(
          "a member's health reason is "
              + HEALTHY
              + " exactly when it is ready, got ready="
              + ready
              + ", reason="
              + reason);
    }
  }

  public static MemberHealth ready(
      String message,
      Instant lastProbeTime,
      Instant lastHeartbeatTime,
      Instant lastTransitionTime) {
    return new MemberHealth(
        true, HEALTHY, message, lastProbeTime, Optional.of(lastHeartbeatTime), lastTransitionTime);
  }

  public static MemberHealth notReady(
      FailureReason reason,
      String message,
      Instant lastProbeTime,
      Optional<Instant> lastHeartbeatTime,
      Instant lastTransitionTime) {
    return new MemberHealth(
        false,
        reason.conditionReason(),
        message,
        lastProbeTime,
        lastHeartbeatTime,
        lastTransitionTime);
  }
}
