package io.flotilla.sandbox.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.LongSupplier;

/**
 * The bookkeeping every workload shares: acknowledged sequence numbers, failures, reads, and the
 * longest stretch without a successful operation, counted from the first success (the client's own
 * start-up — a child JVM, a first connection — is not a gap in the middleware's service).
 * Thread-safe. Time comes from an injected nanosecond source so tests can drive it.
 */
public final class Counters {
  private final LongSupplier nanoTime;
  private final ConcurrentSkipListSet<Long> acknowledged = new ConcurrentSkipListSet<>();
  private long failed;
  private long reads;
  private boolean succeeded;
  private long lastSuccess;
  private long longestGap;
  private String lastError = "";

  /**
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
   */
  public Counters(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** A write the middleware confirmed. */
  public void acknowledged(long sequence) {
    acknowledged.add(sequence);
    success();
  }

  /** A successful read. */
  public synchronized void read() {
    reads++;
    success();
  }

  /** A failed or timed-out operation, with what went wrong (no secrets). */
  public synchronized void failed(String error) {
    failed++;
    lastError = error == null ? "" : error;
  }

  private synchronized void success() {
    long now = nanoTime.getAsLong();
    if (succeeded) {
      longestGap = Math.max(longestGap, now - lastSuccess);
    }
    succeeded = true;
    lastSuccess = now;
  }

  /** Every acknowledged sequence number, sorted. */
  public List<Long> acknowledgedSequences() {
    return new ArrayList<>(acknowledged);
  }

  public synchronized Workload.Stats stats() {
    long current = succeeded ? nanoTime.getAsLong() - lastSuccess : 0;
    return new Workload.Stats(
        acknowledged.size(),
        failed,
        reads,
        Duration.ofNanos(Math.max(longestGap, current)),
        Duration.ofNanos(current),
        lastError);
  }
}
