package io.flotilla.bench;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Resources;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.health.HealthSettings;
import io.flotilla.cluster.memory.InMemoryMember;
import io.flotilla.controller.ControlPlane;
import io.flotilla.controller.MemberShareReadiness;
import io.flotilla.controller.MembershipHook;
import io.flotilla.controller.MiddlewareController;
import io.flotilla.controller.MiddlewareReconciler;
import io.flotilla.controller.MiddlewareStatus;
import io.flotilla.controller.Rendering;
import io.flotilla.controller.StepHook;
import io.flotilla.propagation.PropagationEngine;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The control plane at scale, with member clusters held in memory (no servers): N member clusters
 * and M ZooKeeper Middleware of 3 participants each, one per cluster over 3 clusters, A of them
 * with a share in the cluster that fails. Prints:
 *
 * <ul>
 *   <li>the time to roll everything out from nothing (every Middleware Available);
 *   <li>a full resync: a new controller and propagation engine started on the same store and
 *       members (as after a restart or a leader change), until every Middleware has been reconciled
 *       and every template propagated again;
 *   <li>the heap in use after a full GC with everything running;
 *   <li>a failover: from the failed cluster's MemberCluster turning NotReady (as the health monitor
 *       writes it) to every affected Middleware's moved instance applied in a surviving cluster
 *       (its StatefulSet there has the new replicas), and to every affected Middleware fully rolled
 *       out again (Available, peers updated everywhere).
 * </ul>
 *
 * <p>Run: {@code bench/scale} (defaults 100 clusters, 10,000 Middleware, 1,000 affected), or {@code
 * bench/scale 10 500 100} for a quick look.
 */
public final class ControlPlaneScale {
  private static final String NS = "default";
  private static final HealthSettings HEALTH =
      new HealthSettings(
          Duration.ofSeconds(1), Duration.ofMillis(800), 3, 2, Duration.ofSeconds(10));

  /** The control plane as {@code flotilla server} runs it. */
  private static final ControlPlane.Settings SETTINGS = ControlPlane.Settings.defaults();

  private final int clusters;
  private final int middlewares;
  private final int affected;
  private final Map<String, InMemoryMember> members = new TreeMap<>();
  private final ObjectStore store = new InMemoryObjectStore(Clock.systemUTC());
  private PropagationEngine engine;
  private MiddlewareController controller;

  ControlPlaneScale(int clusters, int middlewares, int affected) {
    this.clusters = clusters;
    this.middlewares = middlewares;
    this.affected = affected;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int m = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int a = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    new ControlPlaneScale(n, m, a).run();
    System.exit(0);
  }

  private static String cluster(int i) {
    return String.format("c%03d", i);
  }

  /**
   * The three clusters of Middleware i: the first {@code affected} include cluster c000 (the one
   * that fails), the others are spread over c001.. .
   */
  private List<String> clustersOf(int i) {
    if (i < affected) {
      return List.of(
          cluster(0), cluster(1 + i % (clusters - 1)), cluster(1 + (i + 1) % (clusters - 1)));
    }
    int k = i % (clusters - 1);
    return List.of(
        cluster(1 + k),
        cluster(1 + (k + 1) % (clusters - 1)),
        cluster(1 + (k + 2) % (clusters - 1)));
  }

  private void start(Duration poll) {
    engine =
        new PropagationEngine(
            store,
            (name, access) -> members.get(name),
            SETTINGS.propagation(),
            HEALTH,
            Clock.systemUTC());
    engine.start();
    Function<String, Optional<Member>> connected = name -> Optional.ofNullable(members.get(name));
    MiddlewareReconciler reconciler =
        new MiddlewareReconciler(
            store,
            Scheduler.withDefaultPlugins(),
            new MemberShareReadiness(store, connected),
            MembershipHook.NONE,
            Rendering.kubernetes(),
            MiddlewareReconciler.randomSecrets(new Random(1)),
            StepHook.NONE,
            Clock.systemUTC(),
            poll,
            new io.flotilla.store.events.EventLog(Clock.systemUTC()));
    controller = new MiddlewareController(store, reconciler, SETTINGS.workers(), SETTINGS.resync());
    controller.start();
  }

  private void stop() {
    controller.close();
    engine.close();
  }

