package io.flotilla.middleware.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.KubeObject;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class ElasticsearchAdapterTest {
  private static final ElasticsearchAdapter ADAPTER = new ElasticsearchAdapter();

  /** A spec from its roles (YAML flow mappings) and settings. */
  private static Middleware es(String roles, String settings) {
    return Topologies.middleware(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: Middleware
        metadata: {name: es, namespace: search}
        spec:
          type: elasticsearch
          version: "2.19.6"
          replicaRequirements: %s
          settings: %s
        """
            .formatted(roles, settings));
  }

  private static Middleware masters(int n) {
    return es(
        "[{role: master, replicas: %d, resourceRequest: {requests: {cpu: 500m, memory: 2Gi}, limits: {cpu: \"1\", memory: 2Gi}}}]"
            .formatted(n),
        "{}");
  }

  /** 5 dedicated masters, 5 data nodes, 3 coordinating nodes. */
  private static Middleware dedicated() {
    return es(
        """
        [{role: master, replicas: 5, resourceRequest: {requests: {cpu: 500m, memory: 1Gi}, limits: {memory: 1Gi}}},
         {role: data, replicas: 5, resourceRequest: {requests: {cpu: "2", memory: 8Gi}, limits: {cpu: "4", memory: 8Gi}}},
         {role: coordinating, replicas: 3, resourceRequest: {requests: {cpu: "1", memory: 2Gi}}}]""",
        "{replicas: \"2\", storage: 100Gi}");
  }

  private static Placement spread221() {
    return Placement.builder()
        .put("master", "dc1", 2)
        .put("master", "dc2", 2)
        .put("master", "dc3", 1)
        .put("data", "dc1", 2)
        .put("data", "dc2", 2)
        .put("data", "dc3", 1)
        .put("coordinating", "dc1", 1)
        .put("coordinating", "dc2", 1)
        .put("coordinating", "dc3", 1)
        .build();
  }

  @Test
  void dedicatedMastersAndDataNodesOverThreeClusters221RenderAsGolden() throws IOException {
    Topology t = Topologies.kubernetes(dedicated(), spread221(), List.of(), Map.of());
    GoldenFiles.check("elasticsearch/2-2-1", ADAPTER.render(t));
  }

  @Test
  void threeMasterEligibleDataNodesOverThreeClusters111RenderAsGolden() throws IOException {
    Topology t =
        Topologies.kubernetes(
            masters(3), Topologies.spread("master", 1, 1, 1), List.of(), Map.of());
    GoldenFiles.check("elasticsearch/1-1-1", ADAPTER.render(t));
  }

  @Test
  void everyNodeSeedsFromEveryMasterOfEveryClusterAndMastersBootstrapByName() {
    Topology t = Topologies.kubernetes(dedicated(), spread221(), List.of(), Map.of());
    List<String> seeds =
        t.role("master").stream()
            .map(m -> "  - \"es-master-" + m.id() + ".es.search.svc.cluster.local:9300\"")
            .toList();
    assertThat(seeds).hasSize(5);
    for (Instance i : t.instances()) {
      String yml = ADAPTER.files(t, i).get("opensearch.yml");
      assertThat(yml.lines().filter(l -> l.startsWith("  - \"es-master-") && l.endsWith(":9300\"")))
          .as("seed hosts of " + i)
          .containsExactlyElementsOf(seeds);
      assertThat(yml)
          .contains("node.name: \"es-" + i.role() + "-" + i.id() + "\"\n")
          .contains("node.attr.zone: \"" + i.cluster() + "\"\n")
          .contains("cluster.routing.allocation.awareness.attributes: zone\n")
          .contains(
              "network.host: \"es-" + i.role() + "-" + i.id() + ".es.search.svc.cluster.local\"\n")
          .contains("http.port: 9200\ntransport.port: 9300\n")
          .contains("path.data: \"/data/opensearch\"\n");
      if (i.role().equals("master")) {
        assertThat(yml)
            .contains(
                "cluster.initial_master_nodes:\n  - \"es-master-1\"\n  - \"es-master-2\"\n"
                    + "  - \"es-master-3\"\n  - \"es-master-4\"\n  - \"es-master-5\"\n");
      } else {
        assertThat(yml).doesNotContain("initial_master_nodes");
      }
    }
    assertThat(t.role("data")).extracting(Instance::id).containsExactly(6, 7, 8, 9, 10);
  }

  static Stream<Arguments> nodeRoles() {
    return Stream.of(
        Arguments.of(
            Named.of("masters without data nodes also hold data and ingest", masters(3)),
            "master",
            List.of("master", "data", "ingest")),
        Arguments.of(
            Named.of("dedicated masters only vote", dedicated()), "master", List.of("master")),
        Arguments.of(
            Named.of("data nodes without ingest nodes also ingest", dedicated()),
            "data",
            List.of("data", "ingest")),
        Arguments.of(
            Named.of("coordinating nodes have no role at all", dedicated()),
            "coordinating",
            List.of()),
        Arguments.of(
            Named.of(
                "with ingest nodes, data nodes only hold data",
                es(
                    "[{role: master, replicas: 3}, {role: data, replicas: 3}, {role: ingest, replicas: 2}]",
                    "{}")),
            "data",
            List.of("data")),
        Arguments.of(
            Named.of(
                "with ingest nodes but no data nodes, masters hold data and do not ingest",
                es("[{role: master, replicas: 3}, {role: ingest, replicas: 2}]", "{}")),
            "master",
            List.of("master", "data")),
        Arguments.of(
            Named.of(
                "a data role of 0 replicas leaves the data to the masters",
                es("[{role: master, replicas: 3}, {role: data, replicas: 0}]", "{}")),
            "master",
            List.of("master", "data", "ingest")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nodeRoles")
  void rolesTheSpecLacksFallToTheNodesThatHaveThemByDefault(
      Middleware mw, String role, List<String> expected) {
    assertThat(ElasticsearchAdapter.nodeRoles(mw.spec(), role)).containsExactlyElementsOf(expected);
  }

  @Test
  void theReplicasTemplateGivesEveryIndexTheSpecsReplicasAtTheLowestPriority() {
    assertThat(ElasticsearchAdapter.replicasTemplate(masters(3)).toString())
        .isEqualTo(
            "{\"index_patterns\":[\"*\"],\"priority\":0,"
                + "\"template\":{\"settings\":{\"index.number_of_replicas\":1}}}");
    assertThat(
            ElasticsearchAdapter.replicasTemplate(dedicated())
                .at("/template/settings/index.number_of_replicas")
                .intValue())
        .isEqualTo(2);
  }

  static Stream<Arguments> heaps() {
    return Stream.of(
        Arguments.of(
            Named.of("half the memory limit", "{requests: {memory: 1Gi}, limits: {memory: 8Gi}}"),
            "-Xms4096m -Xmx4096m"),
        Arguments.of(
            Named.of("else half the memory request", "{requests: {memory: 2Gi}}"),
            "-Xms1024m -Xmx1024m"),
        Arguments.of(
            Named.of(
                "at most 31 GiB, to keep compressed object pointers", "{limits: {memory: 128Gi}}"),
            "-Xms31744m -Xmx31744m"),
        Arguments.of(Named.of("else the image's default", "{requests: {cpu: \"2\"}}"), ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("heaps")
  void theHeapIsSetFromTheContainersMemory(String resources, String javaOpts) {
    Middleware mw = es("[{role: master, replicas: 3, resourceRequest: " + resources + "}]", "{}");
    Topology t =
        Topologies.kubernetes(mw, Topologies.spread("master", 1, 1, 1), List.of(), Map.of());
    KubeObject sts =
        ADAPTER.render(t).get("dc1").stream()
            .filter(o -> o.kind().equals("StatefulSet"))
            .findFirst()
            .orElseThrow();
    String opts = "";
    for (JsonNode e : sts.at("/spec/template/spec/containers/0/env")) {
      if (e.get("name").stringValue().equals("OPENSEARCH_JAVA_OPTS")) {
        opts = e.get("value").stringValue();
      }
    }
    assertThat(opts).isEqualTo(javaOpts);
  }

  @Test
  void aLocalNodeBindsItsOwnLoopbackAddressAndIsReadyOnceItHasJoinedAMaster() {
    Placement p = Topologies.spread("master", 1, 1, 1);
    Topology t =
        Topology.of(
            masters(3),
            p,
            BaseIds.contiguous(p, 1),
            List.of(),
            new LoopbackAddressing(List.of("dc1", "dc2", "dc3")),
            Map.of());
    Instance third = t.find("master", 3).orElseThrow();
    LocalLaunch launch = ADAPTER.launch(t, third, "/tmp/es3");
    assertThat(t.host(third)).isEqualTo("127.3.0.4");
    assertThat(launch.args()).containsExactly("/tmp/es3/config/opensearch.yml");
    assertThat(launch.files())
        .containsOnlyKeys("config/opensearch.yml", "config/log4j2.properties");
    assertThat(launch.files().get("config/opensearch.yml"))
        .contains("network.host: \"127.3.0.4\"\n")
        .contains("  - \"127.1.0.2:9300\"\n  - \"127.2.0.3:9300\"\n  - \"127.3.0.4:9300\"\n")
        .contains("node.attr.zone: \"dc3\"\n")
        .contains("path.data: \"/tmp/es3/data\"\n")
        .doesNotContain("0.0.0.0");
    assertThat(launch.endpoints())
        .containsExactly(
            new LocalLaunch.Endpoint("http", "127.3.0.4", 9200),
            new LocalLaunch.Endpoint("transport", "127.3.0.4", 9300));
    assertThat(launch.readiness())
        .isEqualTo(
            new LocalLaunch.Readiness.HttpOk(
                "http://127.3.0.4:9200/_cluster/state/master_node?local=true",
                "\"master_node\":\""));
    LocalLaunch.Program.Jvm jvm = (LocalLaunch.Program.Jvm) launch.program();
    assertThat(jvm.distribution()).isEqualTo("opensearch");
    assertThat(jvm.mainClass()).isEqualTo("io.flotilla.servers.opensearch.OpenSearchNode");
    assertThat(jvm.jvmOptions()).contains("-Xmx384m", "-Djava.io.tmpdir=/tmp/es3/tmp");
  }

  static Stream<Arguments> findings() {
    return Stream.of(
        Arguments.of(Named.of("three master-eligible nodes are fine", masters(3)), List.of()),
        Arguments.of(
            Named.of("dedicated masters, data and coordinating nodes are fine", dedicated()),
            List.of()),
        Arguments.of(
            Named.of("four master-eligible nodes tolerate no more failures than three", masters(4)),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "4 master-eligible nodes tolerate no more failures than 3: an odd number of voters is better"))),
        Arguments.of(
            Named.of("one master-eligible node cannot survive the loss of its cluster", masters(1)),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "1 master-eligible node cannot survive the loss of a cluster: 3 or more spread over 3 clusters can"))),
        Arguments.of(
            Named.of("two master-eligible nodes cannot survive the loss of a cluster", masters(2)),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "2 master-eligible nodes cannot survive the loss of a cluster: 3 or more spread over 3 clusters can"))),
        Arguments.of(
            Named.of(
                "data nodes without masters make no cluster",
                es("[{role: data, replicas: 3}]", "{}")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements",
                    "elasticsearch needs a master role: the master-eligible nodes, which elect the cluster's master"))),
        Arguments.of(
            Named.of(
                "a master role of 0 replicas makes no cluster",
                es("[{role: master, replicas: 0}, {role: data, replicas: 3}]", "{}")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements",
                    "elasticsearch needs at least one master-eligible node"))),
        Arguments.of(
            Named.of(
                "a role elasticsearch does not know is an error",
                es("[{role: master, replicas: 3}, {role: warm, replicas: 2, voter: false}]", "{}")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[1].role",
                    "\"warm\" is not a role of elasticsearch; its roles are master, data, ingest, coordinating"))),
        Arguments.of(
            Named.of(
                "nodes have no shards: Elasticsearch places index shards itself",
                es(
                    "[{role: master, replicas: 3}, {role: data, replicas: 3}, {role: coordinating, replicas: 3, shard: 1, shardOf: data}]",
                    "{}")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[2].shard",
                    "elasticsearch nodes have no shards of their own: Elasticsearch places each index's shards and replicas itself (settings.replicas)"))),
        Arguments.of(
            Named.of(
                "data nodes cannot be declared voters",
                es("[{role: master, replicas: 3}, {role: data, replicas: 3, voter: true}]", "{}")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[1].voter",
                    "in elasticsearch exactly the master-eligible nodes vote"))),
        Arguments.of(
            Named.of(
                "0 index replicas lose documents with a cluster",
                es("[{role: master, replicas: 3}]", "{replicas: \"0\"}")),
            List.of(
                Finding.warning(
                    "spec.settings.replicas",
                    "0 replicas keep one copy of each shard: the loss of its cluster loses the acknowledged documents there; 1 or more, spread by zone, do not"))),
        Arguments.of(
            Named.of(
                "more replicas than nodes to hold them leave every index yellow",
                es("[{role: master, replicas: 3}]", "{replicas: \"3\"}")),
            List.of(
                Finding.warning(
                    "spec.settings.replicas",
                    "3 replicas need 4 nodes that hold data, the spec has 3: every index stays yellow"))),
        Arguments.of(
            Named.of(
                "replicas must be a number",
                es("[{role: master, replicas: 3}]", "{replicas: two}")),
            List.of(
                Finding.error(
                    "spec.settings.replicas",
                    "must be a whole number of index replicas, got \"two\""))),
        Arguments.of(
            Named.of(
                "replicas must not be negative",
                es("[{role: master, replicas: 3}]", "{replicas: \"-1\"}")),
            List.of(Finding.error("spec.settings.replicas", "must be >= 0, got -1"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("findings")
  void checksTheTypesRules(Middleware mw, List<Finding> expected) {
    assertThat(ADAPTER.check(mw)).containsExactlyElementsOf(expected);
  }
}
