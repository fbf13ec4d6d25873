package io.flotilla.traffic.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.KubeObject;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.testing.MockMembers;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import io.flotilla.traffic.dns.DataCentre.Locality;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The registrar end to end: three member clusters as fabric8 mock API servers, and two data
 * centres' DNS as two prefixes of one real etcd on loopback — east (dc1, answering with its own
 * addresses only) and west (dc2 and dc3, every cluster's).
 */
class DomainRegistrarTest {
  @RegisterExtension static final MockMembers MEMBERS = MockMembers.start("dc1", "dc2", "dc3");
  @RegisterExtension static final EtcdServer ETCD = EtcdServer.launch();

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  private ObjectStore store;
  private DomainRegistrar registrar;
  private EtcdBackend east;
  private EtcdBackend west;
  private String prefix;

  @BeforeEach
  void start(TestInfo info) {
    ETCD.start();
    prefix = "/dns-" + info.getTestMethod().orElseThrow().getName();
    store = new InMemoryObjectStore(Clock.systemUTC());
    for (String c : List.of("dc1", "dc2", "dc3")) {
      store.create(
          yaml(
              """
              apiVersion: flotilla.io/v1alpha1
              kind: MemberCluster
              metadata: {name: %s}
              spec: {}
              status: {conditions: [{type: Ready, status: "True", reason: Probed}]}
              """
                  .formatted(c)));
    }
    east = new EtcdBackend(ETCD.endpoint(), prefix + "-east", "test");
    west = new EtcdBackend(ETCD.endpoint(), prefix + "-west", "test");
    registrar = registrar(name -> Optional.<Member>of(MEMBERS.get(name).member()));
    registrar.start();
  }

  private DomainRegistrar registrar(java.util.function.Function<String, Optional<Member>> members) {
    return new DomainRegistrar(
        store,
        members,
        new DomainRegistrar.Settings(
            "example.org",
            30,
            Optional.empty(),
            Duration.ofSeconds(1),
            Duration.ofMillis(50),
            Duration.ofMillis(500)),
        List.of(
            new DomainRegistrar.Target(
                new DataCentre("east", Set.of("dc1"), Locality.ONLY),
                new EtcdBackend(ETCD.endpoint(), prefix + "-east", "test")),
            new DomainRegistrar.Target(
                new DataCentre("west", Set.of("dc2", "dc3"), Locality.ALL),
                new EtcdBackend(ETCD.endpoint(), prefix + "-west", "test"))));
  }

  @AfterEach
  void stop() {
    registrar.close();
    store.close();
  }

  private static KubeObject yaml(String text) {
    return KubeObject.of(ManifestReader.read("test", text).get(0).node());
  }

  private static void loadBalancer(String cluster, String name, String ip, boolean annotated) {
    MEMBERS
        .get(cluster)
        .create(
            yaml(
                """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %s
                  namespace: shop
                  annotations: {%s}
                spec:
                  type: LoadBalancer
                  ports: [{name: http, port: 8080, protocol: TCP}]
                status:
                  loadBalancer: {ingress: [{ip: "%s"}]}
                """
                    .formatted(name, annotated ? "flotilla.io/dns: \"true\"" : "", ip)));
  }

  /** What a data centre's DNS holds under its prefix: name (from the key) → host[:port]. */
  private Map<String, List<String>> dns(EtcdBackend backend, String dcPrefix) {
    Map<String, List<String>> out = new TreeMap<>();
    backend
        .range(dcPrefix + "/")
        .forEach(
            (k, v) -> {
              String dir = k.substring(dcPrefix.length() + 1, k.lastIndexOf('/'));
              List<String> labels = new java.util.ArrayList<>(List.of(dir.split("/")));
              java.util.Collections.reverse(labels);
              tools.jackson.databind.JsonNode json = JSON.readTree(v);
              String port = json.has("port") ? ":" + json.path("port").asInt() : "";
              out.computeIfAbsent(String.join(".", labels), n -> new java.util.ArrayList<>())
                  .add(json.path("host").asString() + port);
            });
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  @Test
  void servicesAreRecordedPerClusterAndAcrossClustersWithEachDataCentresLocality() {
    loadBalancer("dc1", "web", "127.0.1.10", true);
    loadBalancer("dc2", "web", "127.0.2.10", true);
    loadBalancer("dc3", "internal", "127.0.3.10", false);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(dns(east, prefix + "-east"))
                  .containsExactlyEntriesOf(
                      new TreeMap<>(
                          Map.of(
                              "_http._tcp.web.shop.dc1.example.org", List.of("127.0.1.10:8080"),
                              "_http._tcp.web.shop.dc2.example.org", List.of("127.0.2.10:8080"),
                              "_http._tcp.web.shop.example.org", List.of("127.0.1.10:8080"),
                              "web.shop.dc1.example.org", List.of("127.0.1.10"),
                              "web.shop.dc2.example.org", List.of("127.0.2.10"),
                              "web.shop.example.org", List.of("127.0.1.10"))));
              assertThat(dns(west, prefix + "-west").get("web.shop.example.org"))
                  .containsExactly("127.0.1.10", "127.0.2.10");
            });
  }

  @Test
  void aChangedAddressReachesEveryDataCentre() {
    loadBalancer("dc2", "web", "127.0.2.10", true);
    await()
        .atMost(WAIT)
        .until(() -> dns(west, prefix + "-west").containsKey("web.shop.dc2.example.org"));

    MEMBERS
        .get("dc2")
        .client()
        .services()
        .inNamespace("shop")
        .withName("web")
        .edit(
            s -> {
              s.getStatus().getLoadBalancer().getIngress().get(0).setIp("127.0.2.11");
              return s;
            });

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(dns(west, prefix + "-west").get("web.shop.example.org"))
                  .containsExactly("127.0.2.11");
              assertThat(dns(east, prefix + "-east").get("web.shop.example.org"))
                  .containsExactly("127.0.2.11");
            });
  }

  @Test
  void anIngressHostOutsideTheZoneIsSkippedWithItsReasonAndTheRestIsPublished() {
    MEMBERS
        .get("dc1")
        .create(
            yaml(
                """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: shop
                  namespace: shop
                  annotations: {flotilla.io/dns: "true"}
                spec:
                  rules: [{host: shop.example.org}, {host: shop.elsewhere.net}]
                status:
                  loadBalancer: {ingress: [{ip: 127.0.1.20}]}
                """));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(dns(east, prefix + "-east"))
                  .containsEntry("shop.example.org", List.of("127.0.1.20"));
              assertThat(registrar.skipped())
                  .containsExactly(
                      "Ingress shop/shop in dc1: host \"shop.elsewhere.net\" is outside the zone"
                          + " example.org");
            });
  }

  @Test
  void changesMadeWhileEtcdIsDownAreWrittenWhenItIsBack() {
    loadBalancer("dc1", "web", "127.0.1.10", true);
    await()
        .atMost(WAIT)
        .until(() -> dns(east, prefix + "-east").containsKey("web.shop.example.org"));

    ETCD.stop();
    loadBalancer("dc1", "api", "127.0.1.30", true);
    ETCD.start();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(dns(east, prefix + "-east").get("api.shop.example.org"))
                  .containsExactly("127.0.1.30");
              assertThat(dns(east, prefix + "-east").get("web.shop.example.org"))
                  .containsExactly("127.0.1.10");
            });
  }

  @Test
  void aNodePortServiceIsReachedOnItsReadyNodesAddresses() {
    for (String[] n :
        List.of(
            new String[] {"n1", "True", "127.0.1.41"},
            new String[] {"n2", "False", "127.0.1.42"})) {
      MEMBERS
          .get("dc1")
          .create(
              yaml(
                  """
                  apiVersion: v1
                  kind: Node
                  metadata: {name: %s}
                  status:
                    conditions: [{type: Ready, status: "%s"}]
                    addresses: [{type: InternalIP, address: "%s"}]
                  """
                      .formatted((Object[]) n)));
    }
    MEMBERS
        .get("dc1")
        .create(
            yaml(
                """
                apiVersion: v1
                kind: Service
                metadata: {name: mq, namespace: shop, annotations: {flotilla.io/dns: "true"}}
                spec:
                  type: NodePort
                  ports: [{name: amqp, port: 5672, nodePort: 30672, protocol: TCP}]
                """));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, List<String>> d = dns(east, prefix + "-east");
              assertThat(d).containsEntry("mq.shop.dc1.example.org", List.of("127.0.1.41"));
              assertThat(d)
                  .containsEntry("_amqp._tcp.mq.shop.dc1.example.org", List.of("127.0.1.41:30672"));
            });
  }

  @Test
  void aRestartedRegistrarRemovesNothingBeforeItHasReadEveryReadyCluster() {
    loadBalancer("dc2", "web", "127.0.2.10", true);
    await()
        .atMost(WAIT)
        .until(() -> dns(west, prefix + "-west").containsKey("web.shop.dc2.example.org"));
    registrar.close();

    // a new registrar (a restart, a new leader) while dc2's member has not connected yet
    java.util.concurrent.atomic.AtomicBoolean dc2Connected =
        new java.util.concurrent.atomic.AtomicBoolean(false);
    registrar =
        registrar(
            name ->
                name.equals("dc2") && !dc2Connected.get()
                    ? Optional.empty()
                    : Optional.<Member>of(MEMBERS.get(name).member()));
    registrar.start();
    loadBalancer("dc1", "api", "127.0.1.30", true);
    await()
        .during(Duration.ofMillis(1500))
        .atMost(WAIT)
        .until(() -> dns(west, prefix + "-west").containsKey("web.shop.dc2.example.org"));

    dc2Connected.set(true);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, List<String>> d = dns(west, prefix + "-west");
              assertThat(d).containsEntry("web.shop.dc2.example.org", List.of("127.0.2.10"));
              assertThat(d).containsEntry("api.shop.dc1.example.org", List.of("127.0.1.30"));
            });
  }

  @Test
  void heartbeatsOfMemberClustersAndNodesStartNoSync() {
    registrar.close();
    java.util.concurrent.atomic.AtomicInteger syncs =
        new java.util.concurrent.atomic.AtomicInteger();
    DnsBackend counting =
        new DnsBackend() {
          @Override
          public String describe() {
            return "counting";
          }

          @Override
          public int sync(List<DnsRecord> desired) {
            syncs.incrementAndGet();
            return 0;
          }
        };
    registrar =
        new DomainRegistrar(
            store,
            name -> Optional.<Member>of(MEMBERS.get(name).member()),
            new DomainRegistrar.Settings(
                "example.org",
                30,
                Optional.empty(),
                Duration.ofHours(1),
                Duration.ofMillis(50),
                Duration.ofMillis(500)),
            List.of(
                new DomainRegistrar.Target(
                    new DataCentre("east", Set.of("dc1"), Locality.ALL), counting)));
    MEMBERS.get("dc1").readyNode("n1", "4", "8Gi");
    registrar.start();
    java.util.concurrent.atomic.AtomicInteger last =
        new java.util.concurrent.atomic.AtomicInteger(-1);
    await() // settled: no sync for half a second
        .during(Duration.ofMillis(500))
        .atMost(WAIT)
        .until(() -> syncs.get() > 0 && syncs.get() == last.getAndSet(syncs.get()));
    int before = syncs.get();

    for (int i = 0; i < 5; i++) {
      String beat = "2026-11-27T00:00:0" + i + "Z";
      io.flotilla.api.ObjectRef dc1 =
          new io.flotilla.api.ObjectRef("flotilla.io/v1alpha1", "MemberCluster", "", "dc1");
      KubeObject mc = store.get(dc1).orElseThrow();
      store.updateStatus(
          mc.edit(
              n ->
                  ((tools.jackson.databind.node.ObjectNode) n.at("/status/conditions/0"))
                      .put("lastHeartbeatTime", beat)));
      MEMBERS
          .get("dc1")
          .client()
          .nodes()
          .withName("n1")
          .edit(
              node -> {
                node.getStatus().getConditions().get(0).setLastHeartbeatTime(beat);
                return node;
              });
    }

    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> syncs.get() == before);
  }
}
