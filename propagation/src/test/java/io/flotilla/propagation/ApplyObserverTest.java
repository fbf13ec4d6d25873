package io.flotilla.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.ObjectRef;
import io.flotilla.api.Resources;
import io.flotilla.cluster.memory.InMemoryMember;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine tells its {@link ApplyObserver} of every apply to a member that fails, by cluster. */
class ApplyObserverTest {
  private static final ObjectRef CONFIG = new ObjectRef("v1", "ConfigMap", "default", "app");

  private final Map<String, InMemoryMember> members = new TreeMap<>();
  private final List<String> failed = new CopyOnWriteArrayList<>();
  private final ObjectStore store = new InMemoryObjectStore(Clock.systemUTC());
  private PropagationEngine engine;

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
    store.close();
  }

  @Test
  void aMemberThatRefusesTheApplyIsToldByClusterAndTheOthersAreNot() {
    for (String c : List.of("dc1", "dc2")) {
      members.put(c, new InMemoryMember(c, new Resources(1000, 1L << 30)));
      store.create(EngineFixture.inMemoryMemberCluster(c));
    }
    members.get("dc2").down(true);
    engine =
        new PropagationEngine(
            store,
            (name, access) -> members.get(name),
            EngineFixture.SETTINGS,
            EngineFixture.HEALTH,
            Clock.systemUTC(),
            (cluster, template) -> failed.add(cluster + " " + template));
    engine.start();
    store.create(EngineFixture.appConfigMap());
    store.create(EngineFixture.appPolicy("dc1, dc2"));
    await().atMost(Duration.ofSeconds(15)).until(() -> !failed.isEmpty());
    await().atMost(Duration.ofSeconds(15)).until(() -> members.get("dc1").get(CONFIG).isPresent());
    assertThat(failed).allMatch(f -> f.equals("dc2 " + CONFIG));
  }
}
