package io.flotilla.traffic.dns;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.LabelSelector;
import io.flotilla.api.MemberCluster;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.WatchHandler;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.StoreHandler;
import io.flotilla.store.StoreWatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The domain registrar (DESIGN.md §7): watches the Services and Ingresses of every member cluster
 * that ask to be published, and keeps their records in the DNS of every data centre ({@link
 * RecordPlanner}, one {@link DnsBackend} each).
 *
 * <p>A Service or Ingress is published when it carries the annotation {@code flotilla.io/dns:
 * "true"} or matches the configured label selector. Its addresses: the load balancer's ingress IPs
 * and host names, {@code spec.externalIPs}, and for a NodePort Service the addresses of the
 * member's Ready nodes (ExternalIP, else InternalIP) on the node ports.
 *
 * <p>Every change (a watched object, a node, a MemberCluster's readiness) wakes one sync thread,
 * which plans and syncs every data centre at once; a backend that fails is retried with backoff
 * (the others go on) and caught up in full when it answers, so nothing is lost or written twice. A
 * periodic resync also restarts member watches that ended.
 */
public final class DomainRegistrar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DomainRegistrar.class);

  /** The annotation that asks for a Service or Ingress to be published. */
  public static final String ANNOTATION = "flotilla.io/dns";

  /**
   * @param zone the DNS zone, such as {@code example.org}
   * @param ttl every record's TTL, in seconds
   * @param selector objects matching it are published too (besides the annotation)
   */
  public record Settings(
      String zone,
      int ttl,
      Optional<LabelSelector> selector,
      Duration resync,
      Duration firstRetry,
      Duration lastRetry) {
    public Settings {
      Objects.requireNonNull(zone, "zone");
      zone = zone.toLowerCase(java.util.Locale.ROOT);
      if (zone.endsWith(".")) {
        zone = zone.substring(0, zone.length() - 1);
      }
      if (ttl <= 0) {
        throw new IllegalArgumentException("ttl must be > 0, got " + ttl);
      }
      Objects.requireNonNull(selector, "selector");
    }

    /** A zone and TTL with a 30 s resync and retries from 200 ms to 30 s. */
    public static Settings of(String zone, int ttl, Optional<LabelSelector> selector) {
      return new Settings(
          zone,
          ttl,
          selector,
          Duration.ofSeconds(30),
          Duration.ofMillis(200),
          Duration.ofSeconds(30));
    }
  }

  /** One data centre and the DNS it answers from. */
  public record Target(DataCentre dataCentre, DnsBackend backend) {}

  /** The kinds watched in every member: what they are, and their API versions. */
  private static final List<String[]> KINDS =
      List.of(
          new String[] {"v1", "Service"},
          new String[] {"networking.k8s.io/v1", "Ingress"},
          new String[] {"v1", "Node"});

  private final ObjectStore store;
  private final Function<String, Optional<Member>> members;
  private final Settings settings;
  private final List<Target> targets;
  private final Map<String, Boolean> ready = new ConcurrentHashMap<>();

  /** cluster → "kind/namespace/name" → the object as last seen (published ones, and nodes). */
  private final Map<String, Map<String, KubeObject>> seen = new ConcurrentHashMap<>();

  private final Map<String, MemberWatch> watches = new ConcurrentHashMap<>();

  /** Clusters read in full at least once: until every Ready one is, nothing is synced. */
  private final Set<String> primed = ConcurrentHashMap.newKeySet();

  private final List<StoreWatch> storeWatches = new CopyOnWriteArrayList<>();
  private final Map<Target, Integer> failures = new ConcurrentHashMap<>();
  private final Map<Target, Long> notBefore = new ConcurrentHashMap<>();

  /** Per data centre, when the oldest change not written to its DNS yet was seen. */
  private final Map<Target, Instant> unsynced = new ConcurrentHashMap<>();

  private final Clock clock;
  private final SyncObserver observer;
  private volatile List<String> skipped = List.of();
  private final Object signal = new Object();
  private boolean dirty;
  private volatile boolean running;
  private Thread syncer;
  private final java.util.concurrent.ScheduledExecutorService timer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "dns-resync");
            t.setDaemon(true);
            return t;
          });

  public DomainRegistrar(
      ObjectStore store,
      Function<String, Optional<Member>> members,
      Settings settings,
      List<Target> targets) {
    this(store, members, settings, targets, Clock.systemUTC(), SyncObserver.NONE);
  }

  /**
   * @param clock when changes are seen and records written, for {@code observer}
   * @param observer told of each write of changed records and its lag (for metrics)
   */
  public DomainRegistrar(
      ObjectStore store,
      Function<String, Optional<Member>> members,
      Settings settings,
      List<Target> targets,
      Clock clock,
      SyncObserver observer) {
    this.store = store;
    this.members = members;
    this.settings = settings;
    this.targets = List.copyOf(targets);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  public void start() {
    running = true;
    // every member cluster is known before the first sync, so that none is taken for gone
    String from = store.resourceVersion();
    for (KubeObject o : store.list(ApiVersion.API_VERSION, MemberCluster.KIND, "")) {
      onMemberCluster(StoreHandler.Change.ADDED, o);
    }
    storeWatches.add(
        store.watch(ApiVersion.API_VERSION, MemberCluster.KIND, from, this::onMemberCluster));
    syncer = new Thread(this::syncLoop, "dns-sync");
    syncer.setDaemon(true);
    syncer.start();
    long every = settings.resync().toMillis();
    timer.scheduleAtFixedRate(
        () -> {
          ready.keySet().forEach(this::watch);
          wake();
        },
        every,
        every,
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** What the last plan skipped, one message per object and reason. */
  public List<String> skipped() {
    return skipped;
  }

  private void onMemberCluster(StoreHandler.Change change, KubeObject o) {
    if (change == StoreHandler.Change.DELETED) {
      ready.remove(o.name());
      seen.remove(o.name());
      primed.remove(o.name());
      Optional.ofNullable(watches.remove(o.name() + "|Service")).ifPresent(MemberWatch::close);
      Optional.ofNullable(watches.remove(o.name() + "|Ingress")).ifPresent(MemberWatch::close);
      Optional.ofNullable(watches.remove(o.name() + "|Node")).ifPresent(MemberWatch::close);
    } else {
      boolean now = false;
      for (JsonNode c : o.at("/status/conditions")) {
        if (c.path("type").asString("").equals("Ready")) {
          now = c.path("status").asString("").equals("True");
        }
      }
      Boolean before = ready.put(o.name(), now);
      if (before != null && before == now) {
        return; // a heartbeat: nothing that changes a record
      }
      watch(o.name());
    }
    changed();
  }

  /** Watches a member's Services, Ingresses and Nodes, where not watched yet. */
  private synchronized void watch(String cluster) {
    Optional<Member> member = members.apply(cluster);
    if (!running || member.isEmpty()) {
      return;
    }
    for (String[] k : KINDS) {
      String key = cluster + "|" + k[1];
      if (watches.containsKey(key)) {
        continue;
      }
      try {
        watches.put(
            key,
            member
                .get()
                .watch(
                    k[0],
                    k[1],
                    "",
                    Map.of(),
                    new WatchHandler() {
                      @Override
                      public void onChange(Change change, KubeObject o) {
                        onObject(cluster, change, o);
                      }

                      @Override
                      public void onFailure(MemberException cause) {
                        watches.remove(key);
                        LOG.atInfo()
                            .addKeyValue("cluster", cluster)
                            .addKeyValue("kind", k[1])
                            .addKeyValue("reason", cause.getMessage())
                            .log("watch ended; restarted at the next resync");
                      }
                    }));
      } catch (MemberException e) {
        LOG.atInfo()
            .addKeyValue("cluster", cluster)
            .addKeyValue("kind", k[1])
            .addKeyValue("reason", e.getMessage())
            .log("cannot watch yet; retried at the next resync");
      }
    }
    relist(cluster, member.get());
  }

  /**
   * Reads a member's Services, Ingresses and Nodes in full and makes what is kept of it exactly
   * that: the first time, before anything of the cluster is synced (so that a restarted registrar
   * never removes records of objects it has not read yet), then at every resync (what a watch
   * missed is caught up).
   */
  private void relist(String cluster, Member member) {
    Map<String, KubeObject> fresh = new TreeMap<>();
    try {
      for (String[] k : KINDS) {
        for (KubeObject o : member.list(k[0], k[1], "", Map.of())) {
          if (o.kind().equals("Node") || selected(o)) {
            fresh.put(o.kind() + "/" + o.namespace() + "/" + o.name(), o);
          }
        }
      }
    } catch (MemberException e) {
      LOG.atInfo()
          .addKeyValue("cluster", cluster)
          .addKeyValue("reason", e.getMessage())
          .log("cannot list yet; retried at the next resync");
      return;
    }
    Map<String, KubeObject> objects = seen.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>());
    boolean differs = !objects.keySet().equals(fresh.keySet());
    for (Map.Entry<String, KubeObject> e : fresh.entrySet()) {
      KubeObject before = objects.get(e.getKey());
      differs |= before != null && !relevant(before).equals(relevant(e.getValue()));
    }
    objects.keySet().retainAll(fresh.keySet());
    objects.putAll(fresh);
    primed.add(cluster);
    if (differs) {
      changed();
    } else {
      wake();
    }
  }

  private void onObject(String cluster, WatchHandler.Change change, KubeObject o) {
    String key = o.kind() + "/" + o.namespace() + "/" + o.name();
    Map<String, KubeObject> objects = seen.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>());
    boolean keep =
        change != WatchHandler.Change.DELETED && (o.kind().equals("Node") || selected(o));
    KubeObject before = keep ? objects.put(key, o) : objects.remove(key);
    // a node's heartbeat or a resourceVersion alone changes no record: no sync for it
    boolean changed = keep != (before != null) || (keep && !relevant(before).equals(relevant(o)));
    if (changed) {
      changed();
    }
  }

  /** What of an object the records come from. */
  private static String relevant(KubeObject o) {
    return switch (o.kind()) {
      case "Node" -> nodeAddress(o).orElse("");
      case "Service" ->
          o.at("/spec/type").toString()
              + o.at("/spec/ports")
              + o.at("/spec/externalIPs")
              + o.at("/status/loadBalancer");
      default -> o.at("/spec/rules").toString() + o.at("/status/loadBalancer");
    };
  }

  private boolean selected(KubeObject o) {
    return "true".equals(o.annotations().get(ANNOTATION))
        || settings.selector().map(s -> s.matches(o.labels())).orElse(false);
  }

  /** Something that may change records was seen: notes when, for every data centre, and syncs. */
  private void changed() {
    Instant now = clock.instant();
    for (Target t : targets) {
      unsynced.putIfAbsent(t, now);
    }
    wake();
  }

  private void wake() {
    synchronized (signal) {
      dirty = true;
      signal.notifyAll();
    }
  }

  private void syncLoop() {
    while (running) {
      try {
        synchronized (signal) {
          while (running && !dirty) {
            long wait = nextRetryInMillis();
            if (wait == 0) {
              break; // a backend's retry is due
            }
            signal.wait(wait < 0 ? 0 : wait);
          }
          dirty = false;
        }
        if (running) {
          syncAll();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.atWarn().setCause(e).log("DNS sync pass failed");
      }
    }
  }

  /** -1 when no backend waits for a retry; 0 when one is due; else the millis to the next. */
  private long nextRetryInMillis() {
    long now = System.nanoTime();
    long next = -1;
    for (Long at : notBefore.values()) {
      long ms = Math.max(0, (at - now) / 1_000_000);
      next = next < 0 ? ms : Math.min(next, ms);
    }
    return next;
  }

  private void syncAll() {
    Set<String> readyClusters = new TreeSet<>();
    ready.forEach(
        (c, r) -> {
          if (r) {
            readyClusters.add(c);
          }
        });
    Set<String> unread = new TreeSet<>(readyClusters);
    unread.removeAll(primed);
    if (!unread.isEmpty()) {
      LOG.atDebug()
          .addKeyValue("clusters", unread)
          .log("not syncing DNS before these Ready clusters have been read once");
      return;
    }
    // the changes seen from here on are after this plan: they are noted anew
    Map<Target, Instant> carried = new HashMap<>();
    for (Target t : targets) {
      Instant since = unsynced.remove(t);
      if (since != null) {
        carried.put(t, since);
      }
    }
    List<Published> published = published();
    List<String> allSkipped = new ArrayList<>();
    for (Target t : targets) {
      RecordPlanner.Plan plan =
          RecordPlanner.plan(
              settings.zone(), settings.ttl(), t.dataCentre(), published, readyClusters);
      allSkipped = plan.skipped(); // the same objects for every data centre
      Long due = notBefore.get(t);
      if (due != null && due > System.nanoTime()) {
        stillUnsynced(t, carried.get(t));
        continue;
      }
      try {
        int changes = t.backend().sync(plan.records());
        failures.remove(t);
        notBefore.remove(t);
        Instant since = carried.get(t);
        if (changes > 0 && since != null) {
          Duration lag = Duration.between(since, clock.instant());
          observer.synced(t.dataCentre().name(), lag.isNegative() ? Duration.ZERO : lag);
        }
        if (changes > 0) {
          LOG.atInfo()
              .addKeyValue("dataCentre", t.dataCentre().name())
              .addKeyValue("dns", t.backend().describe())
              .addKeyValue("records", plan.records().size())
              .addKeyValue("changes", changes)
              .log("DNS records synced");
        }
      } catch (DnsBackendException e) {
        stillUnsynced(t, carried.get(t));
        int n = failures.merge(t, 1, Integer::sum);
        Duration wait =
            io.flotilla.propagation.WorkQueue.backoff(
                settings.firstRetry(), settings.lastRetry(), n);
        notBefore.put(t, System.nanoTime() + wait.toNanos());
        LOG.atWarn()
            .addKeyValue("dataCentre", t.dataCentre().name())
            .addKeyValue("attempt", n)
            .addKeyValue("retryInMs", wait.toMillis())
            .addKeyValue("reason", e.getMessage())
            .log("DNS sync failed");
      }
    }
    if (!allSkipped.equals(skipped)) {
      allSkipped.forEach(s -> LOG.atWarn().addKeyValue("reason", s).log("not published"));
    }
    skipped = allSkipped;
  }

  /** The changes carried by a sync that did not reach {@code t} wait for the next one. */
  private void stillUnsynced(Target t, Instant since) {
    if (since != null) {
      unsynced.merge(t, since, (a, b) -> a.isBefore(b) ? a : b);
    }
  }

  /** Every published object of every cluster, with its addresses and ports. */
  private List<Published> published() {
    List<Published> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, KubeObject>> c : new TreeMap<>(seen).entrySet()) {
      List<String> nodeAddresses = new ArrayList<>();
      for (KubeObject o : c.getValue().values()) {
        if (o.kind().equals("Node")) {
          nodeAddress(o).ifPresent(nodeAddresses::add);
        }
      }
      nodeAddresses.sort(null);
      for (KubeObject o : c.getValue().values()) {
        if (o.kind().equals("Service")) {
          out.add(service(c.getKey(), o, nodeAddresses));
        } else if (o.kind().equals("Ingress")) {
          out.add(ingress(c.getKey(), o));
        }
      }
    }
    return out;
  }

  private static Published service(String cluster, KubeObject o, List<String> nodes) {
    boolean nodePort = o.at("/spec/type").asString("").equals("NodePort");
    List<String> targets = new ArrayList<>(loadBalancer(o));
    for (JsonNode ip : o.at("/spec/externalIPs")) {
      targets.add(ip.asString());
    }
    if (nodePort) {
      targets.addAll(nodes);
    }
    List<Published.Port> ports = new ArrayList<>();
    for (JsonNode p : o.at("/spec/ports")) {
      int port = nodePort ? p.path("nodePort").asInt(0) : p.path("port").asInt(0);
      ports.add(
          new Published.Port(
              p.path("name").asString(""), p.path("protocol").asString("TCP"), port));
    }
    return new Published(cluster, "Service", o.namespace(), o.name(), targets, ports, List.of());
  }

  private static Published ingress(String cluster, KubeObject o) {
    List<String> hosts = new ArrayList<>();
    for (JsonNode rule : o.at("/spec/rules")) {
      String h = rule.path("host").asString("");
      if (!h.isEmpty()) {
        hosts.add(h);
      }
    }
    return new Published(
        cluster, "Ingress", o.namespace(), o.name(), loadBalancer(o), List.of(), hosts);
  }

  private static List<String> loadBalancer(KubeObject o) {
    List<String> out = new ArrayList<>();
    for (JsonNode i : o.at("/status/loadBalancer/ingress")) {
      String a = i.path("ip").asString("");
      out.add(a.isEmpty() ? i.path("hostname").asString("") : a);
    }
    out.removeIf(String::isEmpty);
    return out;
  }

  /** A Ready node's ExternalIP, else its InternalIP. */
  private static Optional<String> nodeAddress(KubeObject node) {
    boolean isReady = false;
    for (JsonNode c : node.at("/status/conditions")) {
      if (c.path("type").asString("").equals("Ready")) {
        isReady = c.path("status").asString("").equals("True");
      }
    }
    if (!isReady) {
      return Optional.empty();
    }
    String internal = "";
    for (JsonNode a : node.at("/status/addresses")) {
      String type = a.path("type").asString("");
      if (type.equals("ExternalIP")) {
        return Optional.of(a.path("address").asString());
      }
      if (type.equals("InternalIP")) {
        internal = a.path("address").asString();
      }
    }
    return internal.isEmpty() ? Optional.empty() : Optional.of(internal);
  }

  @Override
  public void close() {
    running = false;
    storeWatches.forEach(StoreWatch::close);
    watches.values().forEach(MemberWatch::close);
    watches.clear();
    timer.shutdownNow();
    wake();
    if (syncer != null) {
      try {
        syncer.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
