package io.flotilla.sandbox.workload;

import io.flotilla.api.Placement;
import io.flotilla.api.ShardPlacement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.rocketmq.RocketMqAdapter;
import io.flotilla.ops.LocalDrill;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RocketMQ workload against real servers on loopback in controller mode, as in the ops drill
 * but with one broker group: three name servers running the controllers (dc1, dc2, dc3), a master
 * in dc1 and its slave in dc2, so that SEND_OK needs both. Every acknowledged message is read back,
 * and verify reports sequence numbers that were never written.
 */
@Tag("e2e")
class RocketMqWorkloadTest {
  private static final String RMQ =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: Middleware
      metadata: {name: rmq, namespace: default}
      spec:
        type: rocketmq
        settings: {controllerInNamesrv: "true"}
        replicaRequirements:
          - {role: nameserver, replicas: 3}
          - {role: master, replicas: 1}
          - {role: slave, replicas: 1, shard: 1, shardOf: master}
      """;

  /** Kept when the test fails: the instances' logs are in it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void everyAcknowledgedMessageIsReadBackAndNeverWrittenOnesAreReportedMissing() {
    try (LocalDrill drill = new LocalDrill(new RocketMqAdapter(), RMQ, Map.of(), dir)) {
      Placement p =
          Placement.builder()
              .put("nameserver", "dc1", 1)
              .put("nameserver", "dc2", 1)
              .put("nameserver", "dc3", 1)
              .put("master", "dc1", 1)
              .put("slave", "dc2", 1)
              .build();
      Topology t =
          drill.topology(
              p, BaseIds.contiguous(p, 1), List.of(new ShardPlacement(0, "dc1", List.of("dc2"))));
      drill.start(t, t.role("nameserver"));
      drill.start(t, t.role("master"));
      drill.start(t, t.role("slave"));
      String namesrv = RocketMqAdapter.namesrvAddr(t);

      List<Long> written;
      try (ToolWorkload w = RocketMqWorkload.of(drill.tools, namesrv, "workload")) {
        // no server is lost here: SEND_OK needs both replicas of the only group
        written = WorkloadRuns.runAndVerify(w, 50, () -> {});
      }
      WorkloadRuns.verifyReportsWhatWasNeverWritten(
          drill.tools,
          "rocketmq",
          RocketMqWorkload.TOOL,
          List.of("verify", namesrv, "workload"),
          Map.of(),
          written);
    }
  }
}
