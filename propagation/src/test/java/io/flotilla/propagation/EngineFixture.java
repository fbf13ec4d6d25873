package io.flotilla.propagation;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.cluster.health.HealthSettings;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A propagation engine over an in-memory store and mock member API servers, with short intervals
 * for tests: probes every 200 ms (NotReady after 3 failures, Ready after 2 successes), resync every
 * 2 s, retries from 50 ms.
 */
final class EngineFixture implements AutoCloseable {
  static final HealthSettings HEALTH =
      new HealthSettings(
          Duration.ofMillis(200), Duration.ofMillis(150), 3, 2, Duration.ofSeconds(1));
  static final PropagationSettings SETTINGS =
      new PropagationSettings(
          4, Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofSeconds(1));

  final ObjectStore store;
  PropagationEngine engine;

  EngineFixture() {
    this.store = new InMemoryObjectStore(Clock.systemUTC());
    this.engine = startEngine();
  }

  private PropagationEngine startEngine() {
    PropagationEngine e =
        new PropagationEngine(
            store,
            new KubernetesMemberFactory(store, MockMembers.testOptions()),
            SETTINGS,
            HEALTH,
            Clock.systemUTC());
    e.start();
    return e;
  }

  /** Stops the engine and starts a new one on the same store, as a control plane restart does. */
  void restart() {
    restartAfter(() -> {});
  }

  /** {@link #restart}, doing {@code whileDown} between the stop and the start. */
  void restartAfter(Runnable whileDown) {
    engine.close();
    whileDown.run();
    engine = startEngine();
  }

  static KubeObject yaml(String text) {
    return KubeObject.of(ManifestReader.read("test", text).get(0).node());
  }

  /** The ConfigMap default/app (greeting: hello) that the tests on in-memory members propagate. */
  static KubeObject appConfigMap() {
    return yaml(
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app, namespace: default}
        data: {greeting: hello}
        """);
  }

  /** The PropagationPolicy default/app sending {@link #appConfigMap} to {@code clusters}. */
  static KubeObject appPolicy(String clusters) {
    return yaml(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: PropagationPolicy
        metadata: {name: app, namespace: default}
        spec:
          resourceSelectors: [{apiVersion: v1, kind: ConfigMap, name: app}]
          placement: {clusterAffinity: {clusterNames: [%s]}}
        """
            .formatted(clusters));
  }

  /**
   * The MemberCluster of an in-memory member: its kubeconfig path is never read, the engine's
   * member factory hands out the member by name.
   */
  static KubeObject inMemoryMemberCluster(String name) {
    return yaml(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: MemberCluster
        metadata: {name: %s}
        spec:
          access:
            kubeconfigFile: {path: /nonexistent/%s.kubeconfig}
        """
            .formatted(name, name));
  }

  /** Registers a mock member: its kubeconfig in a Secret, and its MemberCluster. */
  void join(MockMember m, String zone) {
    store.create(
        yaml(
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: %s-kubeconfig, namespace: flotilla-system}
            stringData:
              kubeconfig: |
            %s
            """
                .formatted(m.name(), m.kubeconfig().indent(4))));
    store.create(
        yaml(
            """
            apiVersion: flotilla.io/v1alpha1
            kind: MemberCluster
            metadata:
              name: %s
              labels: {zone: %s}
            spec:
              access:
                kubeconfigSecret: {name: %s-kubeconfig}
            """
                .formatted(m.name(), zone, m.name())));
  }

  KubeObject create(String yaml) {
    return store.create(yaml(yaml));
  }

  Optional<KubeObject> get(ObjectRef ref) {
    return store.get(ref);
  }

  /** Changes a stored object (read, edit, update), retrying on conflict. */
  KubeObject change(ObjectRef ref, java.util.function.UnaryOperator<KubeObject> edit) {
    for (int i = 0; ; i++) {
      KubeObject current = store.get(ref).orElseThrow();
      try {
        return store.update(edit.apply(current));
      } catch (io.flotilla.store.StoreException e) {
        if (e.reason() != io.flotilla.store.StoreException.Reason.CONFLICT || i > 10) {
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    engine.close();
    store.close();
  }
}
