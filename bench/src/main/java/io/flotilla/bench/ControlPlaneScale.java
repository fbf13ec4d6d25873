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
 * bench/scale 10 500 100} for a quick look. A fourth argument runs the whole workload that many
 * times in the same JVM, each round on a new store, new members and a new control plane: the rounds
 * after the first show the control plane with its hot code compiled, as in a process that has been
 * running for a while, where the first shows a fresh process.
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
    this.facts = new java.util.concurrent.atomic.AtomicIntegerArray(middlewares);
    this.participants = new java.util.concurrent.atomic.AtomicIntegerArray(affected * clusters);
  }

  public static void main(String[] args) throws Exception {
    int n = argument(args, 0, 100);
    int m = argument(args, 1, 10_000);
    int a = argument(args, 2, 1_000);
    int rounds = argument(args, 3, 1);
    if (args.length > 4 || n < 4 || m < 1 || a < 1 || a > m || rounds < 1) {
      usage(args);
    }
    for (int r = 1; r <= rounds; r++) {
      if (rounds > 1) {
        System.out.printf(
            "round %d of %d (%s)%n",
            r,
            rounds,
            r == 1
                ? "a fresh JVM: the process's first rollout and failover"
                : "a new store, members and control plane in the same JVM: its compiler has run"
                    + " the whole workload before");
      }
      new ControlPlaneScale(n, m, a).run();
    }
    System.exit(0);
  }

  private static int argument(String[] args, int i, int otherwise) {
    if (args.length <= i) {
      return otherwise;
    }
    try {
      return Integer.parseInt(args[i]);
    } catch (NumberFormatException e) {
      usage(args);
      return otherwise;
    }
  }

  private static void usage(String[] args) {
    System.err.println(
        "usage: ControlPlaneScale [clusters >= 4] [Middleware >= 1] [affected, 1 to Middleware]"
            + " [rounds >= 1]; given: "
            + String.join(" ", args));
    System.exit(2);
  }

  private static final String[] CLUSTER_NAMES =
      java.util.stream.IntStream.range(0, 1000)
          .mapToObj(i -> String.format("c%03d", i))
          .toArray(String[]::new);

  private static String cluster(int i) {
    return i < CLUSTER_NAMES.length ? CLUSTER_NAMES[i] : String.format("c%03d", i);
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
    watchStatefulSets();
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
    Progress available = new Progress(middlewares, this::available, t0);
    awaitUntil(
        "every Middleware Available",
        Duration.ofMinutes(20),
        () -> available.count() == middlewares);
    double rollout = available.last();
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
    long passesBefore = controller.passes();
    long enginePassesBefore = engine.passes();
    Duration passTimeBefore = controller.passTime();
    // nothing is decided or moved yet: the trackers look at every Middleware before the clock runs
    readParticipants();
    Progress decided = new Progress(affected, this::placementDecided, 0);
    Progress moved = new Progress(affected, this::movedApplied, 0);
    Progress failedOver = new Progress(affected, this::failedOver, 0);
    members.get(cluster(0)).down(true);
    long t2 = System.nanoTime();
    decided.since = t2;
    moved.since = t2;
    failedOver.since = t2;
    long cpu2 = cpuNanos();
    Map<String, Long> threads2 = cpuByThreadGroup();
    store.update(withResourceVersion(memberCluster(cluster(0), false), cluster(0)));
    store.updateStatus(withResourceVersion(memberCluster(cluster(0), false), cluster(0)));
    awaitUntil(
        "failover placement decided", Duration.ofMinutes(5), () -> decided.count() == affected);
    double decidedAt = decided.last();
    awaitUntil(
        "failover placement applied", Duration.ofMinutes(5), () -> moved.count() == affected);
    double placed = moved.last();
    double placedCpu = (cpuNanos() - cpu2) / 1e9;
    long controllerPassesPlaced = controller.passes() - passesBefore;
    long enginePassesPlaced = engine.passes() - enginePassesBefore;
    Map<String, Long> threadsPlaced = cpuByThreadGroup();
    awaitUntil(
        "failover fully rolled out", Duration.ofMinutes(5), () -> failedOver.count() == affected);
    double full = failedOver.last();
    double fullCpu = (cpuNanos() - cpu2) / 1e9;
    long failoverPasses = controller.passes() - passesBefore;
    long engineFailoverPasses = engine.passes() - enginePassesBefore;
    System.out.printf(
        "failover of %d Middleware: placement decided (status and policies written) %.2f s;"
            + " applied in the surviving clusters %.2f s (target <= 1 s); fully rolled out (peers"
            + " updated everywhere) %.2f s; %d controller passes of %.1f ms on average, %d"
            + " propagation passes%n",
        affected,
        decidedAt,
        placed,
        full,
        failoverPasses,
        controller.passTime().minus(passTimeBefore).toNanos() / 1e6 / failoverPasses,
        engineFailoverPasses);
    System.out.printf(
        "  CPU time of the process (all threads): %.1f s until applied, %.1f s until fully rolled"
            + " out%n",
        placedCpu, fullCpu);
    System.out.printf(
        "  passes until applied: %d controller, %d propagation%n",
        controllerPassesPlaced, enginePassesPlaced);
    System.out.printf(
        "  each Middleware's move applied: %s; its placement decided: %s%n",
        moved.spread(), decided.spread());
    System.out.printf(
        "  of which until applied, by thread: %s%n",
        describeCpu(threads2, threadsPlaced, placedCpu));
    stop();
    store.close();
  }

  /**
   * CPU time each group of live Java threads has used (threads named alike, digits and ids cut off,
   * are one group); the garbage collector's and the compiler's threads are not among them.
   */
  private static Map<String, Long> cpuByThreadGroup() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> byGroup = new TreeMap<>();
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long cpu = mx.getThreadCpuTime(t.getThreadId());
      if (cpu > 0) {
        byGroup.merge(t.getThreadName().replaceAll("[-_ ]*[0-9]+$", ""), cpu, Long::sum);
      }
    }
    // wall times, not CPU: the compiler's threads' busy time and the collector's pauses
    byGroup.put(
        COMPILING, ManagementFactory.getCompilationMXBean().getTotalCompilationTime() * 1_000_000);
    long paused = 0;
    for (java.lang.management.GarbageCollectorMXBean gc :
        ManagementFactory.getGarbageCollectorMXBeans()) {
      paused += gc.getCollectionTime();
    }
    byGroup.put(PAUSED, paused * 1_000_000);
    return byGroup;
  }

  private static final String COMPILING = "(JIT compiling, wall)";
  private static final String PAUSED = "(collector pauses, wall)";

  /** The groups' CPU between two readings, largest first, and what no Java thread accounts for. */
  private static String describeCpu(
      Map<String, Long> before, Map<String, Long> after, double total) {
    List<Map.Entry<String, Long>> used = new ArrayList<>();
    long sum = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (d > 0) {
        used.add(Map.entry(e.getKey(), d));
        boolean wall = e.getKey().equals(COMPILING) || e.getKey().equals(PAUSED);
        sum += wall ? 0 : d;
      }
    }
    used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Long> e : used.subList(0, Math.min(8, used.size()))) {
      out.append(String.format("%s %.1f s, ", e.getKey(), e.getValue() / 1e9));
    }
    return out.append(
            String.format(
                "outside live Java threads (collector, compiler) %.1f s", total - sum / 1e9))
        .toString();
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
   * How many of {@code count} Middleware (by index) meet {@code done}, which stays true once true,
   * and when each came to. A Middleware is looked at when it is created (all of them) and then
   * whenever its Middleware or one of its StatefulSets changes, on the thread of the watch that
   * tells (the watches of {@link #watchChanges}): each is timed when the change that completes it
   * is delivered, not when a poller gets round to it, and measuring costs the control plane under
   * measure little CPU.
   */
  private final class Progress {
    private final java.util.BitSet finished = new java.util.BitSet();
    private final int count;
    private final java.util.function.IntPredicate done;

    /** When the clock started (System.nanoTime), set before anything can finish. */
    private volatile long since;

    private final List<Long> finishedAfter = new ArrayList<>();

    Progress(int count, java.util.function.IntPredicate done, long since) {
      this.count = count;
      this.done = done;
      this.since = since;
      trackers.add(this);
      for (int i = 0; i < count; i++) {
        look(i);
      }
    }

    void look(int i) {
      if (i >= count || isFinished(i) || !done.test(i)) {
        return;
      }
      synchronized (this) {
        if (!finished.get(i)) {
          finished.set(i);
          finishedAfter.add(System.nanoTime() - since);
        }
        if (finished.cardinality() == count) {
          trackers.remove(this);
        }
      }
    }

    private synchronized boolean isFinished(int i) {
      return finished.get(i);
    }

    synchronized int count() {
      return finished.cardinality();
    }

    /** When the last finished, in seconds since the start. */
    synchronized double last() {
      return finishedAfter.stream().mapToLong(Long::longValue).max().orElse(0) / 1e9;
    }

    /** When the first, the median, the 90th percentile and the last finished, in seconds. */
    synchronized String spread() {
      List<Long> t = new ArrayList<>(finishedAfter);
      t.sort(null);
      return String.format(
          "first %.2f s, median %.2f s, 90%% %.2f s, last %.2f s",
          t.get(0) / 1e9,
          t.get(t.size() / 2) / 1e9,
          t.get(t.size() * 9 / 10) / 1e9,
          t.get(t.size() - 1) / 1e9);
    }
  }

  private final List<Progress> trackers = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * What the trackers need of each Middleware's status, as its last watch event told: bit {@link
   * #SEEN}, {@link #OFF_FAILED} (no participant placed in the cluster that fails), {@link
   * #AVAILABLE}. Read from the event's object, once per event, so that measuring reads and parses
   * nothing more than the control plane already did.
   */
  private final java.util.concurrent.atomic.AtomicIntegerArray facts;

  private static final int SEEN = 1;
  private static final int OFF_FAILED = 2;
  private static final int AVAILABLE = 4;

  /** Tells the trackers when a Middleware changes. */
  private void watchChanges() {
    store.watch(
        ApiVersion.API_VERSION,
        "Middleware",
        store.resourceVersion(),
        (change, o) -> {
          int i = index(o.name());
          tools.jackson.databind.JsonNode status = o.at("/status");
          int f = SEEN;
          if (!status.path("placement").path("participant").has(cluster(0))) {
            f |= OFF_FAILED;
          }
          for (tools.jackson.databind.JsonNode c : status.path("conditions")) {
            if (c.path("type").asString("").equals("Available")
                && c.path("status").asString("").equals("True")) {
              f |= AVAILABLE;
            }
          }
          facts.set(i, f);
          touched(i);
        });
  }

  /**
   * Tells the trackers when a StatefulSet in a member changes. Called after each start: a stopped
   * engine closes the members it used, and with them every watch on them.
   */
  private void watchStatefulSets() {
    for (InMemoryMember m : members.values()) {
      int c = Integer.parseInt(m.name().substring(1));
      m.watch(
          "apps/v1",
          "StatefulSet",
          "",
          Map.of(),
          new io.flotilla.cluster.WatchHandler() {
            @Override
            public void onChange(Change change, KubeObject o) {
              int i = index(o.name());
              if (i < affected) {
                participants.set(
                    i * clusters + c,
                    change == io.flotilla.cluster.WatchHandler.Change.DELETED
                        ? 0
                        : o.at("/spec/replicas").asInt(0));
              }
              touched(i);
            }

            @Override
            public void onFailure(io.flotilla.cluster.MemberException cause) {}
          });
    }
  }

  /** "zk12" or "zk12-participant": Middleware 12. */
  private static int index(String name) {
    int end = name.indexOf('-');
    return Integer.parseInt(name.substring(2, end < 0 ? name.length() : end));
  }

  /** Middleware i changed. */
  private void touched(int i) {
    for (Progress p : trackers) {
      p.look(i);
    }
  }

  private boolean available(int i) {
    return (facts.get(i) & AVAILABLE) != 0;
  }

  /**
   * Participants of affected Middleware i per cluster (index i * clusters + cluster number), as the
   * member watches last told: {@code spec.replicas} of its StatefulSet there.
   */
  private final java.util.concurrent.atomic.AtomicIntegerArray participants;

  /** Whether affected Middleware i has its moved instance in a surviving cluster already. */
  private boolean movedApplied(int i) {
    int replicas = 0;
    for (String c : clustersOf(i)) {
      if (!c.equals(cluster(0))) {
        replicas += participants.get(i * clusters + Integer.parseInt(c.substring(1)));
      }
    }
    return replicas == 3;
  }

  /**
   * Sets {@link #participants} from the members themselves, for a start from a settled state (the
   * watches opened after a restart may not have told everything yet).
   */
  private void readParticipants() {
    for (int i = 0; i < affected; i++) {
      for (String c : clustersOf(i)) {
        Optional<KubeObject> sts =
            members
                .get(c)
                .get(new ObjectRef("apps/v1", "StatefulSet", NS, "zk" + i + "-participant"));
        participants.set(
            i * clusters + Integer.parseInt(c.substring(1)),
            sts.map(s -> s.at("/spec/replicas").asInt(0)).orElse(0));
      }
    }
  }

  private boolean placementDecided(int i) {
    return (facts.get(i) & (SEEN | OFF_FAILED)) == (SEEN | OFF_FAILED);
  }

  private boolean failedOver(int i) {
    return (facts.get(i) & (SEEN | OFF_FAILED | AVAILABLE)) == (SEEN | OFF_FAILED | AVAILABLE);
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
