package io.flotilla.sandbox.workload;

import java.time.Duration;
import java.util.List;

/**
 * A client that keeps writing to a middleware and reading back what it wrote, as an application
 * would during a failover drill. Every write carries a sequence number; a write counts as
 * acknowledged only when the middleware confirmed it with the durability the type promises (a
 * ZooKeeper create returned, a Kafka send with acks=all completed, ...). It runs on its own threads
 * (or child process) from {@link #start} to {@link #stop}, keeps trying through errors, and
 * measures the longest stretch without a successful operation.
 */
public interface Workload extends AutoCloseable {
  /** What the drill prints for this client, e.g. "zookeeper znodes under /flotilla-demo". */
  String describe();

  /**
   * Starts writing and reading in the background.
   *
   * @throws WorkloadException when it cannot start at all (a missing distribution, say)
   */
  void start();

  /** The figures so far; cheap, callable from any thread at any time. */
  Stats stats();

  /** Stops writing and reading; waits for writes in flight to be acknowledged or failed. */
  void stop();

  /**
   * Reads back every acknowledged write (after {@link #stop}), from the middleware as it is now.
   *
   * @throws WorkloadException when the middleware cannot be read within {@code timeout}
   */
  Verification verify(Duration timeout);

  /** Stops (if running) and releases connections and child processes. */
  @Override
  void close();

  /**
   * @param acknowledged writes the middleware confirmed
   * @param failed write attempts that failed or timed out (retried with a new sequence number)
   * @param reads successful reads
   * @param longestGap the longest time between two successful operations (writes or reads), the
   *     stretch since the last one included; zero before the first
   * @param currentGap the time since the last successful operation (zero before the first)
   * @param lastError the last error seen, or "" when none
   */
  record Stats(
      long acknowledged,
      long failed,
      long reads,
      Duration longestGap,
      Duration currentGap,
      String lastError) {}

  /**
   * @param acknowledged how many acknowledged writes were looked for
   * @param missing the sequence numbers of acknowledged writes that could not be read back, sorted
   */
  record Verification(long acknowledged, List<Long> missing) {
    public Verification {
      missing = List.copyOf(missing);
    }

    public long lost() {
      return missing.size();
    }
  }
}
