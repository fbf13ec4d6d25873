package io.flotilla.controller;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.Middleware;
import io.flotilla.api.ObjectRef;
import io.flotilla.propagation.WorkQueue;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.StoreHandler;
import io.flotilla.store.StoreWatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link MiddlewareReconciler} for every Middleware: store watches (Middleware, and
 * MemberCluster changes, which may start a failover of every Middleware) queue them; workers
 * reconcile them, one at a time per Middleware; a pass that asks to be looked at again is queued
 * after its delay, a failed pass is retried with backoff (200 ms doubling up to 30 s), and a
 * periodic resync queues everything.
 */
public final class MiddlewareController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MiddlewareController.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(200);
  private static final Duration LAST_RETRY = Duration.ofSeconds(30);

  private final ObjectStore store;
  private final MiddlewareReconciler reconciler;
  private final WorkQueue<ObjectRef> queue = new WorkQueue<>("controller");
  private final Map<ObjectRef, Integer> failures = new ConcurrentHashMap<>();
  private final List<StoreWatch> watches = new CopyOnWriteArrayList<>();
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final int workerCount;
  private final Duration resync;
  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong passNanos = new AtomicLong();
  private final Clock clock;
  private final ControllerObserver observer;

  public MiddlewareController(
      ObjectStore store, MiddlewareReconciler reconciler, int workers, Duration resync) {
    this(store, reconciler, workers, resync, Clock.systemUTC(), ControllerObserver.NONE);
  }

  /**
   * @param clock times each pass, for {@code observer}
   * @param observer told of each pass and of each Middleware the watch sees (for metrics)
   */
  public MiddlewareController(
      ObjectStore store,
      MiddlewareReconciler reconciler,
      int workers,
      Duration resync,
      Clock clock,
      ControllerObserver observer) {
    this.clock = clock;
    this.observer = observer;
    this.store = store;
    this.reconciler = reconciler;
    this.workerCount = workers;
    this.resync = resync;
    this.workers = Executors.newFixedThreadPool(workers, daemon("controller-worker"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("controller-resync"));
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
    watches.add(
        store.watch(
            ApiVersion.API_VERSION,
            Middleware.KIND,
            "",
            (change, o) -> {
              Optional<MiddlewareStatus> status =
                  change == StoreHandler.Change.DELETED
                      ? Optional.empty()
                      : Optional.of(MiddlewareStatus.fromJson(o.at("/status")));
              index(o, status);
              observer.middleware(o.ref(), status);
              if (change == StoreHandler.Change.DELETED) {
                seen.remove(o.ref());
              } else if (!Trigger.of(o).equals(seen.put(o.ref(), Trigger.of(o)))) {
                queue.add(o.ref());
              }
            }));
    watches.add(store.watch(ApiVersion.API_VERSION, MemberCluster.KIND, "", this::onMemberCluster));
    for (int i = 0; i < workerCount; i++) {
      workers.execute(this::work);
    }
    long every = resync.toMillis();
    timer.scheduleAtFixedRate(this::enqueueAll, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * What of a Middleware asks for a pass when it changes: its spec (the generation), a deletion,
   * its finalizers. The status is the controller's own output: the passes that write it queue
   * themselves again when they need to (a rollout polling a cluster), so a status write does not
   * start another pass.
   */
  private record Trigger(long generation, boolean deleting, List<String> finalizers) {
    static Trigger of(KubeObject o) {
      return new Trigger(o.generation(), o.deletionTimestamp().isPresent(), o.finalizers());
    }
  }

  private final Map<ObjectRef, Trigger> seen = new ConcurrentHashMap<>();

  /** What of a member cluster matters to placement: heartbeats and capacity do not. */
  private record Health(boolean ready, String taints) {}

  private final Map<String, Health> health = new ConcurrentHashMap<>();

  /** Cluster → the Middleware with a share there, or that lost it there (from their status). */
  private final Map<String, Set<ObjectRef>> byCluster = new ConcurrentHashMap<>();

  private final Map<ObjectRef, Set<String>> clustersOf = new ConcurrentHashMap<>();

  /** The key of Middleware not placed yet (no cluster name has a slash). */
  private static final String ANY = "/";

  private void index(KubeObject o, Optional<MiddlewareStatus> status) {
    Set<String> now = new HashSet<>();
    if (status.isPresent()) {
      MiddlewareStatus s = status.get();
      now.addAll(MiddlewareReconciler.clusters(s.placement()));
      now.addAll(MiddlewareReconciler.clusters(s.running()));
      now.addAll(s.lost().keySet());
      now.addAll(s.fenced().keySet());
      if (s.condition(MiddlewareReconciler.SCHEDULED).map(c -> !c.isTrue()).orElse(true)) {
        now.add(ANY); // not placed: any change of any cluster may let it be
      }
    }
    Set<String> before = clustersOf.put(o.ref(), now);
    if (before != null) {
      for (String c : before) {
        if (!now.contains(c)) {
          Set<ObjectRef> refs = byCluster.get(c);
          if (refs != null) {
            refs.remove(o.ref());
          }
        }
      }
    }
    for (String c : now) {
      byCluster.computeIfAbsent(c, k -> ConcurrentHashMap.newKeySet()).add(o.ref());
    }
    if (status.isEmpty()) {
      clustersOf.remove(o.ref());
    }
  }

  /**
   * A member cluster changed: when its readiness or taints did (not a heartbeat or a capacity
   * refresh), the Middleware with a share there are queued ahead of everything else (a failover's
   * first passes, which place the lost shares elsewhere, go before the rollouts under way and the
   * later steps of the failover itself); a new or deleted cluster queues all (a resource that could
   * not be placed may fit now).
   */
  private void onMemberCluster(StoreHandler.Change change, KubeObject o) {
    if (change == StoreHandler.Change.DELETED) {
      health.remove(o.name());
      enqueueAll();
      return;
    }
    boolean ready = false;
    for (tools.jackson.databind.JsonNode c : o.at("/status/conditions")) {
      if (c.path("type").asString("").equals("Ready")) {
        ready = c.path("status").asString("").equals("True");
      }
    }
    Health now = new Health(ready, o.at("/spec/taints").toString());
    Health before = health.put(o.name(), now);
    if (before == null) {
      enqueueAll();
    } else if (!before.equals(now)) {
      byCluster.getOrDefault(o.name(), Set.of()).forEach(queue::addUrgent);
      byCluster.getOrDefault(ANY, Set.of()).forEach(queue::add);
    }
  }

  /** Queues every Middleware. */
  public void enqueueAll() {
    for (ObjectRef ref : store.refs(ApiVersion.API_VERSION, Middleware.KIND, "")) {
      queue.add(ref);
    }
  }

  /** Middleware waiting to be reconciled. */
  public int queueDepth() {
    return queue.depth();
  }

  /** Passes run so far, and their total time: for metrics. */
  public long passes() {
    return passes.get();
  }

  public Duration passTime() {
    return Duration.ofNanos(passNanos.get());
  }

  private void work() {
    queue.serve(this::pass);
  }

  private void pass(ObjectRef ref) {
    long began = System.nanoTime();
    Instant start = clock.instant();
    ControllerObserver.PassOutcome outcome = ControllerObserver.PassOutcome.ERROR;
    try {
      MiddlewareReconciler.Outcome o = reconciler.reconcile(ref);
      failures.remove(ref);
      o.requeueAfter().ifPresent(d -> queue.addAfter(ref, d));
      outcome =
          o.requeueAfter().isPresent()
              ? ControllerObserver.PassOutcome.REQUEUED
              : ControllerObserver.PassOutcome.DONE;
    } catch (RuntimeException e) {
      int n = failures.merge(ref, 1, Integer::sum);
      Duration wait = WorkQueue.backoff(FIRST_RETRY, LAST_RETRY, n);
      LOG.atWarn()
          .addKeyValue("middleware", ref.namespace() + "/" + ref.name())
          .addKeyValue("attempt", n)
          .addKeyValue("retryInMs", wait.toMillis())
          .setCause(e)
          .log("reconcile failed");
      queue.addAfter(ref, wait);
    } finally {
      passes.incrementAndGet();
      passNanos.addAndGet(System.nanoTime() - began);
      Duration took = Duration.between(start, clock.instant());
      observer.reconciled(outcome, took.isNegative() ? Duration.ZERO : took);
    }
  }

  @Override
  public void close() {
    watches.forEach(StoreWatch::close);
    queue.close();
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
