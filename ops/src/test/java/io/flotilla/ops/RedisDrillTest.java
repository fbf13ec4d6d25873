package io.flotilla.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Placement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.redis.RedisAdapter;
import io.flotilla.ops.redis.RedisMembership;
import io.flotilla.ops.redis.RedisMembership.Address;
import io.flotilla.ops.redis.RedisMembership.Node;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis Cluster of 3 masters and 3 replicas over three clusters (real servers on loopback), each
 * master's replica in another cluster, loses the master in dc3. A replacement with a fresh id is
 * started in dc3, and the Redis {@link MembershipDriver} does the rest: the lost master's replica
 * in dc1 takes the slots, the lost node is forgotten everywhere, the replacement joins as the
 * shard's replica and, once caught up, takes the master's place back by a coordinated failover; run
 * again, it changes nothing. The slots stay covered and no write acknowledged by a replica is lost.
 */
@Tag("e2e")
class RedisDrillTest {

  private static final Placement ONE_EACH = LocalDrill.oneEach("master", "slave");

  @TempDir Path dir;

  @Test
  void aLostMastersSlotsStayCoveredAndAReplacementRestoresTheShard() {
    String password = UUID.randomUUID().toString();
    try (LocalDrill drill =
        new LocalDrill(
            new RedisAdapter(),
            DrillMiddleware.REDIS_CLUSTER,
            Map.of(RedisAdapter.PASSWORD, password),
            dir)) {
      Topology before =
          drill.topology(ONE_EACH, BaseIds.contiguous(ONE_EACH, 1), DrillMiddleware.REDIS_SHARDS);
      drill.start(before, before.instances());
      RedisMembership membership = new RedisMembership("cache", password, Duration.ofSeconds(60));
      List<List<Address>> shards = new ArrayList<>();
      before
          .shards()
          .values()
          .forEach(m -> shards.add(m.stream().map(i -> at(before, i)).toList()));
      membership.bootstrap(shards);
      List<Address> all = before.instances().stream().map(i -> at(before, i)).toList();
      assertThat(membership.coverage(all.get(0)).full()).isTrue();
      membership.bootstrap(shards); // forming an existing cluster again changes nothing

      ClusterKeys keys = new ClusterKeys(password, membership);
      keys.refresh(all);
      Map<String, String> acknowledged = new LinkedHashMap<>();
      for (int k = 0; k < 300; k++) {
        String key = "key:" + k;
        assertThat(keys.write(key, "v" + k)).as("write %s before the loss", key).isTrue();
        acknowledged.put(key, "v" + k);
      }

      Instance lost = before.find("master", 3).orElseThrow();
      Address lostAt = at(before, lost);
      long lossTime = System.nanoTime();
      drill.kill(lost);
      List<Address> survivors = all.stream().filter(a -> !a.equals(lostAt)).toList();
      int during = 0;
      for (int k = 300; k < 400; k++) {
        String key = "key:" + k;
        if (keys.write(key, "v" + k)) {
          acknowledged.put(key, "v" + k);
          during++;
        }
      }

      BaseIds fresh =
          new BaseIds(
              Map.of(
                  "master", new TreeMap<>(Map.of("dc1", 1, "dc2", 2, "dc3", 7)),
                  "slave", new TreeMap<>(Map.of("dc1", 4, "dc2", 5, "dc3", 6))));
      Topology after = drill.topology(ONE_EACH, fresh, DrillMiddleware.REDIS_SHARDS);
      Instance replacement = after.find("master", 7).orElseThrow();
      assertThat(after.shard(replacement)).hasValue(2);
      drill.start(after, List.of(replacement));
      Address replacementAt = at(after, replacement);
      MembershipDriver driver =
          MembershipDrivers.of(MiddlewareType.REDIS, drill.tools, Clock.systemUTC());
      driver.reconcile(before, after, Set.of(lost));
      List<Address> now = new ArrayList<>(survivors);
      now.add(replacementAt);
      double seconds = (System.nanoTime() - lossTime) / 1e9;
      System.out.printf(
          "redis drill: from the loss of master 3 to a full cluster with master 7 in dc3: %.1f s"
              + " (%d writes acknowledged during the outage)%n",
          seconds, during);

      List<Node> settled = membership.nodes(replacementAt);
      driver.reconcile(before, after, Set.of(lost));
      assertThat(membership.nodes(replacementAt))
          .as("a second reconcile changes nothing")
          .containsExactlyInAnyOrderElementsOf(settled);

      List<Node> nodes = membership.nodes(replacementAt);
      assertThat(nodes).hasSize(6).noneMatch(Node::failing);
      assertThat(nodes).extracting(Node::address).doesNotContain(lostAt);
      Map<String, Node> byId = new TreeMap<>();
      nodes.forEach(n -> byId.put(n.id(), n));
      for (Node n : nodes) {
        if (!n.master()) {
          Node master = byId.get(n.masterId().orElseThrow());
          assertThat(cluster(after, n.address()))
              .as("replica %s lives outside its master's cluster", n.address())
              .isNotEqualTo(cluster(after, master.address()));
        }
      }
      assertThat(nodes.stream().filter(Node::master).map(n -> cluster(after, n.address())))
          .as("one master per cluster again")
          .containsExactlyInAnyOrder("dc1", "dc2", "dc3");
      assertThat(membership.coverage(replacementAt).full()).isTrue();

      keys.refresh(now);
      acknowledged.forEach(
          (key, value) -> assertThat(keys.read(key)).as("acknowledged %s", key).hasValue(value));
    }
  }

  private static Address at(Topology t, Instance i) {
    return new Address(t.host(i), RedisAdapter.PORT);
  }

  /** The cluster a node lives in (its loopback address says). */
  private static String cluster(Topology t, Address a) {
    return t.instances().stream()
        .filter(i -> t.host(i).equals(a.host()))
        .map(Instance::cluster)
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(a + " is not an instance of " + t.middleware().name()));
  }
}
