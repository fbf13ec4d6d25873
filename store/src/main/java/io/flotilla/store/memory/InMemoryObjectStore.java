package io.flotilla.store.memory;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.PackedObject;
import io.flotilla.store.GroupKind;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.ResourceVersions;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreException.Reason;
import io.flotilla.store.StoreHandler;
import io.flotilla.store.StoreHandler.Change;
import io.flotilla.store.StoreWatch;
import io.flotilla.store.WriteRules;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * An {@link ObjectStore} in memory: the reference implementation of the contract, for tests and for
 * a control plane that may forget everything when it stops. Thread-safe: one lock orders every
 * change, so resource versions are 1, 2, 3, ... with no gaps, and every watch sees changes in that
 * order. Keeps the latest {@code historySize} changes for watches that start from a version.
 *
 * <p>Objects are held packed ({@link PackedObject}: compact JSON, a few times smaller than the
 * tree). Reads take no lock and unpack on the caller's thread; an update works out its result from
 * the stored object outside the lock, then commits it under the lock if that object did not change
 * meanwhile (else it starts again from the newer one).
 */
public final class InMemoryObjectStore implements ObjectStore {
  /** How many changes {@link #InMemoryObjectStore(Clock)} keeps for watches. */
  public static final int DEFAULT_HISTORY = 10_000;

  private static final Comparator<PackedObject> BY_VERSION =
      Comparator.comparingLong(o -> ResourceVersions.parse(o.resourceVersion().orElseThrow()));

  private final Clock clock;
  private final Supplier<UUID> uids;
  private final Object lock = new Object();

  /**
   * Written under {@link #lock}, read without it: a reader sees every object as of some committed
   * version, and unpacks it on its own thread.
   */
  private final Map<GroupKind, OfKind> objects = new ConcurrentHashMap<>();

  /** The objects of one kind: sorted for listing, hashed for lookups. */
  private static final class OfKind {
    final ConcurrentSkipListMap<NamespacedName, PackedObject> sorted =
        new ConcurrentSkipListMap<>();
    final ConcurrentHashMap<NamespacedName, PackedObject> byName = new ConcurrentHashMap<>();
  }

  private final Map<GroupKind, List<QueuedWatch>> watches = new HashMap<>();
  private final ChangeLog log;
  private final Journal journal;
  private long version;
  private long watchCount;
  private volatile boolean closed;

  /** A store keeping {@link #DEFAULT_HISTORY} changes, with random uids. */
  public InMemoryObjectStore(Clock clock) {
    this(clock, DEFAULT_HISTORY);
  }

  /** A store keeping {@code historySize} changes for watches, with random uids. */
  public InMemoryObjectStore(Clock clock, int historySize) {
    this(clock, historySize, UUID::randomUUID);
  }

  /**
   * @param clock gives creationTimestamp and deletionTimestamp
   * @param historySize how many of the latest changes a watch from a version can start within
   * @param uids gives each created object's metadata.uid
   */
  public InMemoryObjectStore(Clock clock, int historySize, Supplier<UUID> uids) {
    this(clock, historySize, uids, Recovered.EMPTY, event -> {});
  }

