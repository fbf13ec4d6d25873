package io.flotilla.sandbox.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.Placement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.redis.RedisAdapter;
import io.flotilla.ops.DrillMiddleware;
import io.flotilla.ops.LocalDrill;
import io.flotilla.ops.redis.RedisConnection;
import io.flotilla.ops.redis.RedisConnection.RedisError;
import io.flotilla.ops.redis.RedisMembership;
import io.flotilla.ops.redis.RedisMembership.Address;
import io.flotilla.ops.redis.RedisMembership.Node;
import io.flotilla.sandbox.workload.Workload.Stats;
import io.flotilla.sandbox.workload.Workload.Verification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis workload against a real Redis Cluster on loopback: 3 masters and 3 replicas over three
 * clusters, each master's replica in the next cluster (as in the ops drill).
 */
@Tag("e2e")
class RedisWorkloadTest {

  private static final Placement ONE_EACH = LocalDrill.oneEach("master", "slave");

  private static final Duration PAUSE = Duration.ofMillis(5);

  @TempDir Path dir;
  private final String password = UUID.randomUUID().toString();

  @Test
  void everyAcknowledgedKeyIsReadBackAndALostOneIsReported() {
    try (LocalDrill drill = drill()) {
      Topology t = cluster(drill);
      List<Address> all = t.instances().stream().map(i -> at(t, i)).toList();
      try (RedisConnection c = open(all.get(0))) {
        for (String key : List.of("foo", "{user1000}.following", "demo:0", "demo:12345", "é{x}")) {
          assertThat(RedisSlots.slot(key))
              .as("our slot of %s is the server's", key)
              .isEqualTo(((Long) c.call("CLUSTER", "KEYSLOT", key)).intValue());
        }
      }

      try (RedisWorkload w =
          new RedisWorkload(seeds(t, "master", 1), password, PAUSE, System::nanoTime)) {
        assertThat(w.describe()).contains("demo:<n>").contains(t.host(master(t, 1)));
        w.start();
        await("acknowledged writes and reads")
            .atMost(Duration.ofMinutes(1))
            .until(() -> w.stats().acknowledged() >= 300 && w.stats().reads() >= 300);
        w.stop();
        Stats stopped = w.stats();
        assertThat(stopped.lastError()).isEmpty();
        assertThat(stopped.failed()).isZero();

        Verification clean = w.verify(Duration.ofSeconds(30));
        assertThat(clean.acknowledged()).isEqualTo(stopped.acknowledged());
        assertThat(clean.missing()).isEmpty();
        assertThat(w.stats().acknowledged())
            .as("no writes after stop")
            .isEqualTo(stopped.acknowledged());

        assertThat(onOwner(all, "DEL", "demo:7")).isEqualTo(1L);
        assertThat(onOwner(all, "SET", "demo:42", "not 42")).isEqualTo("OK");
        Verification lossy = w.verify(Duration.ofSeconds(30));
        assertThat(lossy.missing()).containsExactly(7L, 42L);
        assertThat(lossy.lost()).isEqualTo(2);
      }
    }
  }

  @Test
  void writesGoOnAfterTheClusterFailsOverALostMaster() {
    try (LocalDrill drill = drill()) {
      Topology t = cluster(drill);
      Instance lost = master(t, 3);
      List<String> seeds = new ArrayList<>(seeds(t, "master", 3));
      seeds.addAll(seeds(t, "master", 1));
      try (RedisWorkload w = new RedisWorkload(seeds, password, PAUSE, System::nanoTime)) {
        w.start();
        await("writes before the loss")
            .atMost(Duration.ofMinutes(1))
            .until(() -> w.stats().acknowledged() >= 200);

        long killedAt = System.nanoTime();
        drill.kill(lost);
        Address survivor = at(t, master(t, 1));
        RedisMembership membership = new RedisMembership("cache", password, Duration.ofSeconds(60));
        await("the lost master's replica takes its slots")
            .atMost(Duration.ofMinutes(1))
            .until(() -> failedOver(membership, survivor, at(t, lost)));
        double failover = (System.nanoTime() - killedAt) / 1e9;

        Stats settled = w.stats();
        await("writes after the failover")
            .atMost(Duration.ofMinutes(1))
            .until(() -> w.stats().acknowledged() >= settled.acknowledged() + 600);
        w.stop();
        Stats end = w.stats();
        assertThat(end.failed()).as("writes failed while the master was lost").isPositive();
        assertThat(end.failed() - settled.failed())
            .as("failures once the replica took over (%s)", end.lastError())
            .isLessThan(60);
        assertThat(end.longestGap()).isPositive();

        Verification v = w.verify(Duration.ofMinutes(1));
        assertThat(v.acknowledged()).isEqualTo(end.acknowledged());
        List<Long> acknowledged = new ArrayList<>();
        for (long n = 0; n < end.acknowledged() + end.failed(); n++) {
          acknowledged.add(n);
        }
        assertThat(acknowledged).containsAll(v.missing());
        System.out.printf(
            "redis workload: master 3 lost, failed over after %.1f s; %d acknowledged, %d failed,"
                + " longest gap %d ms, %d lost to asynchronous replication%n",
            failover, end.acknowledged(), end.failed(), end.longestGap().toMillis(), v.lost());
      }
    }
  }

