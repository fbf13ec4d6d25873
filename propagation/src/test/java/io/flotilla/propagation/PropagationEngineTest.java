package io.flotilla.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The propagation engine against three member clusters, each a fabric8 mock API server in CRUD mode
 * on loopback, with the in-memory store as the control plane's store.
 */
class PropagationEngineTest {
  @RegisterExtension static final MockMembers MEMBERS = MockMembers.start("dc1", "dc2", "dc3");

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectRef ZK = new ObjectRef("apps/v1", "StatefulSet", "default", "zk");
  private static final ObjectRef BINDING =
      new ObjectRef("flotilla.io/v1alpha1", "ResourceBinding", "default", "zk-statefulset");

  private static final String TEMPLATE =
      """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: zk, namespace: default, labels: {app: zk}}
      spec:
        replicas: 3
        serviceName: zk
        selector: {matchLabels: {app: zk}}
        template:
          metadata: {labels: {app: zk}}
          spec:
            containers:
              - {name: zk, image: "docker.io/library/zookeeper:3.9.5"}
      """;

  private static final String POLICY =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: PropagationPolicy
      metadata: {name: zk, namespace: default}
      spec:
        resourceSelectors: [{apiVersion: apps/v1, kind: StatefulSet, name: zk}]
        placement: {clusterAffinity: {clusterNames: [%s]}}
      """;

  private static final String OVERRIDES =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: OverridePolicy
      metadata: {name: zk-per-dc, namespace: default}
      spec:
        resourceSelectors: [{apiVersion: apps/v1, kind: StatefulSet, name: zk}]
        overrideRules:
          - targetCluster: {clusterNames: [dc1]}
            overriders:
              plaintext: [{path: /spec/replicas, operator: replace, value: 2}]
          - targetCluster: {labelSelector: {matchLabels: {zone: b}}}
            overriders:
              imageOverrider: [{component: Registry, operator: replace, value: registry.dc2.example.com}]
      """;

  private EngineFixture f;