  /**
   * A store that starts from recovered state and writes each change to a journal before making it:
   * the in-memory part of a durable store.
   *
   * @param recovered the objects, version and latest changes the store starts with
   * @param journal gets every change, in version order under the store's lock, before the change is
   *     made or seen; when it throws, the change is not made and the write fails with its exception
   */
  public InMemoryObjectStore(
      Clock clock, int historySize, Supplier<UUID> uids, Recovered recovered, Journal journal) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.uids = Objects.requireNonNull(uids, "uids");
    this.journal = Objects.requireNonNull(journal, "journal");
    this.log = new ChangeLog(historySize, recovered.historyFrom());
    recovered.objects().forEach(this::put);
    recovered.history().forEach(log::append);
    this.version = recovered.version();
  }

  /**
   * Where a durable store writes each change before it is made (and acknowledged): called under the
   * store's lock, in version order, so it must return only once the change is safe.
   */
  @FunctionalInterface
  public interface Journal {
    /**
     * Records a change, or throws (a {@link StoreException} with reason IO) so that it is not made.
     */
    void write(StoreEvent event);
  }

  /**
   * The state a store starts from: its version, its objects, and the changes after {@code
   * historyFrom} (each later than it, in version order) that watches from a version may replay.
   */
  public record Recovered(
      long version, List<PackedObject> objects, long historyFrom, List<StoreEvent> history) {
    /** A new store: version 0, nothing in it. */
    public static final Recovered EMPTY = new Recovered(0, List.of(), 0, List.of());

    public Recovered {
      objects = List.copyOf(objects);
      history = List.copyOf(history);
      if (historyFrom > version) {
        throw new IllegalArgumentException(
            "history from " + historyFrom + " is later than the version " + version);
      }
    }
  }

  @Override
  public KubeObject create(KubeObject object) {
    KubeObject given = WriteRules.checked(object);
    ObjectRef ref = given.ref();
    synchronized (lock) {
      requireOpen();
      if (find(ref) != null) {
        throw new StoreException(Reason.ALREADY_EXISTS, ref, ref + " already exists");
      }
      KubeObject created = WriteRules.created(given, uids.get(), clock.instant(), version + 1);
      commit(Change.ADDED, created);
      return created;
    }
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    Objects.requireNonNull(ref, "ref");
    requireOpen();
    PackedObject found = find(ref);
    return found == null ? Optional.empty() : Optional.of(found.unpack());
  }

  @Override
  public Optional<String> version(ObjectRef ref) {
    Objects.requireNonNull(ref, "ref");
    requireOpen();
    PackedObject found = find(ref);
    return found == null ? Optional.empty() : Optional.of(found.resourceVersion().orElse(""));
  }

  @Override
  public List<KubeObject> list(String apiVersion, String kind, String namespace) {
    List<KubeObject> out = new ArrayList<>();
    for (PackedObject o : selected(apiVersion, kind, namespace)) {
      out.add(o.unpack());
    }
    return out;
  }

  /** Objects are held in this process: reads do no I/O. */
  @Override
  public boolean readsAreLocal() {
    return true;
  }

  @Override
  public List<ObjectRef> refs(String apiVersion, String kind, String namespace) {
    List<ObjectRef> out = new ArrayList<>();
    for (PackedObject o : selected(apiVersion, kind, namespace)) {
      out.add(o.ref());
    }
    return out;
  }

  @Override
  public Map<ObjectRef, String> versions(String apiVersion, String kind, String namespace) {
    Map<ObjectRef, String> out = new LinkedHashMap<>();
    for (PackedObject o : selected(apiVersion, kind, namespace)) {
      out.put(o.ref(), o.resourceVersion().orElse(""));
    }
    return out;
  }

  /** The packed objects of a kind in a namespace ("": all), sorted by namespace and name. */
  private Collection<PackedObject> selected(String apiVersion, String kind, String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    GroupKind groupKind = GroupKind.of(apiVersion, kind);
    requireOpen();
    OfKind ofKind = objects.get(groupKind);
    if (ofKind == null) {
      return List.of();
    }
    if (namespace.isEmpty()) {
      return ofKind.sorted.values();
    }
    // a namespace's objects are contiguous: they sort by namespace first
    return ofKind
        .sorted
        .subMap(
            new NamespacedName(namespace, ""),
            true,
            new NamespacedName(namespace + "\0", ""),
            false)
        .values();
  }

  @Override
  public KubeObject update(KubeObject object) {
    // its size is checked on the merge with what is stored, which is what is kept
    KubeObject given = WriteRules.valid(object);
    return write(given, stored -> WriteRules.updated(stored, given));
  }

  @Override
  public KubeObject updateStatus(KubeObject object) {
    KubeObject given = WriteRules.valid(object);
    return write(given, stored -> WriteRules.statusUpdated(stored, given));
  }

  /**
   * An update: the next state is worked out from the stored one without the lock (unpacking and
   * merging are the costly part), then committed under it if the stored object has not changed
   * meanwhile; if it has, the work is done again from the newer state (whose version then decides a
   * conflict).
   */
  private KubeObject write(KubeObject given, UnaryOperator<KubeObject> merge) {
    while (true) {
      requireOpen();
      PackedObject packed = existing(given.ref());
      KubeObject stored = packed.unpack();
      WriteRules.requireVersion(stored, given);
      KubeObject next = merge.apply(stored);
      if (next.equals(stored)) {
        return stored;
      }
      synchronized (lock) {
        requireOpen();
        if (find(given.ref()) != packed) {
          continue;
        }
        KubeObject written = WriteRules.atVersion(next, version + 1);
        Change change =
            written.deletionTimestamp().isPresent() && WriteRules.removable(written)
                ? Change.DELETED
                : Change.MODIFIED;
        // packed once, for the store and its watches; the merge with what is stored can be larger
        // than what the caller sent
        StoreEvent event = StoreEvent.of(version + 1, GroupKind.of(given.ref()), change, written);
        WriteRules.checkSize(given.ref(), event.packed().size());
        commit(event);
        return written;
      }
    }
  }

  @Override
  public Optional<KubeObject> delete(ObjectRef ref) {
    Objects.requireNonNull(ref, "ref");
    synchronized (lock) {
      requireOpen();
      PackedObject packed = find(ref);
      if (packed == null) {
        return Optional.empty();
      }
      KubeObject stored = packed.unpack();
      if (WriteRules.removable(stored)) {
        KubeObject last = WriteRules.atVersion(stored, version + 1);
        commit(Change.DELETED, last);
        return Optional.empty();
      }
      if (stored.deletionTimestamp().isPresent()) {
        return Optional.of(stored);
      }
      KubeObject marked =
          WriteRules.atVersion(WriteRules.markedForDeletion(stored, clock.instant()), version + 1);
      commit(Change.MODIFIED, marked);
      return Optional.of(marked);
    }
  }

  @Override
  public StoreWatch watch(
      String apiVersion, String kind, String fromResourceVersion, StoreHandler handler) {
    Objects.requireNonNull(fromResourceVersion, "fromResourceVersion");
    Objects.requireNonNull(handler, "handler");
    GroupKind groupKind = GroupKind.of(apiVersion, kind);
    synchronized (lock) {
      requireOpen();
      List<StoreEvent> first =
          fromResourceVersion.isEmpty()
              ? current(groupKind)
              : log.after(since(fromResourceVersion), groupKind);
      List<QueuedWatch> ofKind = watches.computeIfAbsent(groupKind, k -> new ArrayList<>());
      QueuedWatch watch =
          new QueuedWatch("store-watch-" + groupKind + "-" + ++watchCount, handler, this::forget);
      ofKind.add(watch);
      watch.start(first);
      return watch;
    }
  }

  @Override
  public String resourceVersion() {
    synchronized (lock) {
      requireOpen();
      return ResourceVersions.format(version);
    }
  }

  /** Closes every watch; every later call but close throws IllegalStateException. */
  @Override
  public void close() {
    List<QueuedWatch> open = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      watches.values().forEach(open::addAll);
    }
    open.forEach(QueuedWatch::close);
  }

  /** Every current object of a kind as ADDED, in the order they were last written. */
  private List<StoreEvent> current(GroupKind groupKind) {
    OfKind ofKind = objects.get(groupKind);
    List<PackedObject> now =
        ofKind == null ? new ArrayList<>() : new ArrayList<>(ofKind.sorted.values());
    now.sort(BY_VERSION);
    List<StoreEvent> out = new ArrayList<>();
    for (PackedObject o : now) {
      out.add(
          new StoreEvent(
              ResourceVersions.parse(o.resourceVersion().orElseThrow()),
              groupKind,
              Change.ADDED,
              o));
    }
    return out;
  }

  /** The version a watch starts after, when this store still has every change since. */
  private long since(String fromResourceVersion) {
    long from = ResourceVersions.parse(fromResourceVersion);
    if (from > version) {
      throw new StoreException(
          Reason.GONE,
          null,
          "resource version "
              + from
              + " is newer than this store's latest, "
              + version
              + ": it comes from another store or one that was reset; list again and watch from"
              + " the list's version");
    }
    if (from < log.compacted()) {
      throw new StoreException(
          Reason.GONE,
          null,
          "changes after resource version "
              + from
              + " are no longer kept (the oldest kept follows "
              + log.compacted()
              + "); list again and watch from the list's version");
    }
    return from;
  }

  private void forget(QueuedWatch watch) {
    synchronized (lock) {
      watches.values().forEach(ofKind -> ofKind.remove(watch));
    }
  }

  /**
   * Makes a change: the journal first (when it throws, nothing changes), then the objects, the
   * version, the history and the watches.
   */
  private void commit(Change change, KubeObject object) {
    commit(StoreEvent.of(version + 1, GroupKind.of(object.ref()), change, object));
  }

  /** Makes a change at the next version, which {@code event} carries. */
  private void commit(StoreEvent event) {
    journal.write(event);
    if (event.change() == Change.DELETED) {
      remove(event.packed().ref());
    } else {
      put(event.packed());
    }
    version++;
    log.append(event);
    for (QueuedWatch w : watches.getOrDefault(event.kind(), List.of())) {
      w.offer(event);
    }
  }

  private PackedObject find(ObjectRef ref) {
    OfKind ofKind = objects.get(GroupKind.of(ref));
    return ofKind == null ? null : ofKind.byName.get(NamespacedName.of(ref));
  }

  private PackedObject existing(ObjectRef ref) {
    PackedObject stored = find(ref);
    if (stored == null) {
      throw new StoreException(Reason.NOT_FOUND, ref, ref + " not found");
    }
    return stored;
  }

  private void put(PackedObject object) {
    OfKind ofKind = objects.computeIfAbsent(GroupKind.of(object.ref()), k -> new OfKind());
    NamespacedName name = NamespacedName.of(object.ref());
    ofKind.sorted.put(name, object);
    ofKind.byName.put(name, object);
  }

  private void remove(ObjectRef ref) {
    OfKind ofKind = objects.get(GroupKind.of(ref));
    NamespacedName name = NamespacedName.of(ref);
    ofKind.sorted.remove(name);
    ofKind.byName.remove(name);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
  }

  /** Where an object sits within its kind: sorted by namespace, then name. */
  private record NamespacedName(String namespace, String name)
      implements Comparable<NamespacedName> {
    static NamespacedName of(ObjectRef ref) {
      return new NamespacedName(ref.namespace(), ref.name());
    }

    @Override
    public int compareTo(NamespacedName o) {
      int c = namespace.compareTo(o.namespace);
      return c != 0 ? c : name.compareTo(o.name);
    }
  }
}
