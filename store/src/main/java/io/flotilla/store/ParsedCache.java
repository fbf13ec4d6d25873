package io.flotilla.store;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a caller parsed from stored objects, by reference, each with the {@code resourceVersion} it
 * was parsed from, so that an object is parsed again only when it changed ({@link
 * ObjectStore#version} tells without parsing). Bounded: past its capacity the least recently used
 * entry is dropped, so it holds the objects being worked on, never a second copy of the store.
 * Thread-safe.
 *
 * @param <V> what is parsed from an object
 */
public final class ParsedCache<V> {
  private record Entry<V>(String version, V value) {}

  private final Map<ObjectRef, Entry<V>> entries;

  /**
   * @param capacity how many parsed objects are kept at most
   */
  public ParsedCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.entries =
        new LinkedHashMap<>(64, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<ObjectRef, Entry<V>> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The value parsed from {@code ref} at {@code version}; empty when none is kept. */
  public synchronized Optional<V> get(ObjectRef ref, String version) {
    Entry<V> e = entries.get(ref);
    return e != null && e.version().equals(version) ? Optional.of(e.value()) : Optional.empty();
  }

  /** Keeps the value parsed from {@code ref} at {@code version} (not when the version is empty). */
  public synchronized void put(ObjectRef ref, String version, V value) {
    if (!version.isEmpty()) {
      entries.put(ref, new Entry<>(version, value));
    }
  }

  public synchronized void remove(ObjectRef ref) {
    entries.remove(ref);
  }

  public synchronized int size() {
    return entries.size();
  }

  /**
   * The value of the object {@code store} holds at {@code ref}: the kept one when the object has
   * not changed since it was parsed, else the stored object parsed now (and kept when {@code parse}
   * gives a value). Empty when there is no such object or {@code parse} gives nothing. A store
   * whose reads are local is asked for the version first; a remote one is read once, whole.
   */
  public Optional<V> read(
      ObjectStore store, ObjectRef ref, Function<KubeObject, Optional<V>> parse) {
    if (store.readsAreLocal()) {
      return read(ref, () -> store.version(ref), () -> store.get(ref), parse);
    }
    Optional<KubeObject> object = store.get(ref);
    return read(ref, () -> object.map(o -> o.resourceVersion().orElse("")), () -> object, parse);
  }

  /**
   * The value of the object at {@code ref}, found through {@code version} (its resourceVersion now,
   * empty when it is gone: asked first, so it should be cheap) and {@code object} (read only when
   * the kept value is not of that version): as {@link #read(ObjectStore, ObjectRef, Function)}.
   */
  public Optional<V> read(
      ObjectRef ref,
      Supplier<Optional<String>> version,
      Supplier<Optional<KubeObject>> object,
      Function<KubeObject, Optional<V>> parse) {
    Optional<String> now = version.get();
    if (now.isEmpty()) {
      return Optional.empty();
    }
    Optional<V> kept = get(ref, now.get());
    if (kept.isPresent()) {
      return kept;
    }
    Optional<KubeObject> read = object.get();
    if (read.isEmpty()) {
      return Optional.empty();
    }
    Optional<V> parsed = parse.apply(read.get());
    parsed.ifPresent(v -> put(ref, read.get().resourceVersion().orElse(""), v));
    return parsed;
  }
}
