package io.flotilla.sandbox.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.runtime.Distributions;
import io.flotilla.runtime.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure parts of {@link ToolWorkload}: the tool's lines into counters, verify's output. */
class ToolWorkloadTest {
  static Stream<Arguments> lines() {
    return Stream.of(
        // line, acknowledged, failed, reads, last error
        Arguments.of("ack 7", List.of(7L), 0, 0, ""),
        Arguments.of("ack 0", List.of(0L), 0, 0, ""),
        Arguments.of("  ack 12  ", List.of(12L), 0, 0, ""),
        Arguments.of("read", List.of(), 0, 1, ""),
        Arguments.of(
            "fail 3 TimeoutException: Expiring 1 record(s)",
            List.of(),
            1,
            0,
            "write 3: TimeoutException: Expiring 1 record(s)"),
        Arguments.of("fail 4", List.of(), 1, 0, "write 4: failed"),
        // a library's chatter, or a malformed line: ignored
        Arguments.of("", List.of(), 0, 0, ""),
        Arguments.of("ack", List.of(), 0, 0, ""),
        Arguments.of("ack seven", List.of(), 0, 0, ""),
        Arguments.of("ack -1", List.of(), 0, 0, ""),
        Arguments.of("read 5", List.of(), 0, 0, ""),
        Arguments.of("fail", List.of(), 0, 0, ""),
        Arguments.of("fail x timed out", List.of(), 0, 0, ""),
        Arguments.of("acknowledged 5", List.of(), 0, 0, ""),
        Arguments.of("12:00:01.000 [main] INFO ack 5", List.of(), 0, 0, ""));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("lines")
  void aLineOfTheToolFeedsTheCounters(
      String line, List<Long> acknowledged, long failed, long reads, String lastError) {
    Counters counters = new Counters(() -> 0L);
    ToolWorkload.apply(line, counters);
    assertThat(counters.acknowledgedSequences()).isEqualTo(acknowledged);
    Workload.Stats s = counters.stats();
    assertThat(s.acknowledged()).isEqualTo(acknowledged.size());
    assertThat(s.failed()).isEqualTo(failed);
    assertThat(s.reads()).isEqualTo(reads);
    assertThat(s.lastError()).isEqualTo(lastError);
  }

  @Test
  void failuresDoNotCountAsSuccessesForTheGap() {
    AtomicLong now = new AtomicLong();
    Counters counters = new Counters(now::get);
    ToolWorkload.apply("ack 0", counters);
    now.addAndGet(Duration.ofSeconds(4).toNanos());
    ToolWorkload.apply("fail 1 connection lost", counters);
    now.addAndGet(Duration.ofSeconds(3).toNanos());
    ToolWorkload.apply("read", counters);
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    ToolWorkload.apply("ack 2", counters);
    Workload.Stats s = counters.stats();
    assertThat(s.longestGap()).isEqualTo(Duration.ofSeconds(7));
    assertThat(s.currentGap()).isZero();
    assertThat(counters.acknowledgedSequences()).containsExactly(0L, 2L);
  }

  @Test
  void theGapIsCountedFromTheFirstSuccessNotFromTheClientsStart() {
    AtomicLong now = new AtomicLong();
    Counters counters = new Counters(now::get);
    now.addAndGet(Duration.ofSeconds(5).toNanos()); // a child JVM starting, a first connection
    assertThat(counters.stats().currentGap()).isZero();
    ToolWorkload.apply("ack 0", counters);
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    ToolWorkload.apply("ack 1", counters);
    assertThat(counters.stats().longestGap()).isEqualTo(Duration.ofSeconds(2));
  }

  static Stream<Arguments> verifyOutputs() {
    return Stream.of(
        Arguments.of(List.of(), List.of()),
        Arguments.of(List.of("9", "3", ""), List.of(3L, 9L)),
        Arguments.of(List.of(" 4 "), List.of(4L)));
  }

  @ParameterizedTest
  @MethodSource("verifyOutputs")
  void verifyPrintsTheMissingSequenceNumbers(List<String> lines, List<Long> missing) {
    assertThat(ToolWorkload.missing(lines, "test")).isEqualTo(missing);
  }

  @Test
  void verifyOutputThatIsNoSequenceNumberIsAnError() {
    assertThatThrownBy(() -> ToolWorkload.missing(List.of("3", "Exception in thread"), "zk test"))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("zk test")
        .hasMessageContaining("Exception in thread");
  }

  @Test
  void aMissingDistributionIsAWorkloadExceptionNamingIt(@TempDir Path home) {
    ToolWorkload w = KafkaWorkload.of(new Tools(Distributions.at(home)), "127.1.0.1:9092", "demo");
    assertThatThrownBy(w::start)
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("kafka records in topic demo")
        .hasMessageContaining("the kafka distribution is not built");
    assertThat(w.stats().acknowledged()).isZero();
    w.close();
  }

  @Test
  void theCommandNeverShowsTheSuperPassword() {
    ToolWorkload.Command c =
        new ToolWorkload.Command(
            "zk",
            "zookeeper",
            "Main",
            List.of("workload"),
            List.of("verify"),
            Map.of(ZooKeeperWorkload.SUPER_PASSWORD_ENV, "s3cret"));
    assertThat(c.toString())
        .doesNotContain("s3cret")
        .contains(ZooKeeperWorkload.SUPER_PASSWORD_ENV);
  }
}
