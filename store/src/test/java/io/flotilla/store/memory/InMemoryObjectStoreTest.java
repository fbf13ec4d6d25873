package io.flotilla.store.memory;

import static io.flotilla.store.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.KubeObject;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.ObjectStoreContract;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreException.Reason;
import io.flotilla.store.StoreWatch;
import io.flotilla.store.testing.RecordingHandler;
import io.flotilla.store.testing.RecordingHandler.Event;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store: the whole contract (it cannot reopen, so those cases are skipped), plus what
 * only this store promises: versions 1, 2, 3, ..., a history of exactly the size it was given, and
 * watch threads that end when their watch does.
 */
class InMemoryObjectStoreTest extends ObjectStoreContract {
  private static final String FLOTILLA = "flotilla.io/v1alpha1";

  @Override
  protected ObjectStore newStore(Clock clock) {
    return new InMemoryObjectStore(clock);
  }

  @Override
  protected ObjectStore newStoreKeepingHistory(Clock clock, int changes) {
    return new InMemoryObjectStore(clock, changes);
  }

  private static void assertGone(ObjectStore store, String from) {
    assertThatThrownBy(() -> store.watch(FLOTILLA, "Middleware", from, new RecordingHandler()))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.GONE));
  }

  @Test
  void anEmptyStoreIsAtVersionZeroAndEachChangeTakesTheNextInteger() {
    assertThat(store.resourceVersion()).isEqualTo("0");

    KubeObject a = store.create(middleware("payments", "a"));
    KubeObject a2 = store.update(withReplicas(a, 5));
    store.delete(a.ref());
    KubeObject b = store.create(memberCluster("dc1"));

    assertThat(List.of(a, a2, b))
        .extracting(o -> o.resourceVersion().orElseThrow())
        .containsExactly("1", "2", "4");
    assertThat(store.resourceVersion()).isEqualTo("4");
  }

  @Test
  void theDefaultHistoryKeepsTheLatestTenThousandChanges() {
    int changes = InMemoryObjectStore.DEFAULT_HISTORY;
    for (int i = 0; i < changes + 5; i++) {
      store.create(memberCluster("dc-" + i));
    }
    RecordingHandler watch = new RecordingHandler();

    StoreWatch fromFive = store.watch(FLOTILLA, "MemberCluster", "5", watch);
    List<Event> events = watch.awaitEvents(changes);
    fromFive.close();

    assertThat(events).hasSize(changes);
    assertThat(events.get(0).version()).isEqualTo(6);
    assertThat(events.get(changes - 1).version()).isEqualTo(changes + 5);
    assertThatThrownBy(
            () -> store.watch(FLOTILLA, "MemberCluster", "4", new RecordingHandler()).close())
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.GONE));
  }

  @Test
  void theHistoryIsStoreWideSoChangesOfOtherKindsPushOutOldOnes() {
    try (ObjectStore small = new InMemoryObjectStore(clock, 3)) {
      small.create(middleware("payments", "zk"));
      for (int i = 0; i < 3; i++) {
        small.create(memberCluster("dc-" + i));
      }

      assertGone(small, "0");
      RecordingHandler watch = new RecordingHandler();
      small.watch(FLOTILLA, "Middleware", "1", watch);
      KubeObject later = small.create(middleware("payments", "later"));
      assertThat(watch.awaitEvents(1)).extracting(Event::object).containsExactly(later);
    }
  }

  @Test
  void watchFromZeroReplaysEveryChangeWhileNoneIsForgotten() {
    KubeObject a = store.create(middleware("payments", "a"));
    store.delete(a.ref());
    RecordingHandler watch = new RecordingHandler();

    store.watch(FLOTILLA, "Middleware", "0", watch);

    assertThat(watch.awaitEvents(2))
        .extracting(Event::summary)
        .containsExactly("ADDED Middleware payments/a", "DELETED Middleware payments/a");
  }

  @Test
  void aHistoryOfZeroLetsWatchesStartOnlyFromThePresent() {
    try (ObjectStore none = new InMemoryObjectStore(clock, 0)) {
      none.create(middleware("payments", "a"));
      none.create(middleware("payments", "b"));

      assertGone(none, "1");
      RecordingHandler watch = new RecordingHandler();
      none.watch(FLOTILLA, "Middleware", "2", watch);
      KubeObject c = none.create(middleware("payments", "c"));
      assertThat(watch.awaitEvents(1)).extracting(Event::object).containsExactly(c);
    }
  }

  @Test
  void aNegativeHistorySizeIsRefused() {
    assertThatThrownBy(() -> new InMemoryObjectStore(clock, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void uidsComeFromTheGivenSupplier() {
    AtomicLong next = new AtomicLong();
    try (ObjectStore s =
        new InMemoryObjectStore(clock, 10, () -> new UUID(0, next.incrementAndGet()))) {
      List<String> uids = new ArrayList<>();
      for (String name : List.of("a", "b", "c")) {
        uids.add(s.create(middleware("payments", name)).at("/metadata/uid").asString());
      }

      assertThat(uids)
          .containsExactly(
              "00000000-0000-0000-0000-000000000001",
              "00000000-0000-0000-0000-000000000002",
              "00000000-0000-0000-0000-000000000003");
    }
  }

  @Test
  void closingAWatchEndsItsThread() {
    RecordingHandler watch = new RecordingHandler();
    StoreWatch w = store.watch(FLOTILLA, "Middleware", "", watch);
    store.create(middleware("payments", "a"));
    Thread thread = watch.awaitEvents(1).get(0).thread();

    w.close();

    eventually().until(() -> !thread.isAlive());
  }

  @Test
  void closingTheStoreEndsEveryWatchThread() {
    ObjectStore own = new InMemoryObjectStore(clock);
    List<RecordingHandler> watches = List.of(new RecordingHandler(), new RecordingHandler());
    own.watch(FLOTILLA, "Middleware", "", watches.get(0));
    own.watch(FLOTILLA, "MemberCluster", "", watches.get(1));
    own.create(middleware("payments", "a"));
    own.create(memberCluster("dc1"));
    List<Thread> threads = watches.stream().map(w -> w.awaitEvents(1).get(0).thread()).toList();

    own.close();

    eventually().until(() -> threads.stream().noneMatch(Thread::isAlive));
  }
}