  private void run() throws Exception {
    System.out.printf(
        "control plane at scale: %d member clusters (in memory), %d Middleware, %d with a share"
            + " in the cluster that fails; %d cores, max heap %d MiB%n",
        clusters,
        middlewares,
        affected,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    for (int i = 0; i < clusters; i++) {
      members.put(cluster(i), new InMemoryMember(cluster(i), new Resources(10_000_000, 1L << 50)));
      store.create(memberCluster(cluster(i), true));
    }
    watchChanges();
    start(SETTINGS.poll());

    long t0 = System.nanoTime();
    for (int i = 0; i < middlewares; i++) {
      store.create(middleware(i));
      if ((i + 1) % 2000 == 0) {
        System.out.printf("  created %d Middleware%n", i + 1);
      }
    }
    Progress available = new Progress(middlewares, this::available);
    awaitUntil(
        "every Middleware Available",
        Duration.ofMinutes(20),
        () -> available.count() == middlewares);
    double rollout = seconds(t0);
    System.out.printf(
        "rollout from nothing: %.1f s (%d controller passes)%n", rollout, controller.passes());

    stop();
    long t1 = System.nanoTime();
    start(SETTINGS.poll());
    controller.enqueueAll();
    awaitUntil(
        "a full resync",
        Duration.ofMinutes(10),
        () ->
            controller.passes() >= middlewares
                && controller.queueDepth() == 0
                && engine.queueDepth() == 0);
    double resync = seconds(t1);
    System.out.printf(
        "full resync after a restart: %.1f s (%d passes; target <= 60 s)%n",
        resync, controller.passes());

    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    Thread.sleep(500);
    System.gc();
    long heap = memory.getHeapMemoryUsage().getUsed();
    System.out.printf("heap in use after a full GC: %d MiB (target <= 1024 MiB)%n", heap >> 20);
    long memberObjects = 0;
    long memberBytes = 0;
    for (InMemoryMember m : members.values()) {
      memberObjects += m.held().objects();
      memberBytes += m.held().bytes();
    }
    System.out.printf(
        "  of which the member clusters' own objects (held in this JVM only by the benchmark):"
            + " %,d objects, %d MiB of packed JSON%n",
        memberObjects, memberBytes >> 20);

    // failover: c000's member goes away and its MemberCluster turns NotReady
    members.get(cluster(0)).down(true);
    long t2 = System.nanoTime();
    long cpu2 = cpuNanos();
    store.update(withResourceVersion(memberCluster(cluster(0), false), cluster(0)));
    store.updateStatus(withResourceVersion(memberCluster(cluster(0), false), cluster(0)));
    long passesBefore = controller.passes();
    Duration passTimeBefore = controller.passTime();
    Progress decided = new Progress(affected, this::placementDecided);
    Progress moved = new Progress(affected, this::movedApplied);
    awaitUntil(
        "failover placement decided", Duration.ofMinutes(5), () -> decided.count() == affected);
    double decidedAt = seconds(t2);
    Progress failedOver = new Progress(affected, this::failedOver);
    awaitUntil(
        "failover placement applied", Duration.ofMinutes(5), () -> moved.count() == affected);
    double placed = seconds(t2);
    double placedCpu = (cpuNanos() - cpu2) / 1e9;
    awaitUntil(
        "failover fully rolled out", Duration.ofMinutes(5), () -> failedOver.count() == affected);
    double full = seconds(t2);
    double fullCpu = (cpuNanos() - cpu2) / 1e9;
    long failoverPasses = controller.passes() - passesBefore;
    System.out.printf(
        "failover of %d Middleware: placement decided (status and policies written) %.2f s;"
            + " applied in the surviving clusters %.2f s (target <= 1 s); fully rolled out (peers"
            + " updated everywhere) %.2f s; %d controller passes of %.1f ms on average%n",
        affected,
        decidedAt,
        placed,
        full,
        failoverPasses,
        controller.passTime().minus(passTimeBefore).toNanos() / 1e6 / failoverPasses);
    System.out.printf(
        "  CPU time of the process (all threads): %.1f s until applied, %.1f s until fully rolled"
            + " out%n",
        placedCpu, fullCpu);
    stop();
  }

  /** CPU time the whole process has used, all threads. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void awaitUntil(String what, Duration limit, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not done within " + limit + ": " + what);
      }
      Thread.sleep(20);
    }
  }

  /**
   * How many of {@code count} Middleware (by index) meet {@code done}, which stays true once true.
   * Each poll looks only at those whose Middleware or StatefulSet changed since the last poll (the
   * watches of {@link #watchChanges} say which), so that measuring costs the control plane under
   * measure little CPU.
   */
  private final class Progress {
    private final java.util.BitSet finished = new java.util.BitSet();
    private final java.util.Set<Integer> changed =
        java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final int count;
    private final java.util.function.IntPredicate done;

    Progress(int count, java.util.function.IntPredicate done) {
      this.count = count;
      this.done = done;
      for (int i = 0; i < count; i++) {
        changed.add(i);
      }
      trackers.add(this);
    }

    int count() {
      for (java.util.Iterator<Integer> it = changed.iterator(); it.hasNext(); ) {
        int i = it.next();
        it.remove();
        if (i < count && !finished.get(i) && done.test(i)) {
          finished.set(i);
        }
      }
      if (finished.cardinality() == count) {
        trackers.remove(this);
      }
      return finished.cardinality();
    }
  }

  private final List<Progress> trackers = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Tells the trackers when a Middleware, or a StatefulSet in a member, changes. */
  private void watchChanges() {
    store.watch(
        ApiVersion.API_VERSION,
        "Middleware",
        store.resourceVersion(),
        (change, o) -> touched(o.name()));
    for (InMemoryMember m : members.values()) {
      m.watch(
          "apps/v1",
          "StatefulSet",
          "",
          Map.of(),
          new io.flotilla.cluster.WatchHandler() {
            @Override
            public void onChange(Change change, KubeObject o) {
              touched(o.name());
            }

            @Override
            public void onFailure(io.flotilla.cluster.MemberException cause) {}
          });
    }
  }

  /** "zk12" or "zk12-participant": Middleware 12 changed. */
  private void touched(String name) {
    int end = name.indexOf('-');
    int i = Integer.parseInt(name.substring(2, end < 0 ? name.length() : end));
    for (Progress p : trackers) {
      p.changed.add(i);
    }
  }

  private boolean available(int i) {
    return store
        .get(new ObjectRef(ApiVersion.API_VERSION, "Middleware", NS, "zk" + i))
        .map(o -> MiddlewareStatus.fromJson(o.at("/status")))
        .flatMap(s -> s.condition("Available"))
        .map(c -> c.isTrue())
        .orElse(false);
  }

  /** Whether affected Middleware i has its moved instance in a surviving cluster already. */
  private boolean movedApplied(int i) {
    int replicas = 0;
    for (String c : clustersOf(i)) {
      if (c.equals(cluster(0))) {
        continue;
      }
      Optional<KubeObject> sts =
          members
              .get(c)
              .get(new ObjectRef("apps/v1", "StatefulSet", NS, "zk" + i + "-participant"));
      replicas += sts.map(s -> s.at("/spec/replicas").asInt()).orElse(0);
    }
    return replicas == 3;
  }

  private boolean placementDecided(int i) {
    return store
        .get(new ObjectRef(ApiVersion.API_VERSION, "Middleware", NS, "zk" + i))
        .map(o -> MiddlewareStatus.fromJson(o.at("/status")))
        .map(s -> s.placement().count("participant", cluster(0)) == 0)
        .orElse(false);
  }

  private boolean failedOver(int i) {
    Optional<KubeObject> o =
        store.get(new ObjectRef(ApiVersion.API_VERSION, "Middleware", NS, "zk" + i));
    MiddlewareStatus s = MiddlewareStatus.fromJson(o.orElseThrow().at("/status"));
    boolean moved = s.placement().count("participant", cluster(0)) == 0;
    return moved && s.condition("Available").map(c -> c.isTrue()).orElse(false);
  }

  private KubeObject withResourceVersion(KubeObject o, String name) {
    String rv =
        store
            .get(new ObjectRef(ApiVersion.API_VERSION, "MemberCluster", "", name))
            .orElseThrow()
            .resourceVersion()
            .orElseThrow();
    return o.edit(
        n ->
            ((tools.jackson.databind.node.ObjectNode) n.get("metadata"))
                .put("resourceVersion", rv));
  }

  private static KubeObject yaml(String text) {
    return KubeObject.of(ManifestReader.read("bench", text).get(0).node());
  }

  private static KubeObject memberCluster(String name, boolean ready) {
    return yaml(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: MemberCluster
        metadata: {name: %s}
        spec:
          access: {kubeconfigFile: {path: /nonexistent/%s}}
          taints: [%s]
        status:
          conditions:
            - {type: Ready, status: "%s", reason: %s, lastHeartbeatTime: "2026-11-26T12:00:00Z"}
          resourceSummary:
            allocatable: {cpu: "10000", memory: 1Pi}
            allocated: {cpu: "0", memory: "0"}
        """
            .formatted(
                name,
                name,
                ready ? "" : "{key: flotilla.io/unreachable, effect: NoExecute}",
                ready ? "True" : "False",
                ready ? "Healthy" : "Timeout"));
  }

  private KubeObject middleware(int i) {
    List<String> names = new ArrayList<>(clustersOf(i));
    return yaml(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: Middleware
        metadata: {name: zk%d, namespace: default}
        spec:
          type: zookeeper
          clusterNames: [%s]
          replicaRequirements:
            - {role: participant, replicas: 3, minClusters: 3, resourceRequest: {requests: {cpu: 100m, memory: 256Mi}}}
        """
            .formatted(i, String.join(", ", names)));
  }
}
