package io.flotilla.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Global endpoints across three member clusters, each a fabric8 mock API server in CRUD mode on
 * loopback; pods are created in them as a kubelet would report them.
 */
class GlobalEndpointsControllerTest {
  @RegisterExtension static final MockMembers MEMBERS = MockMembers.start("dc1", "dc2", "dc3");

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final List<String> ALL = List.of("dc1", "dc2", "dc3");
  private static final GlobalEndpointsController.Settings FAST =
      new GlobalEndpointsController.Settings(
          2, Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofSeconds(1));

  private ObjectStore store;
  private GlobalEndpointsController controller;

  @BeforeEach
  void start() {
    store = new InMemoryObjectStore(Clock.systemUTC());
    for (String c : ALL) {
      store.create(memberCluster(c, true));
    }
    store.create(
        yaml(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: zk, namespace: default}
            spec:
              clusterIP: None
              ports: [{name: client, port: 2181, targetPort: 2181}]
            """));
    controller = startController();
  }

  /** A controller over the running mock members (a stopped one is not connected). */
  private GlobalEndpointsController startController() {
    GlobalEndpointsController c =
        new GlobalEndpointsController(
            store,
            name ->
                ALL.contains(name) && MEMBERS.get(name).running()
                    ? Optional.<Member>of(MEMBERS.get(name).member())
                    : Optional.empty(),
            FAST);
    c.start();
    return c;
  }

  @AfterEach
  void stop() {
    controller.close();
    store.close();
  }

  private static KubeObject yaml(String text) {
    return KubeObject.of(ManifestReader.read("test", text).get(0).node());
  }

  private static KubeObject memberCluster(String name, boolean ready) {
    return yaml(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: MemberCluster
        metadata: {name: %s}
        spec: {}
        status:
          conditions: [{type: Ready, status: "%s", reason: Probed}]
        """
            .formatted(name, ready ? "True" : "False"));
  }

  private void middleware(String extra) {
    store.create(
        yaml(
            """
            apiVersion: flotilla.io/v1alpha1
            kind: Middleware
            metadata: {name: zk, namespace: default}
            spec:
              type: zookeeper
              replicaRequirements: [{role: participant, replicas: 4}]
            %s
            """
                .formatted(extra.indent(2))));
  }

  private static void pod(String cluster, String name, String ip) {
    MEMBERS
        .get(cluster)
        .pod("default", name)
        .labels(
            Map.of("app.kubernetes.io/instance", "zk", "app.kubernetes.io/managed-by", "flotilla"))
        .ip(ip)
        .create();
  }

  /** Four instances: one in dc1, two in dc2, one in dc3. */
  private static void fourPods() {
    pod("dc1", "zk-participant-1", "127.0.1.1");
    pod("dc2", "zk-participant-2", "127.0.2.1");
    pod("dc2", "zk-participant-3", "127.0.2.2");
    pod("dc3", "zk-participant-4", "127.0.3.1");
  }

  private static Optional<KubeObject> get(
      String cluster, String apiVersion, String kind, String n) {
    return MEMBERS.get(cluster).member().get(new ObjectRef(apiVersion, kind, "default", n));
  }

  private static Optional<KubeObject> slice(String cluster) {
    return get(cluster, "discovery.k8s.io/v1", "EndpointSlice", "zk-flotilla-0");
  }

  /** The slice's endpoints as "hostname zone address ready". */
  private static List<String> endpoints(String cluster) {
    List<String> out = new ArrayList<>();
    slice(cluster)
        .ifPresent(
            s -> {
              for (JsonNode e : s.at("/endpoints")) {
                out.add(
                    e.path("hostname").asString()
                        + " "
                        + e.path("zone").asString()
                        + " "
                        + e.path("addresses").path(0).asString()
                        + " "
                        + e.path("conditions").path("ready").asBoolean());
              }
            });
    return out;
  }

  @Test
  void everyCandidateClusterGetsTheHeadlessServiceAndEveryInstanceOfEveryCluster() {
    fourPods();
    middleware("");

    await()
        .atMost(WAIT)
        .ignoreExceptionsInstanceOf(java.util.NoSuchElementException.class) // not there yet
        .untilAsserted(
            () -> {
              for (String c : ALL) {
                assertThat(endpoints(c))
                    .as(c)
                    .containsExactly(
                        "zk-participant-1 dc1 127.0.1.1 true",
                        "zk-participant-2 dc2 127.0.2.1 true",
                        "zk-participant-3 dc2 127.0.2.2 true",
                        "zk-participant-4 dc3 127.0.3.1 true");
                KubeObject svc = get(c, "v1", "Service", "zk").orElseThrow();
                assertThat(svc.at("/spec/clusterIP").asString()).isEqualTo("None");
                assertThat(svc.at("/spec/selector").isMissingNode()).isTrue();
              }
            });
    KubeObject s = slice("dc1").orElseThrow();
    assertThat(s.labels())
        .containsEntry("kubernetes.io/service-name", "zk")
        .containsEntry("endpointslice.kubernetes.io/managed-by", "flotilla.io");
    assertThat(s.at("/ports/0/port").asInt()).isEqualTo(2181);
  }

