package io.flotilla.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.Middleware;
import io.flotilla.api.Placement;
import io.flotilla.api.ShardPlacement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyTest {
  private static final Middleware REDIS =
      Topologies.middleware(
          """
          apiVersion: flotilla.io/v1alpha1
          kind: Middleware
          metadata: {name: cache, namespace: db}
          spec:
            type: redis
            replicaRequirements:
              - {role: master, replicas: 3}
              - {role: slave, replicas: 3, shard: 1}
          """);

  private static final Placement PLACEMENT =
      Placement.builder()
          .put("master", "dc1", 2)
          .put("master", "dc2", 1)
          .put("slave", "dc1", 1)
          .put("slave", "dc2", 2)
          .build();

  private static final List<ShardPlacement> SHARDS =
      List.of(
          new ShardPlacement(0, "dc1", List.of("dc2")),
          new ShardPlacement(1, "dc1", List.of("dc2")),
          new ShardPlacement(2, "dc2", List.of("dc1")));

  @Test
  void contiguousBaseIdsNumberEveryRolesSharesFromOneCounterInClusterOrder() {
    BaseIds ids = BaseIds.contiguous(PLACEMENT, 1);
    assertThat(ids.base("master", "dc1")).isEqualTo(1);
    assertThat(ids.base("master", "dc2")).isEqualTo(3);
    assertThat(ids.base("slave", "dc1")).isEqualTo(4);
    assertThat(ids.base("slave", "dc2")).isEqualTo(5);
    assertThatThrownBy(() -> ids.base("master", "dc9"))
        .hasMessage("no base id for role master in cluster dc9");
  }

  @Test
  void instancesAreNumberedFromTheirClustersBaseAndListedInRoleOrder() {
    Topology t = Topologies.kubernetes(REDIS, PLACEMENT, SHARDS, Map.of());
    assertThat(t.instances())
        .containsExactly(
            new Instance("master", "dc1", 1),
            new Instance("master", "dc1", 2),
            new Instance("master", "dc2", 3),
            new Instance("slave", "dc1", 4),
            new Instance("slave", "dc2", 5),
            new Instance("slave", "dc2", 6));
    assertThat(t.clusters()).containsExactly("dc1", "dc2");
    assertThat(t.host(new Instance("master", "dc2", 3)))
        .isEqualTo("cache-master-3.cache.db.svc.cluster.local");
  }

  @Test
  void shardsTakeTheirPrimaryAndReplicasFromTheNamedClustersInIdOrder() {
    Topology t = Topologies.kubernetes(REDIS, PLACEMENT, SHARDS, Map.of());
    assertThat(t.shards().get(0))
        .containsExactly(new Instance("master", "dc1", 1), new Instance("slave", "dc2", 5));
    assertThat(t.shards().get(1))
        .containsExactly(new Instance("master", "dc1", 2), new Instance("slave", "dc2", 6));
    assertThat(t.shards().get(2))
        .containsExactly(new Instance("master", "dc2", 3), new Instance("slave", "dc1", 4));
    assertThat(t.shard(new Instance("slave", "dc1", 4))).hasValue(2);
  }

  /**
   * Redis over dc1..dc3, shard s's master in dc(s+1) and its slave in the next cluster, after the
   * loss of dc1: shard 0's new master (id 20) goes to dc3, beside shard 2's master 7; shard 2's new
   * slave (id 21) to dc2, beside shard 0's slave 13. In id order shard 0 would take master 7 and
   * slave 13 would serve shard 2; kept in their shards, every survivor stays with its own.
   */
  @Test
  void survivorsListedInShardIdsKeepTheirShards() {
    Placement after =
        Placement.builder()
            .put("master", "dc2", 1)
            .put("master", "dc3", 2)
            .put("slave", "dc2", 2)
            .put("slave", "dc3", 1)
            .build();
    BaseIds bases =
        new BaseIds(
            Map.of(
                "master", new java.util.TreeMap<>(Map.of("dc2", 4, "dc3", 7)),
                "slave", new java.util.TreeMap<>(Map.of("dc2", 13, "dc3", 16))));
    // dc3's masters are 7 and 8, dc2's slaves 13 and 14 (the new ones being 8 and 14)
    List<ShardPlacement> shards =
        List.of(
            new ShardPlacement(0, "dc3", List.of("dc2")),
            new ShardPlacement(1, "dc2", List.of("dc3")),
            new ShardPlacement(2, "dc3", List.of("dc2")));
    Map<Integer, List<Integer>> before =
        Map.of(0, List.of(1, 13), 1, List.of(4, 16), 2, List.of(7, 10));
    Topology unpinned = Topology.of(REDIS, after, bases, shards, Addressing.kubernetes(), Map.of());
    assertThat(unpinned.shardIds().get(0)).as("in id order").containsExactly(7, 13);

    Topology t =
        Topology.of(REDIS, after, bases, shards, Addressing.kubernetes(), Map.of(), before);
    assertThat(t.shardIds())
        .containsExactlyEntriesOf(
            new java.util.TreeMap<>(
                Map.of(0, List.of(8, 13), 1, List.of(4, 16), 2, List.of(7, 14))));
    assertThat(t.shard(new Instance("slave", "dc2", 13))).hasValue(0);
  }

  @Test
  void shardsThatDoNotMatchThePlacementAreRefused() {
    List<ShardPlacement> wrong =
        List.of(
            new ShardPlacement(0, "dc2", List.of("dc1")),
            new ShardPlacement(1, "dc2", List.of("dc1")));
    assertThatThrownBy(() -> Topologies.kubernetes(REDIS, PLACEMENT, wrong, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shard 1 needs an instance of role master in dc2, and none is left");
  }

  @Test
  void aMissingCredentialIsNamed() {
    Topology t = Topologies.kubernetes(REDIS, PLACEMENT, SHARDS, Map.of());
    assertThatThrownBy(() -> t.credential("redis-password"))
        .hasMessage("redis cache needs the credential redis-password");
  }

  @Test
  void loopbackAddressesGiveEveryInstanceItsOwnAddressPerCluster() {
    LoopbackAddressing a = new LoopbackAddressing(List.of("dc1", "dc2", "dc3"));
    assertThat(a.host(REDIS, new Instance("master", "dc1", 1))).isEqualTo("127.1.0.2");
    assertThat(a.host(REDIS, new Instance("slave", "dc3", 1))).isEqualTo("127.3.32.2");
    assertThat(a.host(REDIS, new Instance("master", "dc2", 251))).isEqualTo("127.2.1.2");
    assertThatThrownBy(() -> a.host(REDIS, new Instance("master", "dc9", 1)))
        .hasMessageContaining("no local cluster dc9");
  }
}
