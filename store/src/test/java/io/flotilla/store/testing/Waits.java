package io.flotilla.store.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.awaitility.core.ConditionFactory;

/** Awaitility as store tests use it: look at once, then often, and give up after a while. */
public final class Waits {
  /** How long a wait lasts before it fails. */
  public static final Duration PATIENCE = Duration.ofSeconds(20);

  private Waits() {}

  /** Waits until a condition holds. */
  public static ConditionFactory eventually() {
    return await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
  }

  /**
   * Checks that a condition holds throughout {@code window}: for what can only be shown by nothing
   * happening (a closed watch's handler is not called again).
   */
  public static ConditionFactory throughout(Duration window) {
    return await()
        .during(window)
        .atMost(window.plus(PATIENCE))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10));
  }
}
