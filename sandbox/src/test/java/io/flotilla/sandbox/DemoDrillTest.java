package io.flotilla.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The failover drill of {@code flotilla demo}, end to end, for every type: a fresh sandbox of three
 * local clusters running the examples of {@code examples/sandbox}, a client writing and reading
 * throughout, the loss of a cluster, and the read-back. The default drill covers ZooKeeper and
 * Redis; the others Kafka (acks=all, RF 3, min ISR 2), RocketMQ and OpenSearch. Each must end back
 * at full strength with every acknowledged write readable where its type promises it (Redis's
 * losses are only reported: its replication is asynchronous), and the drill's exit code says so.
 * The drain drill ({@code --drain}) moves every share off the cluster while it keeps serving.
 */
@Tag("e2e")
class DemoDrillTest {
  /** Kept when a drill fails: every pod's log is in it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @ParameterizedTest(name = "flotilla demo --type {0} passes")
  @ValueSource(strings = {Demo.DEFAULT, "kafka", "rocketmq", "elasticsearch"})
  void theDrillEndsAtFullStrengthWithNoAcknowledgedWriteLost(String type) {
    drill(type, false);
  }

  @Test
  void theDrainDrillMovesEveryShareOffUnderLoadWithNoAcknowledgedWriteLost() {
    String printed = drill(Demo.DEFAULT, true);
    assertThat(printed)
        .contains("tainted flotilla.io/drained:NoExecute")
        .containsPattern("cluster dc\\d drained: none of its instances runs; uncordoned");
  }

  private String drill(String type, boolean drain) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
    int exit =
        new Demo(
                new Demo.Options(
                    dir.resolve("demo"),
                    type,
                    false,
                    drain,
                    Duration.ofSeconds(10),
                    Duration.ofMinutes(4)),
                out)
            .run();
    String printed = captured.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
    List<String> summary = printed.lines().dropWhile(l -> !l.equals("SUMMARY")).skip(2).toList();
    assertThat(summary).as(printed).isNotEmpty();
    for (Demo.Subject s : Demo.DRILLS.get(type)) {
      String row =
          summary.stream().filter(l -> l.startsWith(s.name() + " ")).findFirst().orElseThrow();
      assertThat(row).as("%s reached full strength", s.name()).doesNotContain("not reached");
      if (s.lossless()) {
        assertThat(row.replaceAll("\\s+", " "))
            .as("%s lost no acknowledged write", s.name())
            .matches(".* [1-9]\\d* 0 no acknowledged write lost");
      }
    }
    assertThat(summary.get(summary.size() - 1)).isEqualTo("PASSED");
    assertThat(exit).as(printed).isZero();
    return printed;
  }
}
