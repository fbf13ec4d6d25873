package io.flotilla.sandbox.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.Placement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.kafka.KafkaAdapter;
import io.flotilla.ops.DrillMiddleware;
import io.flotilla.ops.LocalDrill;
import io.flotilla.runtime.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka workload against three real combined KRaft nodes on loopback (the topic it creates
 * needs three replicas): it goes on writing when a node is lost, every acknowledged record is read
 * back, and verify reports sequence numbers that were never written.
 */
@Tag("e2e")
class KafkaWorkloadTest {

  @TempDir Path dir;

  @Test
  void everyAcknowledgedRecordIsReadBackAndNeverWrittenOnesAreReportedMissing() {
    try (LocalDrill drill =
        new LocalDrill(new KafkaAdapter(), DrillMiddleware.KAFKA, Map.of(), dir)) {
      Placement p = LocalDrill.oneEach("combined");
      Topology t = drill.topology(p, BaseIds.contiguous(p, 1), List.of());
      drill.start(t, t.instances());
      String bootstrap = KafkaAdapter.brokerServers(t);

      List<Long> written;
      try (ToolWorkload w = KafkaWorkload.of(drill.tools, bootstrap, "workload")) {
        // min.insync.replicas=2 holds without node 3: acks=all goes on
        written =
            WorkloadRuns.runAndVerify(w, 50, () -> drill.kill(t.find("combined", 3).orElseThrow()));
      }
      String survivors =
          t.instances().stream()
              .filter(i -> !i.equals(t.find("combined", 3).orElseThrow()))
              .map(i -> t.host(i) + ":" + KafkaAdapter.BROKER_PORT)
              .collect(Collectors.joining(","));
      Tools.Result topics =
          drill.tools.run(
              "kafka",
              KafkaWorkload.TOOL,
              List.of("topics", "--bootstrap-server", survivors),
              Map.of(),
              Duration.ofMinutes(2));
      assertThat(topics.ok()).as(topics.stderr()).isTrue();
      assertThat(topics.lines())
          .as("the topic the workload created: 3 partitions, each with 3 replicas")
          .filteredOn(l -> l.startsWith("workload "))
          .hasSize(3)
          .allMatch(l -> l.matches(".* replicas \\d,\\d,\\d isr .*"));
      WorkloadRuns.verifyReportsWhatWasNeverWritten(
          drill.tools,
          "kafka",
          KafkaWorkload.TOOL,
          List.of("verify", "--bootstrap-server", survivors, "workload"),
          Map.of(),
          written);
    }
  }
}
