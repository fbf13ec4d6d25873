package io.flotilla.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The outcome of one health probe: ok, or the reason and a message for people. */
public record ProbeResult(Optional<FailureReason> failure, String message, Duration latency) {
  public ProbeResult {
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(latency, "latency");
  }

  public static ProbeResult ok(Duration latency) {
    return new ProbeResult(Optional.empty(), "", latency);
  }

  public static ProbeResult failed(FailureReason reason, String message, Duration latency) {
    return new ProbeResult(Optional.of(reason), message, latency);
  }

  public boolean ok() {
    return failure.isEmpty();
  }
}
