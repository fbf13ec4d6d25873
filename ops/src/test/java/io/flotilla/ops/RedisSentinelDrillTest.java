package io.flotilla.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Placement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.redis.RedisAdapter;
import io.flotilla.ops.redis.RedisConnection;
import io.flotilla.ops.redis.RedisMembership;
import io.flotilla.ops.redis.RedisMembership.Address;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Master/replica mode: a master in dc1, replicas in dc2 and dc3, a sentinel in each cluster (real
 * servers on loopback). The master is lost; a replacement with a fresh id is started in dc1 and the
 * Redis {@link MembershipDriver} awaits the sentinels' promotion of a replica, makes the
 * replacement follow it by REPLICAOF and resets the sentinels to forget the lost node; run again,
 * it changes nothing. No write a replica acknowledged is lost.
 */
@Tag("e2e")
class RedisSentinelDrillTest {
  private static final String CACHE =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: Middleware
      metadata: {name: cache, namespace: default}
      spec:
        type: redis
        settings: {node-timeout: "2000"}
        replicaRequirements:
          - {role: master, replicas: 1}
          - {role: replica, replicas: 2}
          - {role: sentinel, replicas: 3}
      """;

  private static final Placement PLACEMENT =
      Placement.builder()
          .put("master", "dc1", 1)
          .put("replica", "dc2", 1)
          .put("replica", "dc3", 1)
          .put("sentinel", "dc1", 1)
          .put("sentinel", "dc2", 1)
          .put("sentinel", "dc3", 1)
          .build();

  @TempDir Path dir;

  @Test
  void theSentinelsPromoteAReplicaAndAReplacementJoinsByReplicaof() {
    String password = UUID.randomUUID().toString();
    try (LocalDrill drill =
        new LocalDrill(new RedisAdapter(), CACHE, Map.of(RedisAdapter.PASSWORD, password), dir)) {
      Topology t = drill.topology(PLACEMENT, BaseIds.contiguous(PLACEMENT, 1), List.of());
      drill.start(t, t.instances());
      RedisMembership membership = new RedisMembership("cache", password, Duration.ofSeconds(60));
      List<Address> sentinels =
          t.role("sentinel").stream()
              .map(i -> new Address(t.host(i), RedisAdapter.SENTINEL_PORT))
              .toList();
      Instance master = t.role("master").get(0);
      Address masterAt = data(t, master);
      t.role("replica").forEach(r -> membership.awaitReplicating(data(t, r)));
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> membership.sentinelReplicas(sentinels.get(0), "cache") == 2);

      List<String> acknowledged = new ArrayList<>();
      try (RedisConnection c =
          RedisConnection.open(masterAt.host(), masterAt.port(), password, Duration.ofSeconds(2))) {
        for (int k = 0; k < 200; k++) {
          c.call("SET", "key:" + k, "v" + k);
          if ((Long) c.call("WAIT", "1", "1000") >= 1) {
            acknowledged.add("key:" + k);
          }
        }
      }
      assertThat(acknowledged).hasSize(200);

      long lossTime = System.nanoTime();
      drill.kill(master);
      BaseIds fresh =
          new BaseIds(
              Map.of(
                  "master", new TreeMap<>(Map.of("dc1", 7)),
                  "replica", new TreeMap<>(Map.of("dc2", 2, "dc3", 3)),
                  "sentinel", new TreeMap<>(Map.of("dc1", 4, "dc2", 5, "dc3", 6))));
      Topology after = drill.topology(PLACEMENT, fresh, List.of());
      Instance replacement = after.find("master", 7).orElseThrow();
      drill.start(after, List.of(replacement));
      Address replacementAt = data(after, replacement);
      MembershipDriver driver =
          MembershipDrivers.of(MiddlewareType.REDIS, drill.tools, Clock.systemUTC());
      driver.reconcile(t, after, Set.of(master));
      Address promoted = membership.sentinelMaster(sentinels, "cache").orElseThrow();
      assertThat(promoted).isIn(t.role("replica").stream().map(r -> data(t, r)).toList());
      assertThat(sentinels)
          .allSatisfy(s -> assertThat(membership.sentinelReplicas(s, "cache")).isEqualTo(2));
      double seconds = (System.nanoTime() - lossTime) / 1e9;
      System.out.printf(
          "redis sentinel drill: from the loss of the master to a promoted master with two"
              + " replicas again: %.1f s%n",
          seconds);

      driver.reconcile(t, after, Set.of(master));
      assertThat(membership.sentinelMaster(sentinels, "cache"))
          .as("a second reconcile changes nothing")
          .hasValue(promoted);
      assertThat(membership.masterOf(replacementAt)).hasValue(promoted);
      assertThat(membership.role(promoted)).isEqualTo("master");
      assertThat(membership.role(replacementAt)).isEqualTo("slave");
      try (RedisConnection c =
          RedisConnection.open(
              replacementAt.host(), replacementAt.port(), password, Duration.ofSeconds(2))) {
        for (String key : acknowledged) {
          assertThat(c.text("GET", key))
              .as("acknowledged %s on the replacement", key)
              .isEqualTo("v" + key.substring(4));
        }
      }
    }
  }

  private static Address data(Topology t, Instance i) {
    return new Address(t.host(i), RedisAdapter.PORT);
  }
}
