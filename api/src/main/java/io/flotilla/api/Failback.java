package io.flotilla.api;

import java.util.Objects;

/**
 * Whether replicas moved away from a lost member cluster go back to it once it returns. Moving back
 * is the user's decision: by default they never do; with {@link Policy#WHEN_READY} the controller
 * places onto a returned cluster again once it has been Ready for {@code readyForSeconds} (and its
 * stale instances have been fenced), so that a flapping cluster does not take replicas back.
 *
 * @param readyForSeconds how long a returned cluster must have been Ready, for WhenReady
 */
public record Failback(Policy policy, int readyForSeconds) {
  public static final int DEFAULT_READY_FOR_SECONDS = 600;
  public static final Failback NEVER = new Failback(Policy.NEVER, DEFAULT_READY_FOR_SECONDS);

  public Failback {
    Objects.requireNonNull(policy, "policy");
    if (readyForSeconds < 0) {
      throw new IllegalArgumentException("readyForSeconds must be >= 0, got " + readyForSeconds);
    }
  }

  /** The failback policies, spelled as in the spec. */
  public enum Policy {
    NEVER("Never"),
    WHEN_READY("WhenReady");

    private final String id;

    Policy(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }
}
