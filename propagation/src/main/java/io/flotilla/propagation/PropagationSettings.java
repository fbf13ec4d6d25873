package io.flotilla.propagation;

import java.time.Duration;
import java.util.Objects;

/**
 * How the propagation engine runs.
 *
 * @param workers templates reconciled in parallel
 * @param resync every template is reconciled at least this often, whatever happened (drift on a
 *     member whose watch was down is caught here)
 * @param retryInitial the first retry delay after a failed pass; doubles up to {@code retryMax}
 */
public record PropagationSettings(
    int workers, Duration resync, Duration retryInitial, Duration retryMax) {
  public static final PropagationSettings DEFAULTS =
      new PropagationSettings(
          4, Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(30));

  public PropagationSettings {
    Objects.requireNonNull(resync, "resync");
    Objects.requireNonNull(retryInitial, "retryInitial");
    Objects.requireNonNull(retryMax, "retryMax");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    if (resync.isNegative() || resync.isZero()) {
      throw new IllegalArgumentException("resync must be positive, got " + resync);
    }
    if (retryInitial.isNegative()
        || retryInitial.isZero()
        || retryMax.compareTo(retryInitial) < 0) {
      throw new IllegalArgumentException(
          "retry delays must be positive with retryMax >= retryInitial, got "
              + retryInitial
              + " and "
              + retryMax);
    }
  }
}
