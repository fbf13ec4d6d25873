package io.flotilla.sandbox.workload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs when a workload's writes start failing and when they are healthy again (a run of successful
 * writes in a row), not every failure: while one shard of several is down, writes alternate between
 * success and failure. Used by the workload's one thread.
 */
final class OutageLog {
  private static final Logger LOG = LoggerFactory.getLogger(OutageLog.class);

  /** Successful writes in a row after failures that count as writing again. */
  static final int CALM = 100;

  private final String workload;
  private boolean failing;
  private long successesInARow;
  private long failures;

  /**
   * @param workload the workload, for the logs
   */
  OutageLog(String workload) {
    this.workload = workload;
  }

  void failed(String error) {
    successesInARow = 0;
    if (!failing) {
      failing = true;
      failures = 0;
      LOG.atWarn()
          .addKeyValue("workload", workload)
          .addKeyValue("error", error)
          .log("writes failing");
    }
    failures++;
  }

  void succeeded(long sequence) {
    if (failing && ++successesInARow >= CALM) {
      failing = false;
      LOG.atInfo()
          .addKeyValue("workload", workload)
          .addKeyValue("sequence", sequence)
          .addKeyValue("failed", failures)
          .log("writing again");
    }
  }
}
