package io.flotilla.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Placement;
import io.flotilla.api.io.ObjectLoader;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.LoopbackAddressing;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.kafka.KafkaAdapter;
import io.flotilla.ops.KafkaMembership.Bootstrap;
import io.flotilla.ops.KafkaMembership.Broker;
import io.flotilla.ops.KafkaMembership.Partition;
import io.flotilla.runtime.Tools;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A KRaft cluster of three combined nodes spread over three clusters (one each, real servers on
 * loopback) with a topic of replication factor 3 and min.insync.replicas 2 loses the node in dc3.
 * It keeps acknowledging acks=all writes with two in-sync replicas. A replacement with a fresh node
 * id (4, never 3 again) is started in dc3, and the Kafka {@link MembershipDriver} takes node 3 out
 * of the quorum and the broker registrations, makes node 4 a voter, and moves the partitions that
 * had a replica on node 3 to it until every ISR is whole again; run again, it moves nothing. No
 * acknowledged record is lost.
 */
@Tag("e2e")
class KafkaDrillTest {
  private static final String TOOL = "io.flotilla.servers.kafka.KafkaAdmin";
  private static final String TOPIC = "drill";
  private static final int PARTITIONS = 6;
  private static final int BATCH = 500;

  @TempDir Path dir;

  @Test
  void aLostNodeIsReplacedWithAFreshIdAndNoAcknowledgedRecordIsLost() {
    long began = System.nanoTime();
    try (LocalDrill drill =
        new LocalDrill(new KafkaAdapter(), DrillMiddleware.KAFKA, Map.of(), dir)) {
      Placement one = LocalDrill.oneEach("combined");
      Topology before = drill.topology(one, BaseIds.contiguous(one, 1), List.of());
      drill.start(before, before.instances());
      KafkaMembership membership = new KafkaMembership(drill.tools);
      Bootstrap all = Bootstrap.brokers(KafkaAdapter.brokerServers(before));
      assertThat(membership.quorum(all).voterIds()).containsExactly(1, 2, 3);
      assertThat(membership.brokers(all))
          .extracting(Broker::id, Broker::rack, Broker::fenced)
          .containsExactly(tuple(1, "dc1", false), tuple(2, "dc2", false), tuple(3, "dc3", false));

      Tools.Result created =
          admin(
              drill,
              "create-topic",
              all,
              TOPIC,
              Integer.toString(PARTITIONS),
              "3",
              "min.insync.replicas=2");
      assertThat(created.ok()).as(created.stderr()).isTrue();
      List<String> acknowledged = new ArrayList<>();
      Tools.Result first = admin(drill, "produce", all, TOPIC, "0", Integer.toString(BATCH));
      assertThat(first.ok()).as(first.stderr()).isTrue();
      acknowledged.addAll(first.lines());
      assertThat(acknowledged).hasSize(BATCH);
      assertThat(topicPartitions(membership, all))
          .allSatisfy(p -> assertThat(p.replicas()).containsExactlyInAnyOrder(1, 2, 3));

      Instance lost = before.find("combined", 3).orElseThrow();
      long lostAt = System.nanoTime();
      drill.kill(lost);
      Bootstrap survivors =
          Bootstrap.brokers(
              before.instances().stream()
                  .filter(i -> !i.equals(lost))
                  .map(i -> before.host(i) + ":" + KafkaAdapter.BROKER_PORT)
                  .collect(Collectors.joining(",")));

      // acks=all goes on with two in-sync replicas: min.insync.replicas=2 holds without dc3
      Tools.Result during =
          admin(
              drill, "produce", survivors, TOPIC, Integer.toString(BATCH), Integer.toString(BATCH));
      assertThat(during.ok()).as(during.stderr()).isTrue();
      acknowledged.addAll(during.lines());
      assertThat(acknowledged).hasSize(2 * BATCH);
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  assertThat(topicPartitions(membership, survivors))
                      .allSatisfy(p -> assertThat(p.isr()).containsExactlyInAnyOrder(1, 2)));

      // the quorum runs: the replacement formats as an observer; the driver makes it a voter
      Middleware existing =
          ObjectLoader.middlewares(
                  "drill",
                  DrillMiddleware.KAFKA + "  settings: {" + KafkaAdapter.QUORUM + ": existing}\n")
              .get(0);
      BaseIds fresh =
          new BaseIds(Map.of("combined", new TreeMap<>(Map.of("dc1", 1, "dc2", 2, "dc3", 4))));
      Topology after =
          Topology.of(
              existing,
              one,
              fresh,
              List.of(),
              new LoopbackAddressing(LocalDrill.CLUSTERS),
              Map.of());
      Instance replacement = after.find("combined", 4).orElseThrow();
      assertThat(replacement.cluster()).isEqualTo("dc3");
      drill.start(after, List.of(replacement));
      MembershipDriver driver =
          MembershipDrivers.of(MiddlewareType.KAFKA, drill.tools, Clock.systemUTC());
      driver.reconcile(before, after, Set.of(lost));
      Bootstrap now = Bootstrap.brokers(KafkaAdapter.brokerServers(after));
      assertThat(topicPartitions(membership, now))
          .allSatisfy(
              p -> {
                assertThat(p.replicas()).containsExactlyInAnyOrder(1, 2, 4);
                assertThat(p.full()).as("ISR of %s-%d is whole", p.topic(), p.partition()).isTrue();
              });
      assertThat(membership.brokers(now))
          .extracting(Broker::id, Broker::rack)
          .containsExactly(tuple(1, "dc1"), tuple(2, "dc2"), tuple(4, "dc3"));
      assertThat(membership.quorum(now).voterIds()).containsExactly(1, 2, 4);
      double seconds = (System.nanoTime() - lostAt) / 1e9;
      System.out.printf(
          "kafka drill: from the loss of node 3 to full strength with node 4: %.1f s%n", seconds);

      List<Partition> partitions = membership.partitions(now);
      driver.reconcile(before, after, Set.of(lost));
      assertThat(membership.partitions(now))
          .as("a second reconcile moves nothing")
          .isEqualTo(partitions);
      assertThat(membership.quorum(now).voterIds()).containsExactly(1, 2, 4);
      assertThat(membership.brokers(now)).extracting(Broker::id).containsExactly(1, 2, 4);

      Tools.Result consumed = admin(drill, "consume", now, TOPIC);
      assertThat(consumed.ok()).as(consumed.stderr()).isTrue();
      assertThat(consumed.lines())
          .as("every acknowledged record, once")
          .containsExactlyInAnyOrderElementsOf(acknowledged);
    }
    System.out.printf("kafka drill: wall time %.1f s%n", (System.nanoTime() - began) / 1e9);
  }

  @Test
  void separateControllersAndBrokersFormAQuorumAndDefaultTopicsToThreeRacks() {
    String split =
        """
        apiVersion: flotilla.io/v1alpha1
        kind: Middleware
        metadata: {name: split, namespace: default}
        spec:
          type: kafka
          replicaRequirements:
            - {role: controller, replicas: 3}
            - {role: broker, replicas: 3}
        """;
    try (LocalDrill drill = new LocalDrill(new KafkaAdapter(), split, Map.of(), dir)) {
      Placement p = LocalDrill.oneEach("controller", "broker");
      Topology t = drill.topology(p, BaseIds.contiguous(p, 1), List.of());
      // the controllers first, until they have elected a leader that answers, then the brokers
      // (as a rollout does): once in CI, with all six started together on two cores, a broker
      // never learned the active controller in 180 s (cause not found; not seen in isolation)
      Bootstrap controllers = Bootstrap.controllers(KafkaAdapter.bootstrapServers(t));
      drill.start(t, t.instances().stream().filter(i -> i.role().equals("controller")).toList());
      KafkaMembership membership = new KafkaMembership(drill.tools);
      await()
          .atMost(Duration.ofMinutes(2))
          .ignoreExceptions()
          .until(() -> membership.quorum(controllers).leader() > 0);
      drill.start(t, t.instances().stream().filter(i -> i.role().equals("broker")).toList());
      KafkaMembership.Quorum quorum = membership.quorum(controllers);
      assertThat(quorum.voterIds()).containsExactly(1, 2, 3);
      assertThat(quorum.observers()).extracting(KafkaMembership.Replica::id).contains(4, 5, 6);
      Bootstrap brokers = Bootstrap.brokers(KafkaAdapter.brokerServers(t));
      assertThat(membership.brokers(brokers))
          .extracting(Broker::id, Broker::rack)
          .containsExactly(tuple(4, "dc1"), tuple(5, "dc2"), tuple(6, "dc3"));

      // no replication factor given (-1): the controllers' default, 3, one replica per rack
      Tools.Result created = admin(drill, "create-topic", brokers, TOPIC, "3", "-1");
      assertThat(created.ok()).as(created.stderr()).isTrue();
      assertThat(topicPartitions(membership, brokers))
          .hasSize(3)
          .allSatisfy(q -> assertThat(q.replicas()).containsExactlyInAnyOrder(4, 5, 6));
      Tools.Result produced = admin(drill, "produce", brokers, TOPIC, "0", "100");
      assertThat(produced.ok()).as(produced.stderr()).isTrue();
      assertThat(admin(drill, "consume", brokers, TOPIC).lines())
          .containsExactlyInAnyOrderElementsOf(produced.lines());
    }
  }

  private static List<Partition> topicPartitions(KafkaMembership membership, Bootstrap b) {
    return membership.partitions(b).stream().filter(p -> p.topic().equals(TOPIC)).toList();
  }

  private static Tools.Result admin(LocalDrill drill, String command, Bootstrap b, String... args) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(b.options());
    all.addAll(List.of(args));
    return drill.tools.run("kafka", TOOL, all, Map.of(), Duration.ofMinutes(2));
  }
}
