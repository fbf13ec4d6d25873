package io.flotilla.traffic;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.GlobalEndpoints;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.Middleware;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.MemberClusterReader;
import io.flotilla.api.io.MiddlewareReader;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.PodStatus;
import io.flotilla.cluster.WatchHandler;
import io.flotilla.propagation.PropagationEngine;
import io.flotilla.propagation.WorkQueue;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.StoreHandler;
import io.flotilla.store.StoreWatch;
import io.flotilla.traffic.render.GlobalEndpointsRenderer;
import io.flotilla.traffic.render.GlobalEndpointsRenderer.Endpoint;
import io.flotilla.traffic.render.GlobalEndpointsRenderer.Port;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Keeps every Middleware's global endpoints in its member clusters (DESIGN.md §7): in each wanted
 * cluster, the headless Service named after the Middleware (created when the cluster has none; a
 * copy the propagation engine or a user put there is left alone) and the EndpointSlices (or the
 * legacy Endpoints) of every instance of every cluster, each with its pod name as hostname, its
 * readiness, and its cluster as zone.
 *
 * <p>Level-triggered: a pod watch on every member (the pods Flotilla manages), the Middleware and
 * MemberCluster watches, and a periodic resync only queue Middleware; a pass lists the Middleware's
 * pods in every member and writes what differs. Only objects carrying the label {@code
 * flotilla.io/global-endpoints} are ever changed or deleted: slices of others (Kubernetes' own,
 * another controller's) are never touched. A member that cannot be listed keeps its last known
 * endpoints while its MemberCluster is Ready, and loses them once it is not.
 */
public final class GlobalEndpointsController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalEndpointsController.class);
  private static final String INSTANCE = "app.kubernetes.io/instance";
  private static final Map<String, String> MANAGED =
      Map.of("app.kubernetes.io/managed-by", "flotilla");

  /**
   * @param workers passes run at once
   * @param resync how often every Middleware is looked at again and lost pod watches restarted
   * @param firstRetry the delay before a failed pass is tried again, doubling up to {@code
   *     lastRetry}
   */
  public record Settings(int workers, Duration resync, Duration firstRetry, Duration lastRetry) {
    public static final Settings DEFAULTS =
        new Settings(2, Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(30));
  }

  private final ObjectStore store;
  private final Function<String, Optional<Member>> members;
  private final Settings settings;
  private final WorkQueue<ObjectRef> queue = new WorkQueue<>("global-endpoints");
  private final Map<ObjectRef, Integer> failures = new ConcurrentHashMap<>();
  private final List<StoreWatch> watches = new CopyOnWriteArrayList<>();
  private final Map<String, MemberWatch> podWatches = new ConcurrentHashMap<>();
  private final Map<String, Boolean> clusterReady = new ConcurrentHashMap<>();

  /**
   * Middleware → cluster → the endpoints last listed there (used while a member is unreachable).
   */
  private final Map<ObjectRef, Map<String, List<Endpoint>>> lastSeen = new ConcurrentHashMap<>();

  /** Middleware → its spec generation and deletion, so that status writes queue nothing. */
  private final Map<ObjectRef, String> seen = new ConcurrentHashMap<>();

  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private volatile boolean running;

  /**
   * @param members the connected member of a cluster, by name (empty while it is not connected)
   */
  public GlobalEndpointsController(
      ObjectStore store, Function<String, Optional<Member>> members, Settings settings) {
    this.store = store;
    this.members = members;
    this.settings = settings;
    this.workers = Executors.newFixedThreadPool(settings.workers(), daemon("endpoints-worker"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("endpoints-resync"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts watching and reconciling. */
  public void start() {
    running = true;
    watches.add(
        store.watch(
            ApiVersion.API_VERSION,
            Middleware.KIND,
            "",
            (change, o) -> {
              String trigger =
                  change == StoreHandler.Change.DELETED
                      ? "deleted"
                      : o.generation() + "/" + o.deletionTimestamp().isPresent();
              if (!trigger.equals(seen.put(o.ref(), trigger))) {
                queue.add(o.ref());
              }
              if (change == StoreHandler.Change.DELETED) {
                seen.remove(o.ref());
              }
            }));
    watches.add(store.watch(ApiVersion.API_VERSION, MemberCluster.KIND, "", this::onMemberCluster));
    // the Service template the controller renders names the ports
    watches.add(
        store.watch(
            "v1",
            "Service",
            "",
            (change, o) -> {
              ObjectRef mw =
                  new ObjectRef(ApiVersion.API_VERSION, Middleware.KIND, o.namespace(), o.name());
              if (seen.containsKey(mw)) { // a Middleware's own Service, not any other
                queue.add(mw);
              }
            }));
    for (int i = 0; i < settings.workers(); i++) {
      workers.execute(this::work);
    }
    long every = settings.resync().toMillis();
    timer.scheduleAtFixedRate(this::resync, every, every, TimeUnit.MILLISECONDS);
  }

  /** Middleware waiting for a pass. */
  public int queueDepth() {
    return queue.depth();
  }

  private void onMemberCluster(StoreHandler.Change change, KubeObject o) {
    if (change == StoreHandler.Change.DELETED) {
      clusterReady.remove(o.name());
      Optional.ofNullable(podWatches.remove(o.name())).ifPresent(MemberWatch::close);
      enqueueAll();
      return;
    }
    boolean ready = ready(o);
    Boolean before = clusterReady.put(o.name(), ready);
    if (before == null || before != ready) {
      watchPods(o.name());
      enqueueAll();
    }
  }

  private static boolean ready(KubeObject memberCluster) {
    for (JsonNode c : memberCluster.at("/status/conditions")) {
      if (c.path("type").asString("").equals("Ready")) {
        return c.path("status").asString("").equals("True");
      }
    }
    return false;
  }

  private void resync() {
    clusterReady.keySet().forEach(this::watchPods);
    enqueueAll();
  }

  private void enqueueAll() {
    store.refs(ApiVersion.API_VERSION, Middleware.KIND, "").forEach(queue::add);
  }

  /** Watches the pods Flotilla manages on a member, if connected and not watched yet. */
  private synchronized void watchPods(String cluster) {
    if (!running || podWatches.containsKey(cluster)) {
      return;
    }
    Optional<Member> member = members.apply(cluster);
    if (member.isEmpty()) {
      return;
    }
    try {
      MemberWatch w =
          member
              .get()
              .watch(
                  "v1",
                  "Pod",
                  "",
                  MANAGED,
                  new WatchHandler() {
                    @Override
                    public void onChange(Change change, KubeObject pod) {
                      String mw = pod.labels().get(INSTANCE);
                      if (mw != null) {
                        queue.add(
                            new ObjectRef(
                                ApiVersion.API_VERSION, Middleware.KIND, pod.namespace(), mw));
                      }
                    }

                    @Override
                    public void onFailure(MemberException cause) {
                      podWatches.remove(cluster);
                      LOG.atInfo()
                          .addKeyValue("cluster", cluster)
                          .addKeyValue("reason", cause.getMessage())
                          .log("pod watch ended; restarted at the next resync");
                    }
                  });
      podWatches.put(cluster, w);
    } catch (MemberException e) {
      LOG.atInfo()
          .addKeyValue("cluster", cluster)
          .addKeyValue("reason", e.getMessage())
          .log("cannot watch pods yet; retried at the next resync");
    }
  }

  private void work() {
    queue.serve(this::pass);
  }

  private void pass(ObjectRef ref) {
    try {
      if (reconcile(ref)) {
        failures.remove(ref);
      } else {
        retry(ref, null);
      }
    } catch (RuntimeException e) {
      retry(ref, e);
    }
  }

  private void retry(ObjectRef ref, RuntimeException cause) {
    int n = failures.merge(ref, 1, Integer::sum);
    Duration wait = WorkQueue.backoff(settings.firstRetry(), settings.lastRetry(), n);
    if (cause != null) {
      LOG.atWarn()
          .addKeyValue("middleware", ref.namespace() + "/" + ref.name())
          .addKeyValue("attempt", n)
          .addKeyValue("retryInMs", wait.toMillis())
          .setCause(cause)
          .log("global endpoints pass failed");
    }
    queue.addAfter(ref, wait);
  }

  /**
   * One pass for one Middleware; false when some member could not be reached (the pass is tried
   * again with backoff).
   */
  boolean reconcile(ObjectRef ref) {
    Optional<KubeObject> object = store.get(ref);
    Map<String, Member> connected = new TreeMap<>();
    Map<String, MemberCluster> clusters = memberClusters();
    for (String c : clusters.keySet()) {
      members.apply(c).ifPresent(m -> connected.put(c, m));
    }
    if (object.isEmpty() || object.get().deletionTimestamp().isPresent()) {
      lastSeen.remove(ref);
      return withdraw(ref, connected.values());
    }
    Decoded<Middleware> decoded =
        MiddlewareReader.read(new Manifest("store", ref.toString(), object.get().json()));
    if (decoded.value().isEmpty()) {
      return true; // the Middleware controller reports why; nothing to publish
    }
    Middleware mw = decoded.value().get();
    String ns = ref.namespace();
    boolean complete = true;

    Map<String, List<Endpoint>> known =
        lastSeen.computeIfAbsent(ref, r -> new ConcurrentHashMap<>());
    Set<String> holding = holding(object.get(), clusters.keySet());
    known.keySet().retainAll(holding);
    for (String c : holding) {
      Optional<List<Endpoint>> listed = list(connected.get(c), c, ns, ref.name());
      if (listed.isPresent()) {
        known.put(c, listed.get());
      } else if (!ready(clusters.get(c))) {
        known.remove(c); // lost: its instances serve nobody
      } else {
        complete = false; // a blip: keep what was listed last, look again soon
        if (!known.containsKey(c)) {
          // nothing listed yet (a restart): keep what the slices published so far say
          published(connected.values(), ns, ref.name(), c).ifPresent(l -> known.put(c, l));
        }
      }
    }
    List<Endpoint> all = new ArrayList<>();
    known.values().forEach(all::addAll);
    List<Port> ports = ports(ns, ref.name());

    Set<String> wanted = wanted(mw, clusters);
    for (Map.Entry<String, Member> e : connected.entrySet()) {
      try {
        if (wanted.contains(e.getKey())) {
          publish(e.getValue(), mw, ns, ports, all);
        } else {
          withdrawFrom(e.getValue(), ns, ref.name());
        }
      } catch (MemberException ex) {
        complete = false;
        LOG.atInfo()
            .addKeyValue("middleware", ns + "/" + ref.name())
            .addKeyValue("cluster", e.getKey())
            .addKeyValue("reason", ex.getMessage())
            .log("global endpoints not written; retrying");
      }
    }
    return complete;
  }

  /**
   * The clusters that may run instances of the Middleware, from its status (placed, running, lost
   * or fenced there); every cluster while its status names none (not placed yet, or pods made by
   * hand), so that a pass lists pods only where there can be some.
   */
  static Set<String> holding(KubeObject middleware, Set<String> all) {
    Set<String> out = new TreeSet<>();
    for (String field : List.of("placement", "running")) {
      for (JsonNode role : middleware.at("/status/" + field)) {
        role.propertyNames().forEach(out::add);
      }
    }
    for (String field : List.of("lostClusters", "fencedClusters")) {
      middleware.at("/status/" + field).propertyNames().forEach(out::add);
    }
    out.retainAll(all);
    return out.isEmpty() ? new TreeSet<>(all) : out;
  }

  private Map<String, MemberCluster> memberClusters() {
    Map<String, MemberCluster> out = new TreeMap<>();
    for (KubeObject o : store.list(ApiVersion.API_VERSION, MemberCluster.KIND, "")) {
      MemberClusterReader.read(new Manifest("store", o.ref().toString(), o.json()))
          .value()
          .ifPresent(c -> out.put(c.name(), c));
    }
    return out;
  }

  private static boolean ready(MemberCluster c) {
    return c.status().condition("Ready").map(x -> x.isTrue()).orElse(false);
  }

  private static Map<String, String> selector(String middleware) {
    Map<String, String> s = new TreeMap<>(MANAGED);
    s.put(INSTANCE, middleware);
    return s;
  }

  /**
   * A cluster's endpoints as our EndpointSlices in some reachable member hold them (their zone is
   * the cluster); empty when no member could be read.
   */
  private static Optional<List<Endpoint>> published(
      java.util.Collection<Member> members, String ns, String name, String cluster) {
    for (Member m : members) {
      if (m.name().equals(cluster)) {
        continue;
      }
      try {
        List<KubeObject> slices = ourSlices(m, ns, name);
        if (slices.isEmpty()) {
          continue; // not a cluster that gets them: ask the next
        }
        List<Endpoint> out = new ArrayList<>();
        for (KubeObject slice : slices) {
          for (JsonNode e : slice.at("/endpoints")) {
            if (e.path("zone").asString("").equals(cluster)) {
              out.add(
                  new Endpoint(
                      cluster,
                      e.path("hostname").asString(""),
                      e.path("addresses").path(0).asString(""),
                      e.path("conditions").path("ready").asBoolean(false)));
            }
          }
        }
        return Optional.of(out);
      } catch (MemberException e) {
        // try the next member
      }
    }
    return Optional.empty();
  }

  /** The Middleware's endpoints in one cluster; empty when its member cannot be listed. */
  private static Optional<List<Endpoint>> list(
      Member member, String cluster, String ns, String name) {
    if (member == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(endpoints(cluster, member.pods(ns, selector(name))));
    } catch (MemberException e) {
      return Optional.empty();
    }
  }

  /** The pods that can be endpoints: those with an address, not finished. */
  private static List<Endpoint> endpoints(String cluster, List<PodStatus> pods) {
    List<Endpoint> out = new ArrayList<>();
    for (PodStatus p : pods) {
      if (p.ip().isEmpty() || p.phase().equals("Succeeded") || p.phase().equals("Failed")) {
        continue;
      }
      out.add(new Endpoint(cluster, p.hostname(), p.ip(), p.ready()));
    }
    return out;
  }

  /** The ports of the Service template the Middleware controller rendered (none before it has). */
  private List<Port> ports(String namespace, String name) {
    List<Port> out = new ArrayList<>();
    store
        .get(new ObjectRef("v1", "Service", namespace, name))
        .ifPresent(
            svc -> {
              for (JsonNode p : svc.at("/spec/ports")) {
                int port = p.path("port").asInt();
                JsonNode target = p.path("targetPort");
                out.add(
                    new Port(
                        p.path("name").asString(""),
                        port,
                        target.isInt() ? target.asInt() : port,
                        p.path("protocol").asString("TCP")));
              }
            });
    return out;
  }

  /**
   * The clusters that get the endpoints: those the spec names, else the candidate clusters (its
   * cluster names, else every cluster its label selector matches, else every cluster).
   */
  static Set<String> wanted(Middleware mw, Map<String, MemberCluster> clusters) {
    GlobalEndpoints g = mw.spec().globalEndpoints();
    if (!g.clusters().isEmpty()) {
      return new TreeSet<>(g.clusters());
    }
    if (!mw.spec().clusterAffinity().clusterNames().isEmpty()) {
      return new TreeSet<>(mw.spec().clusterAffinity().clusterNames());
    }
    Set<String> out = new TreeSet<>();
    clusters.forEach(
        (name, c) -> {
          boolean matches =
              mw.spec()
                  .clusterAffinity()
                  .labelSelector()
                  .map(s -> s.matches(c.metadata().labels()))
                  .orElse(true);
          if (matches) {
            out.add(name);
          }
        });
    return out;
  }

  private static void publish(
      Member m, Middleware mw, String ns, List<Port> ports, List<Endpoint> endpoints) {
    String name = mw.name();
    ensureNamespace(m, ns);
    ObjectRef svc = new ObjectRef("v1", "Service", ns, name);
    Optional<KubeObject> existing = m.get(svc);
    if (existing.isEmpty() || isOurs(existing.get(), name)) {
      m.apply(GlobalEndpointsRenderer.service(ns, name, ports));
    }
    Set<String> keep = new TreeSet<>();
    if (mw.spec().globalEndpoints().form() == GlobalEndpoints.Form.ENDPOINTS) {
      m.apply(GlobalEndpointsRenderer.endpoints(ns, name, ports, endpoints));
    } else {
      for (KubeObject slice : GlobalEndpointsRenderer.slices(ns, name, ports, endpoints)) {
        m.apply(slice);
        keep.add(slice.name());
      }
      deleteOurs(m, new ObjectRef("v1", "Endpoints", ns, name), name);
    }
    for (KubeObject slice : ourSlices(m, ns, name)) {
      if (!keep.contains(slice.name())) {
        m.delete(slice.ref());
      }
    }
  }

  /** Removes our objects of a Middleware from every member; false when one was unreachable. */
  private boolean withdraw(ObjectRef ref, java.util.Collection<Member> connected) {
    boolean complete = true;
    for (Member m : connected) {
      try {
        withdrawFrom(m, ref.namespace(), ref.name());
      } catch (MemberException e) {
        complete = false;
      }
    }
    return complete;
  }

  private static void withdrawFrom(Member m, String ns, String name) {
    for (KubeObject slice : ourSlices(m, ns, name)) {
      m.delete(slice.ref());
    }
    deleteOurs(m, new ObjectRef("v1", "Endpoints", ns, name), name);
    deleteOurs(m, new ObjectRef("v1", "Service", ns, name), name);
  }

  private static List<KubeObject> ourSlices(Member m, String ns, String name) {
    return m.list(
        "discovery.k8s.io/v1",
        "EndpointSlice",
        ns,
        Map.of(
            GlobalEndpointsRenderer.GLOBAL_ENDPOINTS,
            name,
            GlobalEndpointsRenderer.MANAGED_BY,
            GlobalEndpointsRenderer.MANAGED_BY_VALUE));
  }

  private static void deleteOurs(Member m, ObjectRef ref, String name) {
    Optional<KubeObject> o = m.get(ref);
    if (o.isPresent() && isOurs(o.get(), name)) {
      m.delete(ref);
    }
  }

  /** Ours: carries our label, and is not a copy the propagation engine keeps (it owns those). */
  private static boolean isOurs(KubeObject o, String name) {
    return name.equals(o.labels().get(GlobalEndpointsRenderer.GLOBAL_ENDPOINTS))
        && !o.labels().containsKey(PropagationEngine.COPY_LABEL);
  }

  private static void ensureNamespace(Member m, String ns) {
    ObjectRef ref = new ObjectRef("v1", "Namespace", "", ns);
    if (m.get(ref).isEmpty()) {
      m.apply(KubeObject.create("v1", "Namespace", "", ns)); // created, never deleted
    }
  }

  @Override
  public void close() {
    running = false;
    watches.forEach(StoreWatch::close);
    podWatches.values().forEach(MemberWatch::close);
    podWatches.clear();
    queue.close();
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
