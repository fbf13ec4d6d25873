package io.flotilla.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Resources;
import io.flotilla.cluster.ForwardingMember;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.memory.InMemoryMember;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A member cluster the health monitor turned NotReady is left alone (no apply, no delete, no timed
 * retry) until it is Ready again, and then gets what waited for it.
 */
class NotReadyClusterTest {
  private static final ObjectRef CONFIG = new ObjectRef("v1", "ConfigMap", "default", "app");
  private static final ObjectRef BINDING = TemplateReconciler.bindingRef(CONFIG);
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** Longer than the first retries after a failed pass (50, 100, 200, 400 ms: EngineFixture). */
  private static final Duration QUIET = Duration.ofMillis(1500);

  private final Map<String, InMemoryMember> members = new TreeMap<>();
  private final Map<String, AtomicInteger> calls = new TreeMap<>();
  private final ObjectStore store = new InMemoryObjectStore(Clock.systemUTC());
  private PropagationEngine engine;

  @BeforeEach
  void start() {
    for (String c : List.of("dc1", "dc2")) {
      members.put(c, new InMemoryMember(c, new Resources(1000, 1L << 30)));
      calls.put(c, new AtomicInteger());
      store.create(EngineFixture.inMemoryMemberCluster(c));
    }
    engine =
        new PropagationEngine(
            store,
            (name, access) -> new Counted(members.get(name), calls.get(name)),
            EngineFixture.SETTINGS,
            EngineFixture.HEALTH,
            Clock.systemUTC());
    engine.start();
    store.create(EngineFixture.appConfigMap());
    store.create(EngineFixture.appPolicy("dc1, dc2"));
    await()
        .atMost(WAIT)
        .until(() -> copy("dc1").isPresent() && copy("dc2").isPresent() && allApplied());
  }

  @AfterEach
  void stop() {
    engine.close();
    store.close();
  }

  @Test
  void aCopyToDeleteOnAClusterNotReadyWaitsUntriedAndGoesWhenTheClusterIsReadyAgain() {
    loseDc2();
    updatePolicy("dc1");
    await().atMost(WAIT).until(() -> binding().pendingRemoval().equals(List.of("dc2")));
    assertDc2NotTriedForAWhile();

    members.get("dc2").down(false);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(copy("dc2")).isEmpty();
              assertThat(binding().pendingRemoval()).isEmpty();
              assertThat(binding().clusters()).containsExactly("dc1");
            });
  }

  @Test
  void aChangeMadeWhileAClusterIsNotReadyIsNotTriedThereAndReachesItWhenItIsReadyAgain() {
    loseDc2();
    store.update(
        store
            .get(CONFIG)
            .orElseThrow()
            .edit(n -> n.withObjectProperty("data").put("greeting", "hi")));
    await().atMost(WAIT).until(() -> greeting("dc1").equals("hi"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ClusterRow row = binding().row("dc2").orElseThrow();
              assertThat(row.applied()).isFalse();
              assertThat(row.lastError()).contains("member cluster dc2 is not Ready");
            });
    assertDc2NotTriedForAWhile();

    members.get("dc2").down(false);
    await().atMost(WAIT).until(() -> greeting("dc2").equals("hi") && allApplied());
  }

  /** No apply or delete reaches dc2 for longer than the first retries would take. */
  private void assertDc2NotTriedForAWhile() {
    int before = calls.get("dc2").get();
    await()
        .during(QUIET)
        .atMost(QUIET.plusSeconds(5))
        .until(() -> calls.get("dc2").get() == before);
  }

  /** dc2 stops answering, and the health monitor says so. */
  private void loseDc2() {
    members.get("dc2").down(true);
    await().atMost(WAIT).until(() -> readyStatus("dc2").equals("False"));
  }

  private String readyStatus(String cluster) {
    KubeObject mc =
        store
            .get(new ObjectRef("flotilla.io/v1alpha1", "MemberCluster", "", cluster))
            .orElseThrow();
    for (JsonNode c : mc.at("/status/conditions")) {
      if ("Ready".equals(c.path("type").asString(""))) {
        return c.path("status").asString("");
      }
    }
    return "";
  }

  private void updatePolicy(String clusters) {
    KubeObject current =
        store
            .get(new ObjectRef("flotilla.io/v1alpha1", "PropagationPolicy", "default", "app"))
            .orElseThrow();
    store.update(
        EngineFixture.appPolicy(clusters)
            .edit(
                n ->
                    n.withObjectProperty("metadata")
                        .put("resourceVersion", current.resourceVersion().orElseThrow())));
  }

  private ResourceBinding binding() {
    return store.get(BINDING).map(ResourceBinding::fromObject).orElseThrow();
  }

  private boolean allApplied() {
    return store
        .get(BINDING)
        .map(ResourceBinding::fromObject)
        .map(b -> b.allApplied())
        .orElse(false);
  }

  private Optional<KubeObject> copy(String cluster) {
    return members.get(cluster).get(CONFIG);
  }

  private String greeting(String cluster) {
    return members
        .get(cluster)
        .get(CONFIG)
        .map(o -> o.at("/data/greeting").asString(""))
        .orElse("");
  }

  /** A member that counts the engine's applies and deletes. */
  private static final class Counted extends ForwardingMember {
    private final AtomicInteger calls;

    Counted(Member member, AtomicInteger calls) {
      super(member);
      this.calls = calls;
    }

    @Override
    public KubeObject apply(KubeObject desired) {
      calls.incrementAndGet();
      return super.apply(desired);
    }

    @Override
    public boolean delete(ObjectRef ref) {
      calls.incrementAndGet();
      return super.delete(ref);
    }
  }
}
