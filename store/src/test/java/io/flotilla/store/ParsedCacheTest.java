package io.flotilla.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.store.memory.InMemoryObjectStore;
import io.flotilla.store.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParsedCacheTest {
  private static final String API = "flotilla.io/v1alpha1";

  private final ObjectStore store =
      new InMemoryObjectStore(new MutableClock(Instant.parse("2026-11-27T00:00:00Z")));
  private final List<String> parsed = new ArrayList<>();

  /** Parses an object into its "tier" label, counting every parse; no label: nothing parsed. */
  private final Function<KubeObject, Optional<String>> tier =
      o -> {
        parsed.add(o.name() + "@" + o.resourceVersion().orElse(""));
        return Optional.ofNullable(o.labels().get("tier"));
      };

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private KubeObject create(String name, String tierLabel) {
    return store.create(
        KubeObject.create(API, "Middleware", "orders", name).withLabel("tier", tierLabel));
  }

  @Test
  void anUnchangedObjectIsParsedOnce() {
    KubeObject a = create("a", "gold");
    ParsedCache<String> cache = new ParsedCache<>(10);

    assertThat(cache.read(store, a.ref(), tier)).contains("gold");
    assertThat(cache.read(store, a.ref(), tier)).contains("gold");
    assertThat(parsed).hasSize(1);
  }

  @Test
  void aChangedObjectIsParsedAgain() {
    KubeObject a = create("a", "gold");
    ParsedCache<String> cache = new ParsedCache<>(10);
    cache.read(store, a.ref(), tier);

    store.update(store.get(a.ref()).orElseThrow().withLabel("tier", "silver"));

    assertThat(cache.read(store, a.ref(), tier)).contains("silver");
    assertThat(parsed).hasSize(2);
  }

  @Test
  void aDeletedObjectReadsAsNothingEvenWhenItsValueIsKept() {
    KubeObject a = create("a", "gold");
    ParsedCache<String> cache = new ParsedCache<>(10);
    cache.read(store, a.ref(), tier);

    store.delete(a.ref());

    assertThat(cache.read(store, a.ref(), tier)).isEmpty();
    assertThat(cache.read(store, new ObjectRef(API, "Middleware", "orders", "never"), tier))
        .isEmpty();
  }

  @Test
  void anObjectThatParsesToNothingIsNotKept() {
    KubeObject plain = store.create(KubeObject.create(API, "Middleware", "orders", "plain"));
    ParsedCache<String> cache = new ParsedCache<>(10);

    assertThat(cache.read(store, plain.ref(), tier)).isEmpty();
    assertThat(cache.read(store, plain.ref(), tier)).isEmpty();
    assertThat(parsed).hasSize(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void pastItsCapacityTheLeastRecentlyUsedEntryIsDropped() {
    KubeObject a = create("a", "gold");
    KubeObject b = create("b", "silver");
    KubeObject c = create("c", "bronze");
    ParsedCache<String> cache = new ParsedCache<>(2);
    cache.read(store, a.ref(), tier);
    cache.read(store, b.ref(), tier);
    cache.read(store, a.ref(), tier); // a is now the most recently used

    cache.read(store, c.ref(), tier); // drops b

    assertThat(cache.size()).isEqualTo(2);
    parsed.clear();
    cache.read(store, a.ref(), tier);
    cache.read(store, c.ref(), tier);
    assertThat(parsed).isEmpty();
    cache.read(store, b.ref(), tier);
    assertThat(parsed).containsExactly("b@" + b.resourceVersion().orElseThrow());
  }

  @Test
  void aRemoteStoreIsReadOnceWholeAndAnUnchangedObjectIsNotParsedAgain() {
    KubeObject a = create("a", "gold");
    List<String> calls = new ArrayList<>();
    ObjectStore remote =
        (ObjectStore)
            java.lang.reflect.Proxy.newProxyInstance(
                ObjectStore.class.getClassLoader(),
                new Class<?>[] {ObjectStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("readsAreLocal")) {
                    return false;
                  }
                  calls.add(method.getName());
                  return method.invoke(store, args);
                });
    ParsedCache<String> cache = new ParsedCache<>(10);

    assertThat(cache.read(remote, a.ref(), tier)).contains("gold");
    assertThat(cache.read(remote, a.ref(), tier)).contains("gold");
    assertThat(calls).containsExactly("get", "get");
    assertThat(parsed).hasSize(1);
  }

  @Test
  void aValueIsKeptOnlyForTheVersionItWasParsedFrom() {
    ParsedCache<String> cache = new ParsedCache<>(10);
    ObjectRef ref = new ObjectRef(API, "Middleware", "orders", "a");
    cache.put(ref, "7", "gold");
    cache.put(new ObjectRef(API, "Middleware", "orders", "unversioned"), "", "gold");

    assertThat(cache.get(ref, "7")).contains("gold");
    assertThat(cache.get(ref, "8")).isEmpty();
    assertThat(cache.size()).as("a value without a version is not kept").isEqualTo(1);
    cache.remove(ref);
    assertThat(cache.get(ref, "7")).isEmpty();
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> new ParsedCache<String>(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be at least 1, got 0");
  }
}
