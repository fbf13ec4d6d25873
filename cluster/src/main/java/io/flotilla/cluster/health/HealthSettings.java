package io.flotilla.cluster.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How members are watched over.
 *
 * @param interval the time between two probes of one member
 * @param timeout how long one probe may take; at most {@code interval}
 * @param failureThreshold consecutive failed probes that turn a member NotReady
 * @param successThreshold consecutive successful probes that turn a member Ready again
 * @param summaryInterval the time between two refreshes of a member's resource summary
 */
public record HealthSettings(
    Duration interval,
    Duration timeout,
    int failureThreshold,
    int successThreshold,
    Duration summaryInterval) {
  public HealthSettings {
    positive(interval, "interval");
    positive(timeout, "timeout");
    positive(summaryInterval, "summaryInterval");
    if (timeout.compareTo(interval) > 0) {
      throw new IllegalArgumentException(
          "health timeout must be at most the interval ("
              + interval
              + ") so that probes of one member never overlap, got "
              + timeout);
    }
    atLeastOne(failureThreshold, "failureThreshold");
    atLeastOne(successThreshold, "successThreshold");
  }

  /**
   * A probe every second with an 800 ms timeout; NotReady after 3 failures, Ready after 2
   * successes; the resource summary every 10 s.
   */
  public static HealthSettings defaults() {
    return new HealthSettings(
        Duration.ofSeconds(1), Duration.ofMillis(800), 3, 2, Duration.ofSeconds(10));
  }

  public HealthSettings withInterval(Duration interval, Duration timeout) {
    return new HealthSettings(
        interval, timeout, failureThreshold, successThreshold, summaryInterval);
  }

  public HealthSettings withThresholds(int failureThreshold, int successThreshold) {
    return new HealthSettings(
        interval, timeout, failureThreshold, successThreshold, summaryInterval);
  }

  public HealthSettings withSummaryInterval(Duration summaryInterval) {
    return new HealthSettings(
        interval, timeout, failureThreshold, successThreshold, summaryInterval);
  }

  /** The longest a member can be down before it is NotReady: failureThreshold × interval. */
  public Duration detectionTime() {
    return interval.multipliedBy(failureThreshold);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("health " + name + " must be greater than 0, got " + d);
    }
  }

  private static void atLeastOne(int n, String name) {
    if (n < 1) {
      throw new IllegalArgumentException("health " + name + " must be at least 1, got " + n);
    }
  }
}
