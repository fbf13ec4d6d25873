package io.flotilla.sandbox.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.runtime.Tools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What every type's end-to-end workload test does with its running servers. */
final class WorkloadRuns {
  private WorkloadRuns() {}

  /**
   * Runs the workload until it has some acknowledged writes and reads, then runs {@code midway}
   * (the loss of a server, say) and waits for as many acknowledged writes again, stops it, and
   * checks that verify finds every acknowledged write.
   *
   * @return the acknowledged sequence numbers
   */
  static List<Long> runAndVerify(ToolWorkload workload, int acknowledged, Runnable midway) {
    long began = System.nanoTime();
    workload.start();
    awaitAcknowledged(workload, acknowledged);
    midway.run();
    awaitAcknowledged(workload, 2L * acknowledged);
    workload.stop();
    Workload.Stats s = workload.stats();
    System.out.printf(
        "%s: %d acknowledged, %d failed, %d reads, longest gap %d ms (%.1f s)%n",
        workload.describe(),
        s.acknowledged(),
        s.failed(),
        s.reads(),
        s.longestGap().toMillis(),
        (System.nanoTime() - began) / 1e9);
    assertThat(s.lastError()).as("the tool stopped cleanly").doesNotContain("workload tool exited");

    Workload.Verification v = workload.verify(Duration.ofMinutes(2));
    assertThat(v.acknowledged()).isEqualTo(s.acknowledged());
    assertThat(v.missing()).as("acknowledged writes not read back").isEmpty();
    return workload.acknowledgedSequences();
  }

  private static void awaitAcknowledged(ToolWorkload workload, long acknowledged) {
    long reads = workload.stats().reads();
    await(workload.describe() + " acknowledging writes and reading")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Workload.Stats s = workload.stats();
              assertThat(s.acknowledged()).as(s.toString()).isGreaterThanOrEqualTo(acknowledged);
              assertThat(s.reads()).as(s.toString()).isGreaterThan(reads);
            });
  }

  /**
   * Feeds a tool's {@code verify} subcommand the written sequence numbers and two never written,
   * and checks that exactly those two are reported missing.
   */
  static void verifyReportsWhatWasNeverWritten(
      Tools tools,
      String distribution,
      String mainClass,
      List<String> verifyArgs,
      Map<String, String> environment,
      List<Long> written) {
    long never = written.stream().mapToLong(Long::longValue).max().orElse(0) + 1000;
    List<Long> claimed = new ArrayList<>(written);
    claimed.add(1, never);
    claimed.add(never + 1);
    Tools.Result r =
        tools.run(
            distribution,
            mainClass,
            verifyArgs,
            environment,
            claimed.stream().map(String::valueOf).collect(Collectors.joining("\n", "", "\n")),
            Duration.ofMinutes(2));
    assertThat(r.ok()).as(r.stderr()).isTrue();
    assertThat(r.lines()).containsExactly(Long.toString(never), Long.toString(never + 1));
  }
}
