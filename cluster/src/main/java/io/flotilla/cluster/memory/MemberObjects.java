package io.flotilla.cluster.memory;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.PackedObject;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.WatchHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The objects of a member cluster held in memory, with the API server's bookkeeping: resource
 * versions, generations (bumped when {@code spec} changes), labels kept across applies, and watches
 * that replay the current objects and then deliver every change in order, each on its own thread.
 * Shared by the in-memory member and the sandbox's local clusters.
 */
public final class MemberObjects {
  private final String cluster;
  private final ConcurrentSkipListMap<String, PackedObject> objects = new ConcurrentSkipListMap<>();
  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private final AtomicLong versions = new AtomicLong();

  /**
   * @param cluster the member's name, for thread names
   */
  public MemberObjects(String cluster) {
    this.cluster = cluster;
  }

  private static String key(ObjectRef r) {
    return r.group() + "/" + r.kind() + "/" + r.namespace() + "/" + r.name();
  }

  /**
   * Stores {@code desired} as apply does: server-set metadata dropped, other labels kept, the
   * generation bumped when {@code spec} changed, and the status {@code status} returns for the new
   * object and its generation (null: the status stored before, if any). Nothing is written, and no
   * watch told, when the stored copy already matches.
   */
  public synchronized KubeObject apply(
      KubeObject desired, BiFunction<ObjectNode, Long, JsonNode> status) {
    String ns = desired.namespace().isEmpty() ? "default" : desired.namespace();
    ObjectRef ref = new ObjectRef(desired.apiVersion(), desired.kind(), ns, desired.name());
    Optional<KubeObject> before = get(ref);
    ObjectNode o = desired.json();
    o.remove("status");
    ObjectNode meta = (ObjectNode) o.get("metadata");
    meta.put("namespace", ns);
    for (String f : List.of("resourceVersion", "uid", "creationTimestamp", "generation")) {
      meta.remove(f);
    }
    long generation = 1;
    if (before.isPresent()) {
      KubeObject b = before.get();
      generation = b.generation();
      if (!b.sameJsonAt("/spec", o.path("spec"))) {
        generation++;
      }
      SortedMap<String, String> kept = b.labels();
      if (!kept.isEmpty()) {
        ObjectNode labels =
            meta.get("labels") instanceof ObjectNode l ? l : meta.putObject("labels");
        kept.forEach(
            (key, v) -> {
              if (!labels.has(key)) {
                labels.put(key, v);
              }
            });
      }
    }
    meta.put("generation", generation);
    JsonNode s = status.apply(o, generation);
    if (s != null) {
      o.set("status", s);
    } else if (before.isPresent() && before.get().has("status")) {
      o.set("status", before.get().at("/status"));
    }
    if (before.isPresent() && same(before.get(), o)) {
      return before.get();
    }
    return store(o, before.isPresent());
  }

  /**
   * Stores an object as given (its status included), as a controller of the member would write it:
   * a pod the kubelet reports, a StatefulSet's status. Nothing is written when it already matches.
   */
  public synchronized KubeObject put(KubeObject object) {
    ObjectNode o = object.json();
    ObjectNode meta = (ObjectNode) o.get("metadata");
    if (object.namespace().isEmpty()) {
      meta.put("namespace", "default");
    }
    meta.remove("resourceVersion");
    Optional<KubeObject> before = get(KubeObject.of(o).ref());
    if (before.isPresent() && same(before.get(), o)) {
      return before.get();
    }
    return store(o, before.isPresent());
  }

  /**
   * Replaces the status of the object as stored now, as a write to the status subresource: its spec
   * and metadata stay whatever they are (an apply in between is never undone). Nothing is written
   * when the object is gone or its status already matches.
   *
   * @return the object as stored, or empty when it does not exist
   */
  public synchronized Optional<KubeObject> updateStatus(ObjectRef ref, JsonNode status) {
    Optional<KubeObject> current = get(ref);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode o = current.get().json();
    ((ObjectNode) o.get("metadata")).remove("resourceVersion");
    o.set("status", status.deepCopy());
    if (same(current.get(), o)) {
      return current;
    }
    return Optional.of(store(o, true));
  }

  private KubeObject store(ObjectNode o, boolean existed) {
    ((ObjectNode) o.get("metadata"))
        .put("resourceVersion", Long.toString(versions.incrementAndGet()));
    KubeObject stored = KubeObject.of(o);
    PackedObject packed = stored.pack();
    objects.put(key(stored.ref()), packed);
    notify(existed ? WatchHandler.Change.MODIFIED : WatchHandler.Change.ADDED, stored, packed);
    return stored;
  }

  private static final Set<String> METADATA = Set.of("metadata");

  /** Whether {@code a} as stored equals {@code b}, which carries no resourceVersion. */
  private static boolean same(KubeObject a, ObjectNode b) {
    if (!a.sameJsonBut(b, METADATA)) {
      return false;
    }
    JsonNode meta = a.at("/metadata");
    if (meta instanceof ObjectNode m) {
      m.remove("resourceVersion");
    }
    return KubeObject.sameJson(meta, b.path("metadata"));
  }

