package io.flotilla.sandbox.workload;

import io.flotilla.api.Placement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.zookeeper.ZooKeeperAdapter;
import io.flotilla.ops.DrillMiddleware;
import io.flotilla.ops.LocalDrill;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ZooKeeper workload against a real three-member ensemble on loopback: it goes on writing when
 * a member is lost, every acknowledged znode is read back, and verify reports sequence numbers that
 * were never written.
 */
@Tag("e2e")
class ZooKeeperWorkloadTest {

  @TempDir Path dir;

  @Test
  void everyAcknowledgedZnodeIsReadBackAndNeverWrittenOnesAreReportedMissing() {
    String password = UUID.randomUUID().toString();
    try (LocalDrill drill =
        new LocalDrill(
            new ZooKeeperAdapter(),
            DrillMiddleware.ZOOKEEPER,
            Map.of(ZooKeeperAdapter.SUPER_PASSWORD, password),
            dir)) {
      Placement p = LocalDrill.oneEach("participant");
      Topology t = drill.topology(p, BaseIds.contiguous(p, 1), List.of());
      drill.start(t, t.instances());
      String connect =
          t.instances().stream()
              .map(i -> t.host(i) + ":" + ZooKeeperAdapter.CLIENT_PORT)
              .collect(Collectors.joining(","));

      List<Long> written;
      try (ToolWorkload w =
          ZooKeeperWorkload.of(drill.tools, connect, "/flotilla/workload", password)) {
        // the member the client may be connected to is lost: it moves on to another
        written = WorkloadRuns.runAndVerify(w, 50, () -> drill.kill(t.instances().get(0)));
      }
      String survivors =
          t.instances().stream()
              .skip(1)
              .map(i -> t.host(i) + ":" + ZooKeeperAdapter.CLIENT_PORT)
              .collect(Collectors.joining(","));
      WorkloadRuns.verifyReportsWhatWasNeverWritten(
          drill.tools,
          "zookeeper",
          ZooKeeperWorkload.TOOL,
          List.of("verify", survivors, "/flotilla/workload"),
          Map.of(ZooKeeperWorkload.SUPER_PASSWORD_ENV, password),
          written);
    }
  }
}
