package io.flotilla.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Resources;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.ForwardingMember;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.memory.InMemoryMember;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Closing the engine (a restart, a lost lead) interrupts a pass under way: that pass writes nothing
 * more, since its member calls failed on the interrupt, which says nothing of the members.
 */
class EngineCloseTest {
  private static final ObjectRef CONFIG = new ObjectRef("v1", "ConfigMap", "default", "app");
  private static final ObjectRef BINDING = TemplateReconciler.bindingRef(CONFIG);
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ObjectStore store = new InMemoryObjectStore(Clock.systemUTC());
  private final InMemoryMember dc1 = new InMemoryMember("dc1", new Resources(1000, 1L << 30));
  private final CountDownLatch applying = new CountDownLatch(1);
  private volatile boolean hold;
  private PropagationEngine engine;
  private boolean closed;

  @AfterEach
  void stop() {
    if (engine != null && !closed) {
      engine.close(); // the test failed before its own close
    }
    store.close();
  }

  @Test
  void aPassInterruptedByCloseLeavesTheBindingAsItWas() throws InterruptedException {
    store.create(EngineFixture.inMemoryMemberCluster("dc1"));
    engine =
        new PropagationEngine(
            store,
            (name, access) -> new Held(dc1),
            EngineFixture.SETTINGS,
            EngineFixture.HEALTH,
            Clock.systemUTC());
    engine.start();
    store.create(EngineFixture.appConfigMap());
    store.create(EngineFixture.appPolicy("dc1"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                store
                    .get(BINDING)
                    .map(ResourceBinding::fromObject)
                    .map(ResourceBinding::allApplied)
                    .orElse(false));

    hold = true;
    store.update(
        store
            .get(CONFIG)
            .orElseThrow()
            .edit(n -> n.withObjectProperty("data").put("greeting", "hi")));
    applying.await();
    KubeObject before = store.get(BINDING).orElseThrow();
    engine.close();
    closed = true;

    KubeObject after = store.get(BINDING).orElseThrow();
    assertThat(after.resourceVersion()).isEqualTo(before.resourceVersion());
    assertThat(ResourceBinding.fromObject(after).row("dc1").orElseThrow().lastError()).isEmpty();
  }

  /** A member whose applies, once held, wait until interrupted, as a slow API server's would. */
  private final class Held extends ForwardingMember {
    Held(Member member) {
      super(member);
    }

    @Override
    public KubeObject apply(KubeObject desired) {
      if (!hold) {
        return super.apply(desired);
      }
      applying.countDown();
      try {
        new CountDownLatch(1).await(); // never counted down
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MemberException(
            FailureReason.ERROR,
            "member cluster dc1: apply ConfigMap default/app: InterruptedException",
            e);
      }
      throw new IllegalStateException("an apply held by the test returned");
    }
  }
}