  /** Removes an object; returns it, or empty when it did not exist. */
  public synchronized Optional<KubeObject> delete(ObjectRef ref) {
    PackedObject gone = objects.remove(key(ref));
    if (gone == null) {
      return Optional.empty();
    }
    KubeObject o = gone.unpack();
    notify(WatchHandler.Change.DELETED, o, gone);
    return Optional.of(o);
  }

  /** How many objects are held, and the bytes of their packed JSON. */
  public record Held(int objects, long bytes) {}

  /** What this member holds now. */
  public Held held() {
    int n = 0;
    long bytes = 0;
    for (PackedObject o : objects.values()) {
      n++;
      bytes += o.size();
    }
    return new Held(n, bytes);
  }

  public Optional<KubeObject> get(ObjectRef ref) {
    return Optional.ofNullable(objects.get(key(ref))).map(PackedObject::unpack);
  }

  /** The objects of a kind that carry every given label, sorted by namespace and name. */
  public List<KubeObject> list(
      String apiVersion, String kind, String namespace, Map<String, String> labels) {
    List<KubeObject> out = new ArrayList<>();
    forEachMatching(apiVersion, kind, namespace, labels, (o, p) -> out.add(o));
    return out;
  }

  /** Every object held, sorted by group, kind, namespace and name. */
  public List<KubeObject> all() {
    return objects.values().stream().map(PackedObject::unpack).toList();
  }

  private void forEachMatching(
      String apiVersion,
      String kind,
      String namespace,
      Map<String, String> labels,
      BiConsumer<KubeObject, PackedObject> action) {
    ObjectRef want = new ObjectRef(apiVersion, kind, "", "-");
    for (PackedObject p : objects.values()) {
      ObjectRef r = p.ref();
      if (!r.kind().equals(kind)
          || !r.group().equals(want.group())
          || !(namespace.isEmpty() || r.namespace().equals(namespace))) {
        continue;
      }
      KubeObject o = p.unpack();
      if (matches(o, apiVersion, kind, namespace, labels)) {
        action.accept(o, p);
      }
    }
  }

  private static boolean matches(
      KubeObject o, String apiVersion, String kind, String namespace, Map<String, String> labels) {
    ObjectRef want = new ObjectRef(apiVersion, kind, "", "-");
    return o.ref().group().equals(want.group())
        && o.kind().equals(kind)
        && (namespace.isEmpty() || o.namespace().equals(namespace))
        && o.labels().entrySet().containsAll(labels.entrySet());
  }

  /** Watches objects as {@link io.flotilla.cluster.Member#watch} describes. */
  public synchronized MemberWatch watch(
      String apiVersion,
      String kind,
      String namespace,
      Map<String, String> labels,
      WatchHandler handler) {
    Watch w = new Watch(apiVersion, kind, namespace, labels, handler);
    watches.add(w);
    // queued packed: a watch on a big member must not hold every object's tree at once
    forEachMatching(
        apiVersion, kind, namespace, labels, (o, p) -> w.send(WatchHandler.Change.ADDED, p));
    return w;
  }

  private void notify(WatchHandler.Change change, KubeObject o, PackedObject packed) {
    for (Watch w : watches) {
      if (matches(o, w.apiVersion, w.kind, w.namespace, w.labels)) {
        w.send(change, packed);
      }
    }
  }

  /** Stops every watch (their handlers are not told: the member closes). */
  public void closeWatches() {
    watches.forEach(Watch::close);
  }

  /** Stops every watch and tells each handler why, as a member that fails for good does. */
  public void failWatches(MemberException why) {
    for (Watch w : watches) {
      w.fail(why);
    }
  }

  /** One watch: its events go out in order on its own thread. */
  private final class Watch implements MemberWatch {
    final String apiVersion;
    final String kind;
    final String namespace;
    final Map<String, String> labels;
    final WatchHandler handler;
    final ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "member-" + cluster + "-watch");
              t.setDaemon(true);
              return t;
            });

    Watch(
        String apiVersion,
        String kind,
        String namespace,
        Map<String, String> labels,
        WatchHandler handler) {
      this.apiVersion = apiVersion;
      this.kind = kind;
      this.namespace = namespace;
      this.labels = Map.copyOf(labels);
      this.handler = handler;
    }

    void send(WatchHandler.Change change, PackedObject o) {
      if (!thread.isShutdown()) {
        thread.execute(() -> handler.onChange(change, o.unpack()));
      }
    }

    void fail(MemberException why) {
      watches.remove(this);
      if (!thread.isShutdown()) {
        thread.execute(() -> handler.onFailure(why));
      }
      thread.shutdown();
    }

    @Override
    public void close() {
      watches.remove(this);
      thread.shutdown();
    }
  }
}
