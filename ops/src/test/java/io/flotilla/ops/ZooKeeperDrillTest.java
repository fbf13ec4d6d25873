package io.flotilla.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Placement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.zookeeper.ZooKeeperAdapter;
import io.flotilla.runtime.Tools;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-member ZooKeeper ensemble spread over three clusters (one voter each, real servers on
 * loopback) loses the member in dc3. A replacement with a fresh id (4, never 3 again) is started in
 * dc3, and the ZooKeeper {@link MembershipDriver} removes 3 and adds 4 by reconfiguration; run
 * again, it changes nothing. No committed znode is lost.
 */
@Tag("e2e")
class ZooKeeperDrillTest {
  private static final String TOOL = "io.flotilla.servers.zookeeper.ZkAdmin";

  @TempDir Path dir;

  @Test
  void aLostMemberIsReplacedWithAFreshIdAndNoCommittedZnodeIsLost() {
    String password = UUID.randomUUID().toString();
    try (LocalDrill drill =
        new LocalDrill(
            new ZooKeeperAdapter(),
            DrillMiddleware.ZOOKEEPER,
            Map.of(ZooKeeperAdapter.SUPER_PASSWORD, password),
            dir)) {
      Placement one = LocalDrill.oneEach("participant");
      Topology before = drill.topology(one, BaseIds.contiguous(one, 1), List.of());
      drill.start(before, before.instances());
      String all = connect(before, before.instances());
      Tools.Result written =
          drill.tools.run(
              "zookeeper",
              TOOL,
              List.of("write", all, "/drill", "200"),
              Map.of(),
              Duration.ofSeconds(90));
      assertThat(written.ok()).as(written.stderr()).isTrue();
      assertThat(written.lines()).hasSize(200);

      ZooKeeperMembership membership = new ZooKeeperMembership(drill.tools);
      assertThat(membership.ids(all)).containsExactly(1, 2, 3);

      Instance lost = before.find("participant", 3).orElseThrow();
      long lostAt = System.nanoTime();
      drill.kill(lost);

      BaseIds fresh =
          new BaseIds(
              Map.of("participant", new java.util.TreeMap<>(Map.of("dc1", 1, "dc2", 2, "dc3", 4))));
      Topology after = drill.topology(one, fresh, List.of());
      Instance replacement = after.find("participant", 4).orElseThrow();
      assertThat(replacement.cluster()).isEqualTo("dc3");
      drill.start(after, List.of(replacement));
      MembershipDriver driver =
          MembershipDrivers.of(MiddlewareType.ZOOKEEPER, drill.tools, Clock.systemUTC());
      driver.reconcile(before, after, Set.of(lost));
      double seconds = (System.nanoTime() - lostAt) / 1e9;
      System.out.printf(
          "zookeeper drill: from the loss of member 3 to member 4 serving: %.1f s%n", seconds);

      String now = connect(after, after.instances());
      assertThat(membership.ids(now)).containsExactly(1, 2, 4);
      List<String> config = config(drill, now);
      driver.reconcile(before, after, Set.of(lost));
      assertThat(config(drill, now))
          .as("a second reconcile changes nothing, not even the configuration's version")
          .isEqualTo(config)
          .anyMatch(l -> l.startsWith("version="));
      Tools.Result missing =
          drill.tools.run(
              "zookeeper",
              TOOL,
              List.of("missing", now, "/drill", "200"),
              Map.of(),
              Duration.ofSeconds(60));
      assertThat(missing.ok()).as(missing.stderr()).isTrue();
      assertThat(missing.lines()).as("committed znodes lost").isEmpty();
      Tools.Result count =
          drill.tools.run(
              "zookeeper",
              TOOL,
              List.of("count", connect(after, List.of(replacement)), "/drill"),
              Map.of(),
              Duration.ofSeconds(60));
      assertThat(count.stdout().strip()).as("the replacement holds every znode").isEqualTo("200");
    }
  }

  private static List<String> config(LocalDrill drill, String connect) {
    Tools.Result r =
        drill.tools.run(
            "zookeeper", TOOL, List.of("config", connect), Map.of(), Duration.ofSeconds(60));
    assertThat(r.ok()).as(r.stderr()).isTrue();
    return r.lines();
  }

  private static String connect(Topology t, List<Instance> instances) {
    return instances.stream()
        .map(i -> t.host(i) + ":" + ZooKeeperAdapter.CLIENT_PORT)
        .collect(Collectors.joining(","));
  }
}
