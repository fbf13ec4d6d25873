package io.flotilla.propagation;

import static io.flotilla.propagation.EngineFixture.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.KubeObject;
import org.junit.jupiter.api.Test;

/** What a member's copy looks like, and what its status row says. */
class TemplateReconcilerTest {
  private static final KubeObject STORED =
      yaml(
          """
          apiVersion: apps/v1
          kind: StatefulSet
          metadata:
            name: zk
            namespace: db
            uid: 1234
            resourceVersion: "17"
            generation: 4
            creationTimestamp: "2026-11-26T12:00:00Z"
            finalizers: [flotilla.io/propagation]
            labels: {app: zk}
          spec: {replicas: 3}
          status: {replicas: 3, readyReplicas: 1}
          """);

  @Test
  void aCopyCarriesNoServerFieldsOrStatusAndIsMarkedAsFlotillas() {
    KubeObject copy = TemplateReconciler.copyOf(STORED, 4);
    assertThat(copy.at("/status").isMissingNode()).isTrue();
    assertThat(copy.resourceVersion()).isEmpty();
    assertThat(copy.finalizers()).isEmpty();
    assertThat(copy.at("/metadata/uid").isMissingNode()).isTrue();
    assertThat(copy.labels())
        .containsEntry("app", "zk")
        .containsEntry("flotilla.io/managed-by", "flotilla");
    assertThat(copy.annotations()).containsEntry("flotilla.io/template-generation", "4");
    assertThat(copy.at("/spec/replicas").asInt(-1)).isEqualTo(3);
  }

  @Test
  void aCopyWithReplicasIsReadyWhenAllAre() {
    ClusterRow notYet = TemplateReconciler.row("dc1", 4, STORED);
    assertThat(notYet.replicas()).contains(3);
    assertThat(notYet.readyReplicas()).contains(1);
    assertThat(notYet.ready()).isFalse();
    assertThat(notYet.applied()).isTrue();
    KubeObject allReady = STORED.edit(n -> n.withObjectProperty("status").put("readyReplicas", 3));
    assertThat(TemplateReconciler.row("dc1", 4, allReady).ready()).isTrue();
  }

  @Test
  void aCopyWithoutReplicasIsReadyOnceItExists() {
    KubeObject config =
        yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: db}\ndata: {a: b}\n");
    ClusterRow row = TemplateReconciler.row("dc2", 1, config);
    assertThat(row.replicas()).isEmpty();
    assertThat(row.ready()).isTrue();
  }
}
