package io.flotilla.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.Placement;
import io.flotilla.api.ShardPlacement;
import io.flotilla.api.io.ObjectLoader;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.LoopbackAddressing;
import io.flotilla.middleware.Topology;
import io.flotilla.runtime.Distributions;
import io.flotilla.runtime.Tools;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What RocketMQ's membership decides without asking a server. */
class RocketMqMembershipTest {
  private static final String SYNC =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: Middleware
      metadata: {name: rmq, namespace: default}
      spec:
        type: rocketmq
        replicaRequirements:
          - {role: nameserver, replicas: 3}
          - {role: master, replicas: 2}
          - {role: slave, replicas: 2, shard: 1, shardOf: master}
      """;

  /** Never runs: no tool is needed for these decisions (a run would fail on this empty home). */
  private final RocketMqMembership membership =
      new RocketMqMembership(
          new Tools(Distributions.at(Path.of("/nonexistent-flotilla-home"))), Clock.systemUTC());

  private static Topology syncGroups() {
    Placement p =
        Placement.builder()
            .put("nameserver", "dc1", 1)
            .put("nameserver", "dc2", 1)
            .put("nameserver", "dc3", 1)
            .put("master", "dc1", 1)
            .put("master", "dc2", 1)
            .put("slave", "dc2", 1)
            .put("slave", "dc3", 1)
            .build();
    return Topology.of(
        ObjectLoader.middlewares("test", SYNC).get(0),
        p,
        BaseIds.contiguous(p, 1),
        List.of(
            new ShardPlacement(0, "dc1", List.of("dc2")),
            new ShardPlacement(1, "dc2", List.of("dc3"))),
        new LoopbackAddressing(List.of("dc1", "dc2", "dc3")),
        Map.of());
  }

  @Test
  void withoutControllersAGroupThatLostItsMasterIsReadOnlyWithItsSlavesServingReads() {
    Topology t = syncGroups();
    Instance master = t.find("master", 4).orElseThrow();
    assertThat(membership.afterMasterLoss(t, master, Duration.ofSeconds(1)))
        .isEqualTo(
            new RocketMqMembership.GroupFailover.ReadOnly(
                "rmq-broker-0", List.of("127.2.64.7:10911")));
  }

  @Test
  void withoutControllersThereIsNoSyncStateToAskFor() {
    assertThatThrownBy(() -> membership.syncState(syncGroups(), 0))
        .isInstanceOf(MembershipException.class)
        .hasMessage(
            "rocketmq rmq: reach the controllers: it has no controllers: its groups never fail over");
  }
}