  @BeforeEach
  void start() {
    f = new EngineFixture();
    f.join(MEMBERS.get("dc1"), "a");
    f.join(MEMBERS.get("dc2"), "b");
    f.join(MEMBERS.get("dc3"), "c");
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private static Optional<KubeObject> copy(String member) {
    return MEMBERS.get(member).member().get(ZK);
  }

  /** The value in a member's copy, or a missing node while there is no copy. */
  private static JsonNode at(String member, String pointer) {
    return copy(member)
        .map(c -> c.at(pointer))
        .orElse(tools.jackson.databind.node.MissingNode.getInstance());
  }

  private Optional<ResourceBinding> binding() {
    return f.get(BINDING).map(ResourceBinding::fromObject);
  }

  private void propagateToAll() {
    f.create(TEMPLATE);
    f.create(POLICY.formatted("dc1, dc2, dc3"));
  }

  @Test
  void overridesMakeEachClustersCopyDifferent() {
    f.create(OVERRIDES);
    propagateToAll();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(at("dc1", "/spec/replicas").asInt(-1)).isEqualTo(2);
              assertThat(at("dc2", "/spec/replicas").asInt(-1)).isEqualTo(3);
              assertThat(at("dc3", "/spec/replicas").asInt(-1)).isEqualTo(3);
              assertThat(at("dc2", "/spec/template/spec/containers/0/image").asString(""))
                  .isEqualTo("registry.dc2.example.com/library/zookeeper:3.9.5");
              assertThat(at("dc3", "/spec/template/spec/containers/0/image").asString(""))
                  .isEqualTo("docker.io/library/zookeeper:3.9.5");
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ResourceBinding b = binding().orElseThrow();
              assertThat(b.clusters()).containsExactly("dc1", "dc2", "dc3");
              assertThat(b.allApplied()).isTrue();
              assertThat(b.row("dc1").orElseThrow().replicas()).contains(2);
            });
    assertThat(copy("dc1").orElseThrow().labels())
        .containsEntry("flotilla.io/managed-by", "flotilla");
    assertThat(f.get(ZK).orElseThrow().finalizers()).contains("flotilla.io/propagation");
  }

  @Test
  void aRestartedEngineChangesNothingThatWasHealthy() {
    f.create(OVERRIDES);
    propagateToAll();
    await()
        .atMost(WAIT)
        .until(
            () ->
                at("dc1", "/spec/replicas").asInt(-1) == 2
                    && binding()
                        .map(b -> b.allApplied() && b.clusters().size() == 3)
                        .orElse(false));
    java.util.function.Supplier<java.util.List<String>> versions =
        () ->
            java.util.List.of(
                f.get(BINDING).flatMap(KubeObject::resourceVersion).orElse("gone"),
                copy("dc1").flatMap(KubeObject::resourceVersion).orElse("gone"),
                copy("dc2").flatMap(KubeObject::resourceVersion).orElse("gone"),
                copy("dc3").flatMap(KubeObject::resourceVersion).orElse("gone"));
    java.util.concurrent.atomic.AtomicReference<java.util.List<String>> seen =
        new java.util.concurrent.atomic.AtomicReference<>(java.util.List.of());
    await() // settled: the same versions for a second
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> versions.get().equals(seen.getAndSet(versions.get())));
    java.util.List<String> before = versions.get();

    // every member and policy is known before the first pass: no copy rendered without its
    // overrides, no cluster dropped from the binding while its member is still connecting
    f.restart();
    await()
        .during(Duration.ofMillis(1500))
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(versions.get()).isEqualTo(before));
    assertThat(at("dc1", "/spec/replicas").asInt(-1)).isEqualTo(2);
  }

  @Test
  void aHandEditOnAMemberIsPutBackAndOthersLabelsAreKept() {
    propagateToAll();
    await().atMost(WAIT).until(() -> copy("dc2").isPresent());
    MockMember dc2 = MEMBERS.get("dc2");
    dc2.client()
        .apps()
        .statefulSets()
        .inNamespace("default")
        .withName("zk")
        .edit(
            s -> {
              s.getSpec().setReplicas(7);
              s.getMetadata().getLabels().put("team", "ops");
              return s;
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(at("dc2", "/spec/replicas").asInt(-1)).isEqualTo(3);
              assertThat(copy("dc2").orElseThrow().labels()).containsEntry("team", "ops");
            });
  }

  @Test
  void deletingTheTemplateDeletesEveryCopyThenTheTemplate() {
    propagateToAll();
    await()
        .atMost(WAIT)
        .until(() -> copy("dc1").isPresent() && copy("dc2").isPresent() && copy("dc3").isPresent());
    f.store.delete(ZK);
    awaitWithdrawnEverywhere();
  }

  /** Waits until no member holds a copy and the template and its binding are gone. */
  private void awaitWithdrawnEverywhere() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(copy("dc1")).isEmpty();
              assertThat(copy("dc2")).isEmpty();
              assertThat(copy("dc3")).isEmpty();
              assertThat(f.get(ZK)).isEmpty();
              assertThat(f.get(BINDING)).isEmpty();
            });
  }

  @Test
  void aTemplateRemovedWhileTheEngineWasDownHasItsCopiesWithdrawnFromItsBinding() {
    propagateToAll();
    await()
        .atMost(WAIT)
        .until(() -> binding().map(b -> b.allApplied() && b.clusters().size() == 3).orElse(false));

    // removed by hand, finalizer and all, while no engine ran: only the binding is left to tell
    f.restartAfter(
        () -> {
          KubeObject t = f.get(ZK).orElseThrow();
          f.store.update(t.edit(n -> n.withObjectProperty("metadata").remove("finalizers")));
          f.store.delete(ZK);
          assertThat(f.get(ZK)).isEmpty();
        });
    awaitWithdrawnEverywhere();
  }

  @Test
  void aPolicyThatPreservesResourcesKeepsTheCopiesWhenTheTemplateIsDeleted() {
    f.create(TEMPLATE);
    f.create(
        POLICY
            .formatted("dc1, dc2, dc3")
            .replace("  placement:", "  preserveResourcesOnDeletion: true\n  placement:"));
    await().atMost(WAIT).until(() -> copy("dc3").isPresent());
    f.store.delete(ZK);
    await().atMost(WAIT).until(() -> f.get(ZK).isEmpty());
    assertThat(copy("dc1")).isPresent();
    assertThat(copy("dc3")).isPresent();
  }

  @Test
  void aClusterLeftOutOfThePolicyLosesItsCopy() {
    propagateToAll();
    await().atMost(WAIT).until(() -> copy("dc3").isPresent());
    ObjectRef policy = new ObjectRef("flotilla.io/v1alpha1", "PropagationPolicy", "default", "zk");
    f.change(
        policy,
        p ->
            p.edit(
                n ->
                    n.withObjectProperty("spec")
                        .withObjectProperty("placement")
                        .withObjectProperty("clusterAffinity")
                        .putArray("clusterNames")
                        .add("dc1")
                        .add("dc2")));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(copy("dc3")).isEmpty();
              assertThat(copy("dc1")).isPresent();
              assertThat(binding().orElseThrow().clusters()).containsExactly("dc1", "dc2");
            });
  }

  @Test
  void aMemberThatStopsAnsweringTurnsNotReadyAndCatchesUpWhenBack() {
    propagateToAll();
    await().atMost(WAIT).until(() -> copy("dc3").isPresent());
    MockMember dc3 = MEMBERS.get("dc3");
    dc3.stop();
    ObjectRef cluster = new ObjectRef("flotilla.io/v1alpha1", "MemberCluster", "", "dc3");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              KubeObject mc = f.get(cluster).orElseThrow();
              assertThat(readyStatus(mc)).isEqualTo("False");
              assertThat(mc.at("/spec/taints").toString()).contains("flotilla.io/unreachable");
            });
    // a change made while dc3 is away reaches the others now, and dc3 once it is back
    f.change(ZK, t -> t.edit(n -> n.withObjectProperty("spec").put("replicas", 5)));
    await().atMost(WAIT).until(() -> at("dc1", "/spec/replicas").asInt(-1) == 5);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ClusterRow row = binding().orElseThrow().row("dc3").orElseThrow();
              assertThat(row.applied()).isFalse();
              assertThat(row.lastError()).isNotEmpty();
            });
    dc3.start(MockMember.Data.KEPT);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(readyStatus(f.get(cluster).orElseThrow())).isEqualTo("True");
              assertThat(f.get(cluster).orElseThrow().at("/spec/taints").toString())
                  .doesNotContain("flotilla.io/unreachable");
              assertThat(at("dc3", "/spec/replicas").asInt(-1)).isEqualTo(5);
              assertThat(binding().orElseThrow().allApplied()).isTrue();
            });
  }

  @Test
  void anInvalidKubeconfigAndAnUnreachableEndpointGiveClearConditions() {
    f.create(
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: bad-kubeconfig, namespace: flotilla-system}
        stringData: {kubeconfig: "this is not a kubeconfig"}
        """);
    f.create(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: MemberCluster
        metadata: {name: bad}
        spec: {access: {kubeconfigSecret: {name: bad-kubeconfig}}}
        """);
    f.create(
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: gone-kubeconfig, namespace: flotilla-system}
        stringData:
          kubeconfig: |
        %s
        """
            .formatted(
                MockMember.kubeconfigFor("gone", "http://127.0.0.1:" + closedPort()).indent(4)));
    f.create(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: MemberCluster
        metadata: {name: gone}
        spec: {access: {kubeconfigSecret: {name: gone-kubeconfig}}}
        """);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              KubeObject bad =
                  f.get(new ObjectRef("flotilla.io/v1alpha1", "MemberCluster", "", "bad"))
                      .orElseThrow();
              assertThat(readyStatus(bad)).isEqualTo("False");
              assertThat(readyField(bad, "reason")).isEqualTo("InvalidKubeconfig");
              assertThat(readyField(bad, "message")).contains("bad-kubeconfig");
              KubeObject gone =
                  f.get(new ObjectRef("flotilla.io/v1alpha1", "MemberCluster", "", "gone"))
                      .orElseThrow();
              assertThat(readyStatus(gone)).isEqualTo("False");
              assertThat(readyField(gone, "reason")).isEqualTo("ConnectionRefused");
            });
  }

  @Test
  void aCopysStatusReachesTheBindingFromTheMember() {
    propagateToAll();
    await().atMost(WAIT).until(() -> copy("dc1").isPresent());
    MEMBERS
        .get("dc1")
        .client()
        .apps()
        .statefulSets()
        .inNamespace("default")
        .withName("zk")
        .editStatus(
            s -> {
              s.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatus());
              s.getStatus().setReadyReplicas(3);
              s.getStatus().setReplicas(3);
              return s;
            });
    await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              ClusterRow row = binding().orElseThrow().row("dc1").orElseThrow();
              assertThat(row.readyReplicas()).contains(3);
              assertThat(row.ready()).isTrue();
            });
  }

  @Test
  void anOverrideThatCannotApplyToOneClusterIsReportedAndTheOthersGoOn() {
    f.create(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: OverridePolicy
        metadata: {name: broken, namespace: default}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: StatefulSet, name: zk}]
          overrideRules:
            - targetCluster: {clusterNames: [dc2]}
              overriders:
                plaintext: [{path: /spec/nothing/here, operator: replace, value: 1}]
        """);
    propagateToAll();
    ObjectRef policy = new ObjectRef("flotilla.io/v1alpha1", "OverridePolicy", "default", "broken");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(copy("dc1")).isPresent();
              assertThat(copy("dc3")).isPresent();
              assertThat(copy("dc2")).isEmpty();
              KubeObject p = f.get(policy).orElseThrow();
              String condition = p.at("/status/conditions/0").toString();
              assertThat(condition)
                  .contains("\"status\":\"False\"")
                  .contains("dc2")
                  .contains("/spec/nothing/here");
              assertThat(binding().orElseThrow().row("dc2").orElseThrow().lastError())
                  .contains("override failed");
            });
  }

  private static String readyStatus(KubeObject mc) {
    return readyField(mc, "status");
  }

  private static String readyField(KubeObject mc, String field) {
    for (JsonNode c : mc.at("/status/conditions")) {
      if ("Ready".equals(c.path("type").asString(""))) {
        return c.path(field).asString("");
      }
    }
    return "";
  }

  private static int closedPort() {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
