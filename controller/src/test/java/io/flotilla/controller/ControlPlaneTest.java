package io.flotilla.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Resources;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.health.HealthSettings;
import io.flotilla.cluster.memory.InMemoryMember;
import io.flotilla.middleware.Addressing;
import io.flotilla.propagation.PropagationEngine;
import io.flotilla.propagation.PropagationSettings;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The controller with the real propagation engine and health monitor over three in-memory member
 * clusters: a Middleware is created cluster by cluster and becomes Available; the global view and
 * the drill what-if read the live state; a member that stops answering is failed over, and its
 * stale copies are deleted (fenced) when it answers again.
 */
class ControlPlaneTest {
  static final HealthSettings HEALTH =
      new HealthSettings(
          Duration.ofMillis(100), Duration.ofMillis(80), 3, 2, Duration.ofSeconds(1));
  static final PropagationSettings SETTINGS =
      new PropagationSettings(
          4, Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofSeconds(1));
  static final ObjectRef ZK = new ObjectRef(ApiVersion.API_VERSION, "Middleware", "default", "zk");

  final Map<String, InMemoryMember> members = new TreeMap<>();
  ObjectStore store;
  PropagationEngine engine;
  MiddlewareController controller;
  ControllerView view;

  @BeforeEach
  void start() {
    store = new InMemoryObjectStore(Clock.systemUTC());
    for (String c : List.of("dc1", "dc2", "dc3")) {
      members.put(c, new InMemoryMember(c, new Resources(64_000, 256L << 30)));
    }
    engine =
        new PropagationEngine(
            store, (name, access) -> members.get(name), SETTINGS, HEALTH, Clock.systemUTC());
    engine.start();
    java.util.function.Function<String, Optional<Member>> connected =
        name -> engine.members().stream().filter(m -> m.name().equals(name)).findFirst();
    MiddlewareReconciler reconciler =
        new MiddlewareReconciler(
            store,
            Scheduler.withDefaultPlugins(),
            new MemberShareReadiness(store, connected),
            MembershipHook.NONE,
            Rendering.kubernetes(),
            MiddlewareReconciler.randomSecrets(new Random(1)),
            StepHook.NONE,
            Clock.systemUTC(),
            Duration.ofMillis(100),
            new io.flotilla.store.events.EventLog(Clock.systemUTC()));
    controller = new MiddlewareController(store, reconciler, 2, Duration.ofSeconds(5));
    controller.start();
    view =
        new ControllerView(
            store,
            Scheduler.withDefaultPlugins(),
            Addressing.kubernetes(),
            connected,
            Clock.systemUTC());
    for (String c : members.keySet()) {
      store.create(
          yaml(
              """
              apiVersion: flotilla.io/v1alpha1
              kind: MemberCluster
              metadata: {name: %s}
              spec:
                access:
                  kubeconfigFile: {path: /nonexistent/%s.kubeconfig}
              """
                  .formatted(c, c)));
    }
  }

  @AfterEach
  void stop() {
    controller.close();
    engine.close();
    store.close();
  }

  static KubeObject yaml(String text) {
    return KubeObject.of(ManifestReader.read("test", text).get(0).node());
  }

  private String condition(String type) {
    return store
        .get(ZK)
        .map(o -> MiddlewareStatus.fromJson(o.at("/status")))
        .flatMap(s -> s.condition(type))
        .map(c -> c.status() + "/" + c.reason())
        .orElse("");
  }

  private Optional<KubeObject> statefulSet(String cluster) {
    return members.get(cluster).list("apps/v1", "StatefulSet", "default", Map.of()).stream()
        .findFirst();
  }

  @Test
  void aMiddlewareIsRolledOutFailedOverAndFenced() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                store.list(ApiVersion.API_VERSION, "MemberCluster", "").stream()
                        .filter(
                            c -> c.at("/status/conditions/0/status").asString("").equals("True"))
                        .count()
                    == 3);
    store.create(yaml(MiddlewareReconcilerTest.ZK));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> condition("Available").equals("True/AllInstancesReady"));

    TreeMap<String, Integer> starts = new TreeMap<>();
    for (String c : members.keySet()) {
      KubeObject sts = statefulSet(c).orElseThrow();
      assertThat(sts.at("/spec/replicas").asInt()).as(c).isEqualTo(1);
      starts.put(c, sts.at("/spec/ordinals/start").asInt());
      assertThat(sts.labels()).containsEntry(DesiredState.CLUSTER_LABEL, c);
    }
    assertThat(starts)
        .containsExactly(Map.entry("dc1", 1), Map.entry("dc2", 4), Map.entry("dc3", 7));
    String zooCfg =
        members
            .get("dc2")
            .list("v1", "ConfigMap", "default", Map.of())
            .get(0)
            .at("/data")
            .toString();
    assertThat(zooCfg).contains("server.1=").contains("server.4=").contains("server.7=");

    JsonNode global = view.globalView();
    assertThat(global.at("/middlewares/0/instances")).hasSize(3);
    global
        .at("/middlewares/0/instances")
        .forEach(i -> assertThat(i.path("ready").asBoolean()).isTrue());
    JsonNode drill = view.drill("dc3");
    assertThat(drill.at("/middlewares/0/lostInstances/0/id").asInt()).isEqualTo(7);
    assertThat(drill.at("/middlewares/0/voters/0/keepsQuorum").asBoolean()).isTrue();
    assertThat(drill.at("/middlewares/0/moves")).hasSize(1);
    assertThat(statefulSet("dc3")).as("a drill changes nothing").isPresent();

    members.get("dc3").down(true);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                condition("FailingOver").equals("False/FailedOver")
                    && condition("Available").equals("True/AllInstancesReady"));
    MiddlewareStatus s = MiddlewareStatus.fromJson(store.get(ZK).orElseThrow().at("/status"));
    assertThat(s.placement().role("participant")).doesNotContainKey("dc3");
    assertThat(s.placement().total("participant")).isEqualTo(3);
    int grown =
        members.keySet().stream()
            .filter(c -> !c.equals("dc3"))
            .mapToInt(c -> statefulSet(c).orElseThrow().at("/spec/replicas").asInt())
            .sum();
    assertThat(grown).isEqualTo(3);

    members.get("dc3").down(false);
    await().atMost(Duration.ofSeconds(30)).until(() -> statefulSet("dc3").isEmpty());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                MiddlewareStatus.fromJson(store.get(ZK).orElseThrow().at("/status"))
                    .fenced()
                    .containsKey("dc3"));
  }
}
