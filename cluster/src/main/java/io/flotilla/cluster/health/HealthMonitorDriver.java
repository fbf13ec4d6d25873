package io.flotilla.cluster.health;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@link HealthMonitor#tick()} every {@code period} on a thread of its own, for production.
 * The period should be a small fraction of the probe interval: a result waits at most one period
 * before it is taken in.
 */
public final class HealthMonitorDriver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitorDriver.class);

  private final ScheduledExecutorService scheduler;

  private HealthMonitorDriver(HealthMonitor monitor, Duration period) {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "flotilla-health");
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            monitor.tick();
          } catch (RuntimeException e) {
            LOG.atError().setCause(e).log("health tick failed");
          }
        },
        0,
        period.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** Ticks every tenth of the probe interval, between 10 ms and 100 ms. */
  public static HealthMonitorDriver start(HealthMonitor monitor) {
    Duration tenth = monitor.settings().interval().dividedBy(10);
    Duration period =
        tenth.compareTo(Duration.ofMillis(10)) < 0
            ? Duration.ofMillis(10)
            : tenth.compareTo(Duration.ofMillis(100)) > 0 ? Duration.ofMillis(100) : tenth;
    return start(monitor, period);
  }

  public static HealthMonitorDriver start(HealthMonitor monitor, Duration period) {
    Objects.requireNonNull(monitor, "monitor");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("tick period must be greater than 0, got " + period);
    }
    return new HealthMonitorDriver(monitor, period);
  }

  /** Stops ticking; waits for a tick in progress to end. */
  @Override
  public void close() {
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
