package io.flotilla.cluster.memory;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.PackedObject;
import io.flotilla.api.Resources;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.PodStatus;
import io.flotilla.cluster.ProbeResult;
import io.flotilla.cluster.ResourceUsage;
import io.flotilla.cluster.WatchHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A member cluster held in memory: it keeps the objects applied to it with Kubernetes' bookkeeping
 * (resource versions, generations), and runs every StatefulSet's pods at once — each pod Running
 * and Ready, on a made-up address — as an idle kubelet would. For benchmarks and tests of the
 * layers above members, with no server to start; {@link #down} makes it unreachable, as a lost data
 * centre.
 */
public final class InMemoryMember implements Member {
  private final String name;
  private final ResourceUsage capacity;
  private final ConcurrentSkipListMap<String, PackedObject> objects = new ConcurrentSkipListMap<>();
  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private final AtomicLong versions = new AtomicLong();
  private volatile boolean down;
  private volatile boolean podsReady = true;

  public InMemoryMember(String name, Resources allocatable) {
    this.name = name;
    this.capacity = new ResourceUsage(allocatable, Resources.ZERO);
  }

  @Override
  public String name() {
    return name;
  }

  /** Makes the member unreachable (every call fails as refused) or reachable again. */
  public void down(boolean down) {
    this.down = down;
  }

  /** Whether StatefulSet pods report ready (true by default); applies to later applies. */
  public void podsReady(boolean ready) {
    this.podsReady = ready;
  }

  private void check() {
    if (down) {
      throw new MemberException(FailureReason.REFUSED, "member " + name + " is down");
    }
  }

  private static String key(ObjectRef r) {
    return r.group() + "/" + r.kind() + "/" + r.namespace() + "/" + r.name();
  }

  @Override
  public KubeObject apply(KubeObject desired) {
    check();
    String ns = desired.namespace().isEmpty() ? "default" : desired.namespace();
    ObjectRef ref = new ObjectRef(desired.apiVersion(), desired.kind(), ns, desired.name());
    String k = key(ref);
    Optional<KubeObject> before = Optional.ofNullable(objects.get(k)).map(PackedObject::unpack);
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
      if (!KubeObject.sameJson(b.at("/spec"), o.path("spec"))) {
        generation++;
      }
      ObjectNode labels = meta.get("labels") instanceof ObjectNode l ? l : meta.putObject("labels");
      b.labels()
          .forEach(
              (key, v) -> {
                if (!labels.has(key)) {
                  labels.put(key, v);
                }
              });
    }
    meta.put("generation", generation);
    if (desired.kind().equals("StatefulSet")) {
      int replicas = o.path("spec").path("replicas").asInt(1);
      o.putObject("status")
          .put("replicas", replicas)
          .put("readyReplicas", podsReady ? replicas : 0)
          .put("observedGeneration", generation);
    }
    if (before.isPresent() && same(before.get(), o)) {
      return before.get();
    }
    meta.put("resourceVersion", Long.toString(versions.incrementAndGet()));
    KubeObject stored = KubeObject.of(o);
    PackedObject packed = stored.pack();
    objects.put(k, packed);
    notify(
        before.isPresent() ? WatchHandler.Change.MODIFIED : WatchHandler.Change.ADDED,
        stored,
        packed);
    return stored;
  }

  private static boolean same(KubeObject a, ObjectNode b) {
    ObjectNode x = a.json();
    ((ObjectNode) x.get("metadata")).remove("resourceVersion");
    return KubeObject.sameJson(x, b);
  }

  @Override
  public boolean delete(ObjectRef ref) {
    check();
    PackedObject gone = objects.remove(key(withNamespace(ref)));
    if (gone != null) {
      notify(WatchHandler.Change.DELETED, gone.unpack(), gone);
    }
    return gone != null;
  }

  private static ObjectRef withNamespace(ObjectRef r) {
    return r.namespace().isEmpty()
        ? r
        : new ObjectRef(r.apiVersion(), r.kind(), r.namespace(), r.name());
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    check();
    return Optional.ofNullable(objects.get(key(ref))).map(PackedObject::unpack);
  }

  @Override
  public List<KubeObject> list(
      String apiVersion, String kind, String namespace, Map<String, String> labels) {
    check();
    List<KubeObject> out = new ArrayList<>();
    forEachMatching(apiVersion, kind, namespace, labels, (o, p) -> out.add(o));
    return out;
  }

  /** Each object of the kind, namespace and labels, unpacked and packed. */
  private void forEachMatching(
      String apiVersion,
      String kind,
      String namespace,
      Map<String, String> labels,
      java.util.function.BiConsumer<KubeObject, PackedObject> action) {
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

  /** Every StatefulSet's pods, ordinals from {@code spec.ordinals.start}, Running. */
  @Override
  public List<PodStatus> pods(String namespace, Map<String, String> labels) {
    check();
    List<PodStatus> out = new ArrayList<>();
    for (KubeObject sts : list("apps/v1", "StatefulSet", namespace, Map.of())) {
      JsonNode spec = sts.at("/spec");
      Map<String, String> podLabels = new java.util.TreeMap<>();
      spec.path("template")
          .path("metadata")
          .path("labels")
          .properties()
          .forEach(e -> podLabels.put(e.getKey(), e.getValue().asString()));
      if (!podLabels.entrySet().containsAll(labels.entrySet())) {
        continue;
      }
      int start = spec.path("ordinals").path("start").asInt(0);
      int replicas = spec.path("replicas").asInt(1);
      int ready = sts.at("/status/readyReplicas").asInt(0);
      for (int i = 0; i < replicas; i++) {
        String pod = sts.name() + "-" + (start + i);
        out.add(
            new PodStatus(
                sts.namespace(),
                pod,
                "Running",
                i < ready,
                "10.0." + ((start + i) / 250) + "." + ((start + i) % 250 + 1),
                pod,
                podLabels));
      }
    }
    return out;
  }

  @Override
  public MemberWatch watch(
      String apiVersion,
      String kind,
      String namespace,
      Map<String, String> labels,
      WatchHandler handler) {
    check();
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

  @Override
  public ProbeResult probe(Duration timeout) {
    return down
        ? ProbeResult.failed(FailureReason.REFUSED, "member " + name + " is down", Duration.ZERO)
        : ProbeResult.ok(Duration.ZERO);
  }

  @Override
  public ResourceUsage resources() {
    check();
    return capacity;
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
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
              Thread t = new Thread(r, "member-" + name + "-watch");
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

    @Override
    public void close() {
      watches.remove(this);
      thread.shutdown();
    }
  }
}
