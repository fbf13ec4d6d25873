package io.flotilla.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls a live middleware until a condition holds or a deadline on the clock passes. */
final class Poll {
  private final Clock clock;
  private final Duration interval;

  Poll(Clock clock, Duration interval) {
    this.clock = clock;
    this.interval = interval;
  }

  /**
   * Asks {@code value} until it gives something, for up to {@code timeout}.
   *
   * @throws MembershipException naming the middleware, the operation and what was awaited
   */
  <T> T until(
      String middleware,
      String operation,
      String what,
      Duration timeout,
      Supplier<Optional<T>> value) {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      Optional<T> v = value.get();
      if (v.isPresent()) {
        return v.get();
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new MembershipException(
            middleware,
            operation,
            "timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MembershipException(middleware, operation, "interrupted", e);
      }
    }
  }
}