  @Test
  void theClientFollowsAskDuringASlotMigrationAndMovedAfterIt() {
    try (LocalDrill drill = drill()) {
      Topology t = cluster(drill);
      Address seed = at(t, master(t, 1));
      RedisMembership membership = new RedisMembership("cache", password, Duration.ofSeconds(60));
      int slot = RedisSlots.slot("{moving}");
      List<Node> masters = membership.nodes(seed).stream().filter(Node::master).toList();
      Node from =
          masters.stream()
              .filter(n -> n.slots().stream().anyMatch(r -> r.first() <= slot && slot <= r.last()))
              .findFirst()
              .orElseThrow();
      Node to = masters.stream().filter(n -> !n.equals(from)).findFirst().orElseThrow();

      try (RedisClusterClient client =
              new RedisClusterClient(
                  List.of(seed),
                  password,
                  Duration.ofSeconds(2),
                  Duration.ofSeconds(5),
                  System::nanoTime);
          RedisConnection source = open(from.address());
          RedisConnection target = open(to.address())) {
        client.refresh();
        assertThat(client.slots().master(slot)).hasValue(from.address());
        assertThat(client.call("{moving}old", "SET", "{moving}old", "before")).isEqualTo("OK");

        target.call("CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", from.id());
        source.call("CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", to.id());
        assertThat(client.call("{moving}new", "SET", "{moving}new", "during"))
            .as("a new key of a migrating slot is written where the ASK points")
            .isEqualTo("OK");
        assertThat(client.call("{moving}new", "GET", "{moving}new")).isEqualTo("during");
        assertThat(client.call("{moving}old", "GET", "{moving}old")).isEqualTo("before");
        assertThat(client.slots().master(slot)).as("ASK changes no route").hasValue(from.address());

        source.call(
            "MIGRATE",
            to.address().host(),
            Integer.toString(to.address().port()),
            "",
            "0",
            "5000",
            "AUTH",
            password,
            "KEYS",
            "{moving}old");
        target.call("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", to.id());
        source.call("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", to.id());
        assertThat(client.call("{moving}old", "GET", "{moving}old"))
            .as("read through a MOVED redirection")
            .isEqualTo("before");
        assertThat(client.slots().master(slot)).hasValue(to.address());
        assertThat(client.call("{moving}new", "GET", "{moving}new")).isEqualTo("during");
      }
    }
  }

  /** True when the slots of the lost master are served by another master, as a survivor sees it. */
  private boolean failedOver(RedisMembership membership, Address survivor, Address lost) {
    List<Node> nodes = membership.nodes(survivor);
    boolean lostHoldsSlots =
        nodes.stream().anyMatch(n -> n.address().equals(lost) && !n.slots().isEmpty());
    return !lostHoldsSlots && membership.coverage(survivor).full();
  }

  /** Sends a key's command to every master; exactly one owns the key's slot, the rest redirect. */
  private Object onOwner(List<Address> all, String... command) {
    List<Object> replies = new ArrayList<>();
    for (Address a : all) {
      try (RedisConnection c = open(a)) {
        replies.add(c.call(command));
      } catch (RedisError e) {
        assertThat(e.reply()).startsWith("MOVED");
      }
    }
    assertThat(replies).as("replies of the slot's master").hasSize(1);
    return replies.get(0);
  }

  private LocalDrill drill() {
    return new LocalDrill(
        new RedisAdapter(),
        DrillMiddleware.REDIS_CLUSTER,
        Map.of(RedisAdapter.PASSWORD, password),
        dir);
  }

  /** Starts the six servers and forms the cluster. */
  private Topology cluster(LocalDrill drill) {
    Topology t =
        drill.topology(ONE_EACH, BaseIds.contiguous(ONE_EACH, 1), DrillMiddleware.REDIS_SHARDS);
    drill.start(t, t.instances());
    List<List<Address>> shards = new ArrayList<>();
    t.shards().values().forEach(m -> shards.add(m.stream().map(i -> at(t, i)).toList()));
    new RedisMembership("cache", password, Duration.ofSeconds(60)).bootstrap(shards);
    return t;
  }

  private static Instance master(Topology t, int id) {
    return t.find("master", id).orElseThrow();
  }

  private static List<String> seeds(Topology t, String role, int id) {
    return List.of(at(t, t.find(role, id).orElseThrow()).toString());
  }

  private RedisConnection open(Address a) {
    return RedisConnection.open(a.host(), a.port(), password, Duration.ofSeconds(5));
  }

  private static Address at(Topology t, Instance i) {
    return new Address(t.host(i), RedisAdapter.PORT);
  }
}
