package io.flotilla.store.kubernetes;

import java.time.Duration;
import java.util.Objects;

/**
 * The timings of a leader election on a Lease, as client-go's: a leader holds the lease for {@code
 * leaseDuration} after its last renewal as others see it, stops leading when it could not renew for
 * {@code renewDeadline}, and every replica tries every {@code retryPeriod}.
 */
public record LeaseTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
  /** 15 s lease, 10 s renew deadline, 2 s retry: a standby leads within about 17 s of a crash. */
  public static final LeaseTimings DEFAULT =
      new LeaseTimings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));

  public LeaseTimings {
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    Objects.requireNonNull(renewDeadline, "renewDeadline");
    Objects.requireNonNull(retryPeriod, "retryPeriod");
    if (retryPeriod.isNegative()
        || retryPeriod.isZero()
        || retryPeriod.compareTo(renewDeadline) >= 0
        || renewDeadline.compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException(
          "lease timings need 0 < retryPeriod < renewDeadline < leaseDuration, got "
              + retryPeriod
              + ", "
              + renewDeadline
              + ", "
              + leaseDuration);
    }
    if (leaseDuration.toSeconds() < 1 || leaseDuration.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          "leaseDuration is written in whole seconds into the Lease, got " + leaseDuration);
    }
  }
}
