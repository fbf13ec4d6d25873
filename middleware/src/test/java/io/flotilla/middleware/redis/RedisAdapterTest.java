package io.flotilla.middleware.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.Middleware;
import io.flotilla.api.Placement;
import io.flotilla.api.ShardPlacement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Finding;
import io.flotilla.middleware.GoldenFiles;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.LocalLaunch;
import io.flotilla.middleware.LoopbackAddressing;
import io.flotilla.middleware.Topologies;
import io.flotilla.middleware.Topology;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RedisAdapterTest {
  private static final RedisAdapter ADAPTER = new RedisAdapter();
  private static final String SECRET = "Flotilla-Redis-Test-Password-3";
  private static final Map<String, String> CREDENTIALS = Map.of(RedisAdapter.PASSWORD, SECRET);

  private static Middleware redis(String roles) {
    return Topologies.middleware(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: Middleware
        metadata: {name: cache, namespace: db}
        spec:
          type: redis
          version: "7.0"
          replicaRequirements:
        """
            + roles.indent(4));
  }

  private static final Middleware CLUSTER_5 =
      redis(
          """
          - role: master
            replicas: 5
            resourceRequest:
              requests: {cpu: "1", memory: 1Gi}
              limits: {cpu: "1", memory: 2Gi}
          - role: slave
            replicas: 5
            shard: 1
            resourceRequest:
              requests: {cpu: "1", memory: 1Gi}
              limits: {cpu: "2", memory: 2Gi}
          """);

  private static final Middleware CLUSTER_3 =
      redis(
          """
          - {role: master, replicas: 3}
          - {role: slave, replicas: 3, shard: 1}
          """);

  private static final Middleware SENTINELS =
      redis(
          """
          - {role: master, replicas: 1}
          - {role: replica, replicas: 2}
          - {role: sentinel, replicas: 3}
          """);

  /** Masters 2+2+1; each shard's replica in another cluster than its master. */
  private static Topology cluster221() {
    Placement p =
        Placement.builder()
            .put("master", "dc1", 2)
            .put("master", "dc2", 2)
            .put("master", "dc3", 1)
            .put("slave", "dc1", 2)
            .put("slave", "dc2", 1)
            .put("slave", "dc3", 2)
            .build();
    List<ShardPlacement> shards =
        List.of(
            new ShardPlacement(0, "dc1", List.of("dc2")),
            new ShardPlacement(1, "dc1", List.of("dc3")),
            new ShardPlacement(2, "dc2", List.of("dc1")),
            new ShardPlacement(3, "dc2", List.of("dc3")),
            new ShardPlacement(4, "dc3", List.of("dc1")));
    return Topologies.kubernetes(CLUSTER_5, p, shards, CREDENTIALS);
  }

  private static Placement cluster111Placement() {
    return Placement.builder()
        .put("master", "dc1", 1)
        .put("master", "dc2", 1)
        .put("master", "dc3", 1)
        .put("slave", "dc1", 1)
        .put("slave", "dc2", 1)
        .put("slave", "dc3", 1)
        .build();
  }

  private static final List<ShardPlacement> SHARDS_111 =
      List.of(
          new ShardPlacement(0, "dc1", List.of("dc2")),
          new ShardPlacement(1, "dc2", List.of("dc3")),
          new ShardPlacement(2, "dc3", List.of("dc1")));

  private static Placement sentinelPlacement() {
    return Placement.builder()
        .put("master", "dc1", 1)
        .put("replica", "dc2", 1)
        .put("replica", "dc3", 1)
        .put("sentinel", "dc1", 1)
        .put("sentinel", "dc2", 1)
        .put("sentinel", "dc3", 1)
        .build();
  }

  @Test
  void aClusterOfFiveShardsOverThreeClusters221RendersAsGolden() throws IOException {
    GoldenFiles.check("redis/2-2-1", ADAPTER.render(cluster221()));
  }

  @Test
  void aClusterOfThreeShardsOverThreeClusters111RendersAsGolden() throws IOException {
    Topology t = Topologies.kubernetes(CLUSTER_3, cluster111Placement(), SHARDS_111, CREDENTIALS);
    GoldenFiles.check("redis/1-1-1", ADAPTER.render(t));
  }

  @Test
  void aMasterWithReplicasAndSentinels111RendersAsGolden() throws IOException {
    Topology t = Topologies.kubernetes(SENTINELS, sentinelPlacement(), List.of(), CREDENTIALS);
    GoldenFiles.check("redis/sentinel-1-1-1", ADAPTER.render(t));
  }

  @Test
  void eachShardOwnsAnEvenShareOfTheSlotsAndTogetherTheyCoverAll() {
    for (int shards = 1; shards <= 64; shards++) {
      int next = 0;
      for (int s = 0; s < shards; s++) {
        int[] range = RedisAdapter.slotRange(s, shards);
        assertThat(range[0])
            .as("shard %d of %d starts where the last ended", s, shards)
            .isEqualTo(next);
        int size = range[1] - range[0] + 1;
        assertThat(size).isBetween(RedisAdapter.SLOTS / shards, RedisAdapter.SLOTS / shards + 1);
        next = range[1] + 1;
      }
      assertThat(next).as("%d shards cover every slot", shards).isEqualTo(RedisAdapter.SLOTS);
    }
  }

  @Test
  void everyReplicaLivesOutsideItsMastersCluster() {
    Topology t = cluster221();
    t.shards()
        .forEach(
            (shard, members) -> {
              Instance master = members.get(0);
              assertThat(members.subList(1, members.size()))
                  .as("shard %d", shard)
                  .allSatisfy(r -> assertThat(r.cluster()).isNotEqualTo(master.cluster()));
            });
  }

  @Test
  void clusterNodesAnnounceTheirNameAndCapMemoryBelowTheLimit() {
    Topology t = cluster221();
    String conf = ADAPTER.files(t, t.find("master", 3).orElseThrow()).get("redis.conf");
    assertThat(conf)
        .contains("cluster-enabled yes")
        .contains("cluster-announce-hostname cache-master-3.cache.db.svc.cluster.local")
        .contains("cluster-preferred-endpoint-type hostname")
        .contains("cluster-node-timeout 5000")
        .contains("maxmemory 1610612736")
        .contains("maxmemory-policy noeviction")
        .contains("appendonly yes")
        .contains("include /data/auth.conf")
        .doesNotContain("replicaof");
  }

  @Test
  void sentinelsMonitorTheMasterWithAMajorityQuorumAndReplicasFollowIt() {
    Topology t = Topologies.kubernetes(SENTINELS, sentinelPlacement(), List.of(), CREDENTIALS);
    Instance sentinel = t.role("sentinel").get(0);
    assertThat(ADAPTER.files(t, sentinel).get("sentinel.conf"))
        .contains("sentinel monitor cache cache-master-1.cache.db.svc.cluster.local 6379 2")
        .contains("sentinel resolve-hostnames yes")
        .doesNotContain("auth-pass");
    Instance replica = t.role("replica").get(0);
    assertThat(ADAPTER.files(t, replica).get("redis.conf"))
        .contains("replicaof cache-master-1.cache.db.svc.cluster.local 6379")
        .doesNotContain("cluster-enabled");
  }

  @Test
  void thePasswordReachesOnlyTheSecret() {
    Topology t = cluster221();
    ADAPTER
        .render(t)
        .values()
        .forEach(objects -> objects.forEach(o -> assertThat(o.toJson()).doesNotContain(SECRET)));
    assertThat(ADAPTER.secrets(t)).containsExactly(Map.entry(RedisAdapter.PASSWORD, SECRET));
  }

  @Test
  void aLocalNodeBindsItsLoopbackAddressAndKeepsThePasswordInItsOwnFile() {
    Topology t =
        Topology.of(
            CLUSTER_3,
            cluster111Placement(),
            BaseIds.contiguous(cluster111Placement(), 1),
            SHARDS_111,
            new LoopbackAddressing(List.of("dc1", "dc2", "dc3")),
            CREDENTIALS);
    Instance replica = t.find("slave", 5).orElseThrow();
    LocalLaunch launch = ADAPTER.launch(t, replica, "/tmp/r5");
    assertThat(t.host(replica)).isEqualTo("127.2.32.6");
    assertThat(launch.program())
        .isEqualTo(new LocalLaunch.Program.Native("redis-server", "redis-server"));
    assertThat(launch.args()).containsExactly("/tmp/r5/redis.conf");
    assertThat(launch.files().get("redis.conf"))
        .contains("bind 127.2.32.6")
        .contains("dir /tmp/r5/data")
        .contains("cluster-announce-ip 127.2.32.6")
        .contains("include /tmp/r5/auth.conf")
        .doesNotContain(SECRET);
    assertThat(launch.files().get("auth.conf")).contains("requirepass " + SECRET);
    assertThat(launch.endpoints())
        .containsExactly(
            new LocalLaunch.Endpoint("redis", "127.2.32.6", 6379),
            new LocalLaunch.Endpoint("bus", "127.2.32.6", 16379));
    assertThat(launch.args()).noneMatch(a -> a.contains(SECRET));
  }

  @Test
  void aLocalSentinelSeedsItsConfigurationOnceSinceSentinelRewritesIt() {
    Topology t =
        Topology.of(
            SENTINELS,
            sentinelPlacement(),
            BaseIds.contiguous(sentinelPlacement(), 1),
            List.of(),
            new LoopbackAddressing(List.of("dc1", "dc2", "dc3")),
            CREDENTIALS);
    LocalLaunch launch = ADAPTER.launch(t, t.role("sentinel").get(1), "/tmp/s");
    assertThat(launch.files()).isEmpty();
    assertThat(launch.args()).containsExactly("/tmp/s/data/sentinel.conf", "--sentinel");
    assertThat(launch.seedFiles().get("data/sentinel.conf"))
        .contains("sentinel monitor cache 127.1.0.2 6379 2")
        .contains("sentinel auth-pass cache " + SECRET);
  }

  static Stream<Arguments> findings() {
    return Stream.of(
        Arguments.of(Named.of("three masters with a replica each are fine", CLUSTER_3), List.of()),
        Arguments.of(
            Named.of("a master with replicas and three sentinels is fine", SENTINELS), List.of()),
        Arguments.of(
            Named.of(
                "replicas without masters make no sense",
                redis("- {role: slave, replicas: 3}\n- {role: sentinel, replicas: 3}\n")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[0].role",
                    "redis slaves need masters: there is no master role"))),
        Arguments.of(
            Named.of(
                "cluster-mode replicas must belong to a shard",
                redis("- {role: master, replicas: 3}\n- {role: replica, replicas: 3}\n")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[1].shard",
                    "in cluster mode each replica follows one master's shard: set shard (the"
                        + " replicas per master)"))),
        Arguments.of(
            Named.of(
                "slave and replica are one role named twice",
                redis(
                    "- {role: master, replicas: 1}\n- {role: slave, replicas: 1}\n"
                        + "- {role: replica, replicas: 1}\n- {role: sentinel, replicas: 3}\n")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[2].role",
                    "slave and replica are the same role in redis: use one of them"))),
        Arguments.of(
            Named.of(
                "sentinels watch one master, not shards",
                redis(
                    "- {role: master, replicas: 2}\n- {role: replica, replicas: 2}\n"
                        + "- {role: sentinel, replicas: 3}\n")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[0].replicas",
                    "with sentinels redis runs one master and its replicas, got 2 masters: drop"
                        + " the sentinel role to shard with Redis Cluster"))),
        Arguments.of(
            Named.of(
                "a node timeout must be a number of milliseconds",
                Topologies.middleware(
                    "apiVersion: flotilla.io/v1alpha1\nkind: Middleware\nmetadata: {name: c}\n"
                        + "spec:\n  type: redis\n  settings: {node-timeout: 5s}\n"
                        + "  replicaRequirements:\n    - {role: master, replicas: 3}\n"
                        + "    - {role: slave, replicas: 3, shard: 1}\n")),
            List.of(
                Finding.error(
                    "spec.settings.node-timeout",
                    "must be a positive number of milliseconds, got \"5s\""))),
        Arguments.of(
            Named.of(
                "masters without replicas lose their data with their cluster",
                redis("- {role: master, replicas: 3}\n")),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "masters without replicas lose their data with their cluster: add a replica"
                        + " role with shard: 1"))),
        Arguments.of(
            Named.of(
                "two masters cannot elect a replica after losing one",
                redis("- {role: master, replicas: 2}\n- {role: slave, replicas: 2, shard: 1}\n")),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements[0].replicas",
                    "2 masters cannot elect a replica after losing one: failover needs a majority"
                        + " of at least 3 masters spread over 3 clusters"))),
        Arguments.of(
            Named.of(
                "two sentinels cannot survive the loss of a cluster",
                redis(
                    "- {role: master, replicas: 1}\n- {role: replica, replicas: 2}\n"
                        + "- {role: sentinel, replicas: 2}\n")),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements[2].replicas",
                    "2 sentinels cannot survive the loss of a cluster: 3 or more spread over 3"
                        + " clusters can"))),
        Arguments.of(
            Named.of(
                "four sentinels tolerate no more failures than three",
                redis(
                    "- {role: master, replicas: 1}\n- {role: replica, replicas: 2}\n"
                        + "- {role: sentinel, replicas: 4}\n")),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements[2].replicas",
                    "4 sentinels tolerate no more failures than 3: an odd number of sentinels is"
                        + " better"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("findings")
  void checksTheTypesRules(Middleware mw, List<Finding> expected) {
    assertThat(ADAPTER.check(mw)).containsExactlyElementsOf(expected);
  }
}
