package io.flotilla.middleware.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.Middleware;
import io.flotilla.api.Placement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Finding;
import io.flotilla.middleware.GoldenFiles;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.LocalLaunch;
import io.flotilla.middleware.LoopbackAddressing;
import io.flotilla.middleware.Topologies;
import io.flotilla.middleware.Topology;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KafkaAdapterTest {
  private static final KafkaAdapter ADAPTER = new KafkaAdapter();

  private static Middleware kafka(String roles, String settings) {
    return Topologies.middleware(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: Middleware
        metadata: {name: events, namespace: mq}
        spec:
          type: kafka
          version: "4.4.0"
          replicaRequirements:
        %s
          settings: {%s}
        """
            .formatted(roles.indent(4).stripTrailing(), settings));
  }

  private static Middleware kafka(String roles) {
    return kafka(roles, "");
  }

  /** 2+2+1 controllers and 1+1+1 brokers: controllers 1..5, brokers 6..8. */
  private static final Middleware SPLIT =
      kafka(
          """
          - role: controller
            replicas: 5
            resourceRequest:
              requests: {cpu: 500m, memory: 1Gi}
              limits: {cpu: "1", memory: 2Gi}
          - role: broker
            replicas: 3
            resourceRequest:
              requests: {cpu: "1", memory: 4Gi}
              limits: {cpu: "2", memory: 8Gi}
          """);

  private static final Placement SPLIT_221 =
      Placement.builder()
          .put("controller", "dc1", 2)
          .put("controller", "dc2", 2)
          .put("controller", "dc3", 1)
          .put("broker", "dc1", 1)
          .put("broker", "dc2", 1)
          .put("broker", "dc3", 1)
          .build();

  private static Middleware combined(int replicas, String settings) {
    return kafka(
        """
        - role: combined
          replicas: %d
          resourceRequest:
            requests: {cpu: "1", memory: 2Gi}
            limits: {cpu: "2", memory: 4Gi}
        """
            .formatted(replicas),
        settings);
  }

  private static Topology split() {
    return Topologies.kubernetes(SPLIT, SPLIT_221, List.of(), Map.of());
  }

  private static Topology combined111() {
    return Topologies.kubernetes(
        combined(3, ""), Topologies.spread("combined", 1, 1, 1), List.of(), Map.of());
  }

  private static Map<String, String> properties(String text) {
    Map<String, String> out = new TreeMap<>();
    text.lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .forEach(l -> out.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    return out;
  }

  private static Map<String, String> serverProperties(Topology t, Instance i) {
    return properties(ADAPTER.files(t, i).get("server.properties"));
  }

  @Test
  void fiveControllersAndThreeBrokersOverThreeClusters221RenderAsGolden() throws IOException {
    GoldenFiles.check("kafka/2-2-1", ADAPTER.render(split()));
  }

  @Test
  void threeCombinedNodesOverThreeClusters111RenderAsGolden() throws IOException {
    GoldenFiles.check("kafka/1-1-1", ADAPTER.render(combined111()));
  }

  @Test
  void nodeIdsAreUniqueAcrossClustersAndRoles() {
    Topology t = split();
    assertThat(t.instances())
        .extracting(i -> i.role() + "-" + i.id() + "@" + i.cluster())
        .containsExactly(
            "controller-1@dc1",
            "controller-2@dc1",
            "controller-3@dc2",
            "controller-4@dc2",
            "controller-5@dc3",
            "broker-6@dc1",
            "broker-7@dc2",
            "broker-8@dc3");
    for (Instance i : t.instances()) {
      assertThat(serverProperties(t, i)).containsEntry("node.id", Integer.toString(i.id()));
    }
  }

  @Test
  void everyNodeFindsTheQuorumThroughEveryVoterOfEveryCluster() {
    Topology t = split();
    String voters =
        Stream.of(1, 2, 3, 4, 5)
            .map(id -> "events-controller-" + id + ".events.mq.svc.cluster.local:9093")
            .collect(Collectors.joining(","));
    for (Instance i : t.instances()) {
      Map<String, String> p = serverProperties(t, i);
      assertThat(p)
          .containsEntry("controller.quorum.bootstrap.servers", voters)
          .containsEntry("controller.listener.names", "CONTROLLER")
          .containsEntry("controller.quorum.auto.join.enable", "false")
          .doesNotContainKey("controller.quorum.voters");
    }
  }

  @Test
  void rolesListenOnTheirPodsHostOnly() {
    Topology t = split();
    Map<String, String> controller = serverProperties(t, t.find("controller", 3).orElseThrow());
    assertThat(controller)
        .containsEntry("process.roles", "controller")
        .containsEntry(
            "listeners", "CONTROLLER://events-controller-3.events.mq.svc.cluster.local:9093")
        .containsEntry(
            "advertised.listeners",
            "CONTROLLER://events-controller-3.events.mq.svc.cluster.local:9093")
        .doesNotContainKeys("broker.rack", "inter.broker.listener.name");
    Map<String, String> broker = serverProperties(t, t.find("broker", 7).orElseThrow());
    assertThat(broker)
        .containsEntry("process.roles", "broker")
        .containsEntry("listeners", "PLAINTEXT://events-broker-7.events.mq.svc.cluster.local:9092")
        .containsEntry("inter.broker.listener.name", "PLAINTEXT");
    Topology c = combined111();
    assertThat(serverProperties(c, c.find("combined", 2).orElseThrow()))
        .containsEntry("process.roles", "broker,controller")
        .containsEntry(
            "listeners",
            "PLAINTEXT://events-combined-2.events.mq.svc.cluster.local:9092,"
                + "CONTROLLER://events-combined-2.events.mq.svc.cluster.local:9093");
  }

  @Test
  void brokersAreRackedByClusterAndTopicsSurviveTheLossOfOne() {
    Topology t = split();
    for (Instance i : t.role("broker")) {
      assertThat(serverProperties(t, i))
          .containsEntry("broker.rack", i.cluster())
          .containsEntry("min.insync.replicas", "2")
          .containsEntry("offsets.topic.replication.factor", "3")
          .containsEntry("transaction.state.log.replication.factor", "3")
          .containsEntry("transaction.state.log.min.isr", "2")
          .containsEntry("unclean.leader.election.enable", "false")
          .containsEntry("log.dirs", "/data/kafka");
    }
    for (Instance i : t.role("controller")) {
      // the controllers create topics, so their default replication factor is the one that counts
      assertThat(serverProperties(t, i))
          .containsEntry("default.replication.factor", "3")
          .containsEntry("min.insync.replicas", "2")
          .containsEntry("unclean.leader.election.enable", "false");
    }
  }

  @Test
  void aNewQuorumIsFoundedByEveryVoterWithTheSameInitialControllers() {
    Topology t = split();
    String cluster = KafkaAdapter.clusterId(SPLIT);
    String initial =
        Stream.of(1, 2, 3, 4, 5)
            .map(
                id ->
                    id
                        + "@events-controller-"
                        + id
                        + ".events.mq.svc.cluster.local:9093:"
                        + KafkaAdapter.directoryId(cluster, id))
            .collect(Collectors.joining(","));
    for (Instance i : t.role("controller")) {
      assertThat(KafkaAdapter.formatOptions(t, i))
          .containsExactly("--cluster-id", cluster, "--initial-controllers", initial);
    }
    for (Instance i : t.role("broker")) {
      assertThat(KafkaAdapter.formatOptions(t, i)).containsExactly("--cluster-id", cluster);
    }
    assertThat(
            t.role("controller").stream()
                .map(i -> KafkaAdapter.directoryId(cluster, i.id()))
                .distinct())
        .hasSize(5);
  }

  @Test
  void onceTheQuorumExistsNewControllersJoinItAsObservers() {
    Middleware existing = combined(3, "quorum: existing");
    Topology t =
        Topologies.kubernetes(
            existing, Topologies.spread("combined", 1, 1, 1), List.of(), Map.of());
    for (Instance i : t.instances()) {
      assertThat(KafkaAdapter.formatOptions(t, i))
          .containsExactly(
              "--cluster-id", KafkaAdapter.clusterId(existing), "--no-initial-controllers");
    }
  }

  @Test
  void theClusterIdIsAKafkaUuidDerivedFromNamespaceAndName() {
    String id = KafkaAdapter.clusterId(SPLIT);
    assertThat(id).hasSize(22).doesNotStartWith("-").matches("[A-Za-z0-9_-]{22}");
    assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
    assertThat(KafkaAdapter.clusterId(combined(3, ""))).isEqualTo(id);
    Middleware elsewhere =
        Topologies.middleware(
            "apiVersion: flotilla.io/v1alpha1\nkind: Middleware\nmetadata: {name: events,"
                + " namespace: other}\nspec:\n  type: kafka\n  replicaRequirements: [{role:"
                + " combined, replicas: 3}]\n");
    assertThat(KafkaAdapter.clusterId(elsewhere)).isNotEqualTo(id);
  }

  @Test
  void derivedUuidsNeverStartWithADash() {
    for (int n = 0; n < 2000; n++) {
      assertThat(KafkaAdapter.uuid("seed-" + n)).doesNotStartWith("-").hasSize(22);
    }
  }

  @Test
  void theHeapIsHalfTheMemoryLimit() {
    assertThat(KafkaAdapter.heap(SPLIT.spec().role("controller").orElseThrow()))
        .containsExactly(Map.entry("KAFKA_HEAP_OPTS", "-Xms1024m -Xmx1024m"));
    assertThat(KafkaAdapter.heap(SPLIT.spec().role("broker").orElseThrow()))
        .containsExactly(Map.entry("KAFKA_HEAP_OPTS", "-Xms4096m -Xmx4096m"));
    Middleware small =
        kafka("- role: combined\n  replicas: 3\n  resourceRequest: {requests: {memory: 200Mi}}");
    assertThat(KafkaAdapter.heap(small.spec().role("combined").orElseThrow()))
        .containsExactly(Map.entry("KAFKA_HEAP_OPTS", "-Xms128m -Xmx128m"));
    assertThat(
            KafkaAdapter.heap(
                kafka("- {role: combined, replicas: 3}").spec().role("combined").orElseThrow()))
        .isEmpty();
  }

  @Test
  void theStatefulSetFormatsStorageOnlyOnFirstStart() {
    Topology t = split();
    String json =
        ADAPTER.render(t).get("dc1").stream()
            .map(o -> o.toJson())
            .collect(Collectors.joining("\n"));
    assertThat(json)
        .contains("if [ ! -f /data/kafka/meta.properties ]; then")
        .contains("kafka-storage.sh format --config $C/server.properties.$ID");
  }

  @Test
  void aLocalCombinedNodeBindsItsOwnAddressAndIsReadyWhenItsBrokerListens() {
    Placement one = Topologies.spread("combined", 1, 1, 1);
    Topology t =
        Topology.of(
            combined(3, ""),
            one,
            BaseIds.contiguous(one, 1),
            List.of(),
            new LoopbackAddressing(List.of("dc1", "dc2", "dc3")),
            Map.of());
    Instance second = t.find("combined", 2).orElseThrow();
    LocalLaunch launch = ADAPTER.launch(t, second, "/tmp/k2");
    assertThat(t.host(second)).isEqualTo("127.2.0.3");
    assertThat(launch.readiness())
        .isEqualTo(new LocalLaunch.Readiness.TcpConnect("127.2.0.3", 9092));
    assertThat(launch.endpoints())
        .containsExactly(
            new LocalLaunch.Endpoint("broker", "127.2.0.3", 9092),
            new LocalLaunch.Endpoint("controller", "127.2.0.3", 9093));
    assertThat(launch.seedFiles()).isEmpty();
    Map<String, String> p = properties(launch.files().get("server.properties"));
    assertThat(p)
        .containsEntry("log.dirs", "/tmp/k2/data")
        .containsEntry("listeners", "PLAINTEXT://127.2.0.3:9092,CONTROLLER://127.2.0.3:9093")
        .containsEntry(
            "controller.quorum.bootstrap.servers", "127.1.0.2:9093,127.2.0.3:9093,127.3.0.4:9093");
    assertThat(launch.args().subList(0, 2))
        .containsExactly("--config", "/tmp/k2/server.properties");
    assertThat(launch.args()).contains("--initial-controllers");
    LocalLaunch.Program.Jvm jvm = (LocalLaunch.Program.Jvm) launch.program();
    assertThat(jvm.distribution()).isEqualTo("kafka");
    assertThat(jvm.mainClass()).isEqualTo("io.flotilla.servers.kafka.KafkaNode");
    assertThat(jvm.jvmOptions()).contains("-Xmx384m");
  }

  @Test
  void aLocalControllerIsReadyWhenItsControllerListens() {
    Topology t =
        Topology.of(
            SPLIT,
            SPLIT_221,
            BaseIds.contiguous(SPLIT_221, 1),
            List.of(),
            new LoopbackAddressing(List.of("dc1", "dc2", "dc3")),
            Map.of());
    Instance c = t.find("controller", 5).orElseThrow();
    LocalLaunch launch = ADAPTER.launch(t, c, "/tmp/c5");
    assertThat(launch.readiness()).isEqualTo(new LocalLaunch.Readiness.TcpConnect(t.host(c), 9093));
    assertThat(launch.endpoints())
        .extracting(LocalLaunch.Endpoint::purpose)
        .containsExactly("controller");
  }

  @Test
  void everyInstancesFilesAreInItsRolesConfigMap() {
    Topology t = split();
    Set<String> keys =
        ADAPTER.render(t).values().stream()
            .flatMap(List::stream)
            .filter(o -> o.kind().equals("ConfigMap"))
            .flatMap(o -> o.json().path("data").propertyNames().stream())
            .collect(Collectors.toSet());
    for (Instance i : t.instances()) {
      assertThat(keys).contains("server.properties." + i.id(), "format-options." + i.id());
    }
    assertThat(keys).hasSize(2 * t.instances().size());
  }

  static Stream<Arguments> findings() {
    return Stream.of(
        Arguments.of(Named.of("three combined nodes are fine", combined(3, "")), List.of()),
        Arguments.of(Named.of("five controllers and three brokers are fine", SPLIT), List.of()),
        Arguments.of(
            Named.of("an existing quorum is fine", combined(3, "quorum: existing")), List.of()),
        Arguments.of(
            Named.of(
                "kafka without controllers has no quorum", kafka("- {role: broker, replicas: 3}")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements",
                    "kafka needs controllers: a controller or combined role with replicas (the"
                        + " KRaft quorum's voters)"))),
        Arguments.of(
            Named.of(
                "a controller role of no replicas is no quorum either",
                kafka("- {role: controller, replicas: 0}\n- {role: broker, replicas: 3}")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements",
                    "kafka needs controllers: a controller or combined role with replicas (the"
                        + " KRaft quorum's voters)"))),
        Arguments.of(
            Named.of(
                "controllers without brokers serve nothing",
                kafka("- {role: controller, replicas: 3}")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements",
                    "kafka needs brokers: a broker or combined role with replicas (nothing would"
                        + " serve clients)"))),
        Arguments.of(
            Named.of(
                "kafka has no shards",
                kafka(
                    "- {role: controller, replicas: 3}\n- {role: broker, replicas: 3, shard: 1}")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[1].shard",
                    "kafka has no shards: Kafka spreads partitions over brokers"))),
        Arguments.of(
            Named.of(
                "a role kafka does not know",
                kafka(
                    "- {role: combined, replicas: 3}\n- {role: witness, replicas: 1, voter: true}")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[1].role",
                    "kafka has no role witness; its roles are controller, broker, combined"))),
        Arguments.of(
            Named.of("a quorum that is neither new nor existing", combined(3, "quorum: reuse")),
            List.of(
                Finding.error(
                    "spec.settings.quorum",
                    "kafka's quorum is new (the voters found it) or existing (new nodes join it),"
                        + " got reuse"))),
        Arguments.of(
            Named.of(
                "four controllers tolerate no more failures than three",
                kafka("- {role: controller, replicas: 4}\n- {role: broker, replicas: 3}")),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "4 controller voters tolerate no more failures than 3: an odd number of"
                        + " voters is better"))),
        Arguments.of(
            Named.of(
                "two controllers cannot survive the loss of a cluster",
                kafka("- {role: controller, replicas: 2}\n- {role: broker, replicas: 3}")),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "2 controller voters cannot survive the loss of a cluster: 3 or more spread"
                        + " over 3 clusters can"))),
        Arguments.of(
            Named.of(
                "two brokers cannot hold replication factor 3 with min ISR 2",
                kafka("- {role: controller, replicas: 3}\n- {role: broker, replicas: 2}")),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "2 brokers cannot hold replication factor 3 with min.insync.replicas 2: 3 or"
                        + " more brokers spread over 3 clusters can"))),
        Arguments.of(
            Named.of(
                "one combined node is neither a quorum nor a replica set that survives a loss",
                combined(1, "")),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "1 controller voter cannot survive the loss of a cluster: 3 or more spread"
                        + " over 3 clusters can"),
                Finding.warning(
                    "spec.replicaRequirements",
                    "1 broker cannot hold replication factor 3 with min.insync.replicas 2: 3 or"
                        + " more brokers spread over 3 clusters can"))),
        Arguments.of(
            Named.of(
                "separate controllers count with combined nodes as voters",
                kafka("- {role: combined, replicas: 3}\n- {role: controller, replicas: 2}")),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("findings")
  void checksTheTypesRules(Middleware mw, List<Finding> expected) {
    assertThat(ADAPTER.check(mw)).containsExactlyElementsOf(expected);
  }
}
