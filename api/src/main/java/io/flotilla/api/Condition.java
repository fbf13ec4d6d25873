package io.flotilla.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A status condition. {@code reason} is a CamelCase word; {@code message} is for people. */
public record Condition(
    String type,
    ConditionStatus status,
    String reason,
    String message,
    Optional<Instant> lastTransitionTime,
    Optional<Instant> lastHeartbeatTime) {
  public Condition {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(lastTransitionTime, "lastTransitionTime");
    Objects.requireNonNull(lastHeartbeatTime, "lastHeartbeatTime");
  }

  public boolean isTrue() {
    return status == ConditionStatus.True;
  }
}
