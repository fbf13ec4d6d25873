package io.flotilla.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Placement;
import io.flotilla.api.ShardPlacement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.rocketmq.RocketMqAdapter;
import io.flotilla.runtime.Tools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * RocketMQ in controller mode over three clusters, with real servers on loopback: three name
 * servers (dc1, dc2, dc3) that also run the controllers, and two broker groups, each a master and a
 * slave in another cluster (group 0: dc1 → dc2, group 1: dc2 → dc3). Cluster dc1 is lost (its name
 * server and group 0's master are killed). Group 1 keeps acknowledging messages throughout; the
 * controllers left (two of three) promote group 0's slave; a replacement broker with a fresh id
 * joins group 0 in dc3 and catches up; every surviving broker's name server list drops the lost
 * one. No acknowledged (SEND_OK) message is lost. All of that after the loss is the RocketMQ {@link
 * MembershipDriver}'s doing, once the replacement has started; run again, it changes nothing.
 */
@Tag("e2e")
class RocketMqDrillTest {
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
          - {role: master, replicas: 2}
          - {role: slave, replicas: 2, shard: 1, shardOf: master}
      """;
  private static final String TOOL = "io.flotilla.servers.rocketmq.RocketMqAdmin";

  /** A loopback address no instance is given: only a wildcard listener would answer there. */
  private static final String UNUSED_ADDRESS = "127.254.254.254";

  private static final String TOPIC = "drill";
  private static final List<ShardPlacement> SHARDS =
      List.of(
          new ShardPlacement(0, "dc1", List.of("dc2")),
          new ShardPlacement(1, "dc2", List.of("dc3")));

  /** Kept when the drill fails: the instances' logs are in it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void losingAClusterLosesNoAcknowledgedMessageAndItsGroupIsWholeAgain() {
    long startedAt = System.nanoTime();
    try (LocalDrill drill = new LocalDrill(new RocketMqAdapter(), RMQ, Map.of(), dir)) {
      Placement placement =
          Placement.builder()
              .put("nameserver", "dc1", 1)
              .put("nameserver", "dc2", 1)
              .put("nameserver", "dc3", 1)
              .put("master", "dc1", 1)
              .put("master", "dc2", 1)
              .put("slave", "dc2", 1)
              .put("slave", "dc3", 1)
              .build();
      Topology before = drill.topology(placement, BaseIds.contiguous(placement, 1), SHARDS);
      RocketMqMembership membership = new RocketMqMembership(drill.tools, Clock.systemUTC());
      drill.start(before, before.role("nameserver"));
      drill.start(before, before.role("master"));
      drill.start(before, before.role("slave"));
      await("both groups in sync")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> inSync(membership, before, 0) == 2 && inSync(membership, before, 1) == 2);

      for (int port :
          List.of(
              RocketMqAdapter.NAMESRV_PORT,
              RocketMqAdapter.CONTROLLER_PORT,
              RocketMqAdapter.FAST_PORT,
              RocketMqAdapter.BROKER_PORT,
              RocketMqAdapter.HA_PORT)) {
        assertThatThrownBy(() -> connect(UNUSED_ADDRESS, port))
            .as("no server binds port " + port + " on every address (0.0.0.0)")
            .isInstanceOf(IOException.class);
      }

      String namesrv = RocketMqAdapter.namesrvAddr(before);
      assertThat(tool(drill, "create-topic", namesrv, TOPIC, "4").lines())
          .as("the topic is on every broker, so a promoted slave has it")
          .hasSize(4);
      List<String> first = tool(drill, "produce", namesrv, TOPIC, "before", "60").lines();
      assertThat(first).as("every message before the loss is acknowledged").allMatch(ok());

      // a producer keeps sending while dc1 is lost
      CompletableFuture<Tools.Result> during =
          CompletableFuture.supplyAsync(
              () ->
                  drill.tools.run(
                      "rocketmq",
                      TOOL,
                      List.of("produce", namesrv, TOPIC, "during", "300", "100"),
                      Map.of(),
                      Duration.ofMinutes(3)));
      Instance lostNamesrv = before.find("nameserver", 1).orElseThrow();
      Instance lostMaster = before.find("master", 4).orElseThrow();
      assertThat(lostMaster.cluster()).isEqualTo("dc1");
      long lostAt = System.nanoTime();
      drill.kill(lostMaster);
      drill.kill(lostNamesrv);

      Instance slave = before.find("slave", 6).orElseThrow();
      String slaveAddr = RocketMqAdapter.brokerAddr(before, slave);
      CompletableFuture<Double> promotedAfter =
          CompletableFuture.supplyAsync(
              () -> {
                await("group 0's slave promoted")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> membership.syncState(before, 0).masterAddress().equals(slaveAddr));
                return (System.nanoTime() - lostAt) / 1e9;
              });

      // dc1 is gone: its name server leaves the list, group 0's new replica (fresh id 8) joins in
      // dc3, a cluster other than its new master's. In controller mode the roles are where a
      // group starts: the controllers make slave 6 the master, and the replacement, rendered as
      // the group's master instance, registers with them and follows it.
      Placement without =
          Placement.builder()
              .put("nameserver", "dc2", 1)
              .put("nameserver", "dc3", 1)
              .put("master", "dc2", 1)
              .put("master", "dc3", 1)
              .put("slave", "dc2", 1)
              .put("slave", "dc3", 1)
              .build();
      BaseIds fresh =
          new BaseIds(
              Map.of(
                  "nameserver", new TreeMap<>(Map.of("dc2", 2, "dc3", 3)),
                  "master", new TreeMap<>(Map.of("dc2", 5, "dc3", 8)),
                  "slave", new TreeMap<>(Map.of("dc2", 6, "dc3", 7))));
      Topology after =
          drill.topology(
              without,
              fresh,
              List.of(
                  new ShardPlacement(0, "dc3", List.of("dc2")),
                  new ShardPlacement(1, "dc2", List.of("dc3"))));
      Instance replacement = after.find("master", 8).orElseThrow();
      assertThat(after.shard(replacement)).hasValue(0);
      drill.start(after, List.of(replacement));
      MembershipDriver driver =
          MembershipDrivers.of(MiddlewareType.ROCKETMQ, drill.tools, Clock.systemUTC());
      Set<Instance> lostInstances = Set.of(lostNamesrv, lostMaster);
      driver.reconcile(before, after, lostInstances);
      RocketMqMembership.SyncState group0 = membership.syncState(after, 0);
      assertThat(group0.masterAddress()).as("group 0's slave promoted").isEqualTo(slaveAddr);
      assertThat(group0.aliveInSync())
          .extracting(RocketMqMembership.Replica::address)
          .containsExactlyInAnyOrder(slaveAddr, RocketMqAdapter.brokerAddr(after, replacement));
      String namesrvAfter = RocketMqAdapter.namesrvAddr(after);
      List<String> probes = new java.util.ArrayList<>();
      await("group 0 taking writes")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                List<String> probe =
                    tool(drill, "produce", namesrvAfter, TOPIC, "probe" + probes.size(), "8")
                        .lines();
                probes.addAll(probe);
                return probe.stream().anyMatch(l -> ok().test(l) && l.endsWith(" rmq-broker-0"));
              });
      double seconds = (System.nanoTime() - lostAt) / 1e9;
      System.out.printf(
          "rocketmq drill: slave promoted %.1f s after the loss of dc1; from the loss to full"
              + " strength (name server lists updated, group 0 in sync with replacement broker 8"
              + " and taking writes): %.1f s%n",
          promotedAfter.join(), seconds);

      Tools.Result producer = during.join();
      assertThat(producer.ok()).as("the producer across the loss: " + producer.stderr()).isTrue();
      List<String> whileLost = producer.lines();
      assertThat(whileLost).hasSize(300);
      List<String> acked = whileLost.stream().filter(ok()).toList();
      System.out.printf(
          "rocketmq drill: %d of 300 messages sent across the loss acknowledged (SEND_OK)%n",
          acked.size());
      assertThat(acked)
          .as("RocketMQ kept acknowledging messages while dc1 was lost")
          .hasSizeGreaterThan(150);

      List<String> last = tool(drill, "produce", namesrvAfter, TOPIC, "after", "60").lines();
      assertThat(last).as("every message at full strength is acknowledged").allMatch(ok());
      assertThat(last).as("group 0 takes writes again").anyMatch(l -> l.endsWith(" rmq-broker-0"));

      assertThat(tool(drill, "clusters", namesrvAfter).lines())
          .as("the name servers left list both groups, group 0 with the replacement")
          .contains(
              "broker rmq rmq-broker-0 0 " + RocketMqAdapter.brokerAddr(after, slave),
              "broker rmq rmq-broker-1 0 "
                  + RocketMqAdapter.brokerAddr(after, after.find("master", 5).orElseThrow()))
          .anyMatch(l -> l.endsWith(" " + RocketMqAdapter.brokerAddr(after, replacement)));

      List<String> routes = routes(drill, after);
      RocketMqMembership.SyncState group1 = membership.syncState(after, 1);
      driver.reconcile(before, after, lostInstances);
      assertThat(membership.syncState(after, 0))
          .as("a second reconcile changes nothing")
          .isEqualTo(group0);
      assertThat(membership.syncState(after, 1)).isEqualTo(group1);
      assertThat(routes(drill, after)).isEqualTo(routes);

      Set<String> stored = Set.copyOf(tool(drill, "keys", namesrvAfter, TOPIC).lines());
      List<String> lost =
          Stream.of(first, whileLost, probes, last)
              .flatMap(List::stream)
              .filter(ok())
              .map(l -> l.split(" ")[1])
              .filter(k -> !stored.contains(k))
              .collect(Collectors.toList());
      assertThat(lost).as("acknowledged messages lost").isEmpty();
      System.out.printf(
          "rocketmq drill: %d acknowledged messages all stored; drill wall time %.1f s%n",
          first.size() + acked.size() + probes.stream().filter(ok()).count() + last.size(),
          (System.nanoTime() - startedAt) / 1e9);
    }
  }

  /** The name servers' lines for the brokers of {@code t}. */
  private static List<String> routes(LocalDrill drill, Topology t) {
    List<String> brokers =
        Stream.concat(t.role("master").stream(), t.role("slave").stream())
            .map(b -> " " + RocketMqAdapter.brokerAddr(t, b))
            .toList();
    return tool(drill, "clusters", RocketMqAdapter.namesrvAddr(t)).lines().stream()
        .filter(l -> brokers.stream().anyMatch(l::endsWith))
        .sorted()
        .toList();
  }

  private static java.util.function.Predicate<String> ok() {
    return l -> l.startsWith("ok ");
  }

  private static int inSync(RocketMqMembership m, Topology t, int shard) {
    try {
      return m.syncState(t, shard).aliveInSync().size();
    } catch (MembershipException | io.flotilla.runtime.LocalRuntimeException e) {
      return 0;
    }
  }

  private static void connect(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
    }
  }

  private static Tools.Result tool(LocalDrill drill, String... args) {
    Tools.Result r =
        drill.tools.run("rocketmq", TOOL, List.of(args), Map.of(), Duration.ofMinutes(2));
    assertThat(r.ok()).as(String.join(" ", args) + ": " + r.stderr()).isTrue();
    return r;
  }
}
