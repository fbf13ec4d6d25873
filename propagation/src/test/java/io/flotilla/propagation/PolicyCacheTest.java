package io.flotilla.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.KubeObject;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OverridePolicies are kept as a way to read them again: by reference over a store whose reads are
 * local, packed over a remote one; both give a template the policies that select it.
 */
class PolicyCacheTest {
  static final String OVERRIDE =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: OverridePolicy
      metadata: {name: zk-dc1, namespace: default}
      spec:
        resourceSelectors: [{apiVersion: apps/v1, kind: StatefulSet, name: zk}]
        overrideRules:
          - targetCluster: {clusterNames: [dc1]}
            overriders:
              plaintext: [{path: /spec/replicas, operator: replace, value: 2}]
      """;

  /** The in-memory store as if it were remote: reads are not local. */
  static ObjectStore remote(ObjectStore local) {
    return (ObjectStore)
        java.lang.reflect.Proxy.newProxyInstance(
            ObjectStore.class.getClassLoader(),
            new Class<?>[] {ObjectStore.class},
            (proxy, method, args) ->
                method.getName().equals("readsAreLocal") ? false : method.invoke(local, args));
  }

  /** The replicas the first plaintext overrider of the only policy found sets. */
  static int replicas(List<OverridePolicy> found) {
    assertThat(found).hasSize(1);
    return found
        .get(0)
        .spec()
        .overrideRules()
        .get(0)
        .overriders()
        .plaintext()
        .get(0)
        .value()
        .orElseThrow()
        .intValue();
  }

  /** Updates the stored override to set {@code replicas}. */
  static void setReplicas(ObjectStore store, KubeObject override, int replicas) {
    store.update(
        store
            .get(override.ref())
            .orElseThrow()
            .edit(
                n ->
                    ((tools.jackson.databind.node.ObjectNode)
                            n.at("/spec/overrideRules/0/overriders/plaintext/0"))
                        .put("value", replicas)));
  }

  @Test
  void aLocalStoreIsReadAgainByReferenceAndItsNewerVersionWins() {
    ObjectStore store = new InMemoryObjectStore(Clock.systemUTC());
    KubeObject stored = store.create(EngineFixture.yaml(OVERRIDE));
    PolicyCache cache = new PolicyCache(store);
    cache.putOverride(stored);

    setReplicas(store, stored, 3);

    assertThat(replicas(cache.overrides("default", "zk"))).isEqualTo(3);
    assertThat(cache.overrides("default", "other")).isEmpty();
  }

  @Test
  void anOverrideUnchangedSinceItWasDecodedIsNeitherReadNorDecodedAgain() {
    ObjectStore local = new InMemoryObjectStore(Clock.systemUTC());
    KubeObject stored = local.create(EngineFixture.yaml(OVERRIDE));
    java.util.concurrent.atomic.AtomicInteger reads =
        new java.util.concurrent.atomic.AtomicInteger();
    ObjectStore counting =
        (ObjectStore)
            java.lang.reflect.Proxy.newProxyInstance(
                ObjectStore.class.getClassLoader(),
                new Class<?>[] {ObjectStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("get")) {
                    reads.incrementAndGet();
                  }
                  return method.invoke(local, args);
                });
    PolicyCache cache = new PolicyCache(counting);
    cache.putOverride(stored);

    assertThat(replicas(cache.overrides("default", "zk"))).isEqualTo(2);
    assertThat(replicas(cache.overrides("default", "zk"))).isEqualTo(2);
    assertThat(reads).as("decoded when its watch event came").hasValue(0);

    setReplicas(local, stored, 3);
    assertThat(replicas(cache.overrides("default", "zk"))).isEqualTo(3);
    assertThat(replicas(cache.overrides("default", "zk"))).isEqualTo(3);
    assertThat(reads).as("read once at its new version").hasValue(1);

    local.delete(stored.ref());
    assertThat(cache.overrides("default", "zk")).as("gone before its watch event").isEmpty();
  }

  @Test
  void aRemoteStoreIsNeverReadAgain() {
    ObjectStore local = new InMemoryObjectStore(Clock.systemUTC());
    KubeObject stored = local.create(EngineFixture.yaml(OVERRIDE));
    PolicyCache cache = new PolicyCache(remote(local));
    cache.putOverride(stored);
    local.delete(stored.ref());

    assertThat(replicas(cache.overrides("default", "zk"))).isEqualTo(2);
  }
}