  @Test
  void aReadinessChangeInOneClusterReachesEveryClustersSlices() {
    fourPods();
    middleware("");
    await().atMost(WAIT).until(() -> ALL.stream().allMatch(c -> endpoints(c).size() == 4));

    MEMBERS
        .get("dc2")
        .client()
        .pods()
        .inNamespace("default")
        .withName("zk-participant-3")
        .edit(
            p -> {
              p.getStatus().getConditions().get(0).setStatus("False");
              return p;
            });

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (String c : ALL) {
                assertThat(endpoints(c)).as(c).contains("zk-participant-3 dc2 127.0.2.2 false");
              }
            });
  }

  @Test
  void slicesOfOthersAreNeverTouchedAndRemovingTheMiddlewareRemovesOursEverywhere() {
    KubeObject theirs =
        MEMBERS
            .get("dc1")
            .create(
                yaml(
                    """
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata:
                      name: zk-abcde
                      namespace: default
                      labels: {kubernetes.io/service-name: zk, endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io}
                    addressType: IPv4
                    endpoints: [{addresses: [127.0.9.9]}]
                    """));
    fourPods();
    middleware("");
    await().atMost(WAIT).until(() -> ALL.stream().allMatch(c -> endpoints(c).size() == 4));

    store.delete(new ObjectRef("flotilla.io/v1alpha1", "Middleware", "default", "zk"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (String c : ALL) {
                assertThat(slice(c)).as(c).isEmpty();
                assertThat(get(c, "v1", "Service", "zk")).as(c).isEmpty();
              }
            });
    KubeObject still = get("dc1", "discovery.k8s.io/v1", "EndpointSlice", "zk-abcde").orElseThrow();
    assertThat(still.resourceVersion()).isEqualTo(theirs.resourceVersion());
  }

  @Test
  void theLegacyFormWritesEndpointsOnlyInTheClustersAskedFor() {
    fourPods();
    middleware("globalEndpoints: {clusters: [dc1], form: Endpoints}");

    await()
        .atMost(WAIT)
        .ignoreExceptionsInstanceOf(java.util.NoSuchElementException.class) // not there yet
        .untilAsserted(
            () -> {
              KubeObject e = get("dc1", "v1", "Endpoints", "zk").orElseThrow();
              assertThat(e.at("/subsets/0/addresses").size()).isEqualTo(4);
              assertThat(e.at("/subsets/0/addresses/0/hostname").asString())
                  .isEqualTo("zk-participant-1");
            });
    assertThat(slice("dc1")).isEmpty();
    for (String c : List.of("dc2", "dc3")) {
      assertThat(get(c, "v1", "Endpoints", "zk")).as(c).isEmpty();
      assertThat(get(c, "v1", "Service", "zk")).as(c).isEmpty();
    }
  }

  @Test
  void aLostClustersInstancesLeaveTheOtherClustersSlices() {
    fourPods();
    middleware("");
    await().atMost(WAIT).until(() -> ALL.stream().allMatch(c -> endpoints(c).size() == 4));

    MockMember dc3 = MEMBERS.get("dc3");
    dc3.stop();
    // unreachable but still Ready (a blip): its instances stay
    controller.reconcile(new ObjectRef("flotilla.io/v1alpha1", "Middleware", "default", "zk"));
    assertThat(endpoints("dc1")).hasSize(4);

    KubeObject mc =
        store.get(new ObjectRef("flotilla.io/v1alpha1", "MemberCluster", "", "dc3")).orElseThrow();
    store.updateStatus(
        memberCluster("dc3", false)
            .edit(
                n ->
                    ((tools.jackson.databind.node.ObjectNode) n.get("metadata"))
                        .put("resourceVersion", mc.resourceVersion().orElseThrow())));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (String c : List.of("dc1", "dc2")) {
                assertThat(endpoints(c))
                    .as(c)
                    .containsExactly(
                        "zk-participant-1 dc1 127.0.1.1 true",
                        "zk-participant-2 dc2 127.0.2.1 true",
                        "zk-participant-3 dc2 127.0.2.2 true");
              }
            });
  }

  @Test
  void aRestartedControllerKeepsTheInstancesOfAReadyClusterItCannotReachYet() {
    fourPods();
    middleware("");
    await().atMost(WAIT).until(() -> ALL.stream().allMatch(c -> endpoints(c).size() == 4));
    controller.close();

    MEMBERS.get("dc3").stop(); // unreachable, but its MemberCluster is still Ready
    controller = startController();
    pod("dc1", "zk-participant-5", "127.0.1.2");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(endpoints("dc1"))
                    .containsExactly(
                        "zk-participant-1 dc1 127.0.1.1 true",
                        "zk-participant-5 dc1 127.0.1.2 true",
                        "zk-participant-2 dc2 127.0.2.1 true",
                        "zk-participant-3 dc2 127.0.2.2 true",
                        "zk-participant-4 dc3 127.0.3.1 true"));
  }
}
