package io.flotilla.propagation;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.PropagationPolicy;
import io.flotilla.api.policy.ResourceSelector;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.WatchHandler;
import io.flotilla.cluster.health.HealthSettings;
import io.flotilla.cluster.health.MemberHealth;
import io.flotilla.propagation.render.OverrideConditions;
import io.flotilla.propagation.render.OverrideFailure;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreHandler;
import io.flotilla.store.StoreWatch;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The propagation engine: propagates every resource template a PropagationPolicy selects to its
 * member clusters, rendered per cluster by the OverridePolicies, and keeps it so.
 *
 * <p>Level-triggered: store watches (templates of every selected kind, policies, member clusters)
 * and member watches (the copies Flotilla manages) only queue templates; workers reconcile them
 * ({@link TemplateReconciler}) from what the store and members hold. A change of what is wanted (a
 * template, a policy) is queued ahead of what the engine observes (copies, bindings, the resync),
 * and the engine's own binding writes queue nothing ({@link OwnWrites}). A hand edit on a member,
 * or a change of a copy's status, reaches the binding within a second through the member watch
 * (behind the changes of what is wanted queued meanwhile); a periodic resync catches what a broken
 * watch missed. Failed passes are retried with backoff.
 */
public final class PropagationEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PropagationEngine.class);

  /** The label on every copy the engine keeps in a member ({@code flotilla}). */
  public static final String COPY_LABEL = TemplateReconciler.MANAGED_BY;

  private final ObjectStore store;
  private final PropagationSettings settings;
  private final Clock clock;
  private final MemberRegistry members;
  private final PolicyCache policies;
  private final TemplateReconciler reconciler;
  private final OwnWrites bindingWrites = new OwnWrites();
  private final WorkQueue<ObjectRef> queue = new WorkQueue<>("propagation");
  private final Map<ObjectRef, Integer> attempts = new ConcurrentHashMap<>();
  private final Map<ObjectRef, Map<ObjectRef, List<OverrideFailure>>> overrideFailures =
      new ConcurrentHashMap<>();
  private final Map<String, StoreWatch> templateWatches = new ConcurrentHashMap<>();
  private final Map<String, MemberWatch> memberWatches = new ConcurrentHashMap<>();
  private final List<StoreWatch> storeWatches = new CopyOnWriteArrayList<>();
  private final MemberHealthService healthService;
  private final java.util.concurrent.atomic.AtomicLong passes =
      new java.util.concurrent.atomic.AtomicLong();
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private volatile boolean running;

  /**
   * @param health how member clusters are probed; their MemberCluster objects get the results
   */
  public PropagationEngine(
      ObjectStore store,
      MemberFactory factory,
      PropagationSettings settings,
      HealthSettings health,
      Clock clock) {
    this(store, factory, settings, health, clock, ApplyObserver.NONE);
  }

  /**
   * @param health how member clusters are probed; their MemberCluster objects get the results
   * @param applies told of every apply to a member that fails (for metrics)
   */
  public PropagationEngine(
      ObjectStore store,
      MemberFactory factory,
      PropagationSettings settings,
      HealthSettings health,
      Clock clock,
      ApplyObserver applies) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.members = new MemberRegistry(factory);
    this.policies = new PolicyCache(store);
    this.reconciler =
        new TemplateReconciler(
            store, members, policies, clock, applies, bindingWrites, () -> !running);
    this.workers = Executors.newFixedThreadPool(settings.workers(), daemon("propagation-worker"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("propagation-timer"));
    this.healthService = new MemberHealthService(members, store, health, clock);
    members.addListener(this::onMemberChanged);
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
    // Every member cluster and policy the store holds is known before the first template is
    // rendered: a template rendered without its overrides, or against half the member clusters,
    // would change or withdraw healthy copies after every restart.
    String from = store.resourceVersion();
    load(MemberCluster.KIND, this::onMemberCluster);
    load(PropagationPolicy.KIND, this::onPropagationPolicy);
    load(OverridePolicy.KIND, this::onOverridePolicy);
    running = true;
    storeWatches.add(
        store.watch(ApiVersion.API_VERSION, MemberCluster.KIND, from, this::onMemberCluster));
    storeWatches.add(
        store.watch(
            ApiVersion.API_VERSION, PropagationPolicy.KIND, from, this::onPropagationPolicy));
    storeWatches.add(
        store.watch(ApiVersion.API_VERSION, OverridePolicy.KIND, from, this::onOverridePolicy));
    storeWatches.add(
        store.watch(ApiVersion.API_VERSION, ResourceBinding.KIND, "", this::onBinding));
    // members connected above read their kubeconfig Secrets already: only later changes count
    storeWatches.add(store.watch("v1", "Secret", from, (change, secret) -> onSecret(secret)));
    for (int i = 0; i < settings.workers(); i++) {
      workers.execute(this::work);
    }
    long resync = settings.resync().toMillis();
    timer.scheduleAtFixedRate(this::resyncAll, resync, resync, TimeUnit.MILLISECONDS);
  }

  /**
   * Hands every object of a kind to {@code handler} as ADDED, on the caller's thread: one at a time
   * from a store held in this process, in one list from a remote one.
   */
  private void load(String kind, StoreHandler handler) {
    if (store.readsAreLocal()) {
      for (ObjectRef ref : store.refs(ApiVersion.API_VERSION, kind, "")) {
        store.get(ref).ifPresent(o -> handler.onChange(StoreHandler.Change.ADDED, o));
      }
    } else {
      store
          .list(ApiVersion.API_VERSION, kind, "")
          .forEach(o -> handler.onChange(StoreHandler.Change.ADDED, o));
    }
  }

  /** The member clusters the engine has connected to, for health monitoring. */
  public List<Member> members() {
    return members.members();
  }

  /** Templates waiting to be reconciled. */
  public int queueDepth() {
    return queue.depth();
  }

  /** Passes run so far (one template reconciled once), for metrics and benchmarks. */
  public long passes() {
    return passes.get();
  }

  // --- what the store tells us -------------------------------------------------------------

  private void onMemberCluster(StoreHandler.Change change, KubeObject o) {
    if (change == StoreHandler.Change.DELETED) {
      members.remove(o.name());
    } else {
      members.update(o);
    }
  }

  /** A kubeconfig Secret changed: reconnect the members that use it. */
  private void onSecret(KubeObject secret) {
    members.reconnectUsing(secret.namespace(), secret.name());
  }

  private void onPropagationPolicy(StoreHandler.Change change, KubeObject o) {
    List<ResourceSelector> before;
    List<ResourceSelector> after;
    if (change == StoreHandler.Change.DELETED) {
      before = policies.removePropagation(o);
      after = List.of();
    } else {
      PolicyCache.Change<PropagationPolicy> c = policies.putPropagation(o);
      before = c.oldSelectors();
      after = c.policy().map(p -> p.spec().resourceSelectors()).orElse(List.of());
    }
    policies.selectedKinds().forEach(this::watchTemplates);
    enqueueSelected(o.namespace(), before, after);
  }

  private void onOverridePolicy(StoreHandler.Change change, KubeObject o) {
    List<ResourceSelector> before;
    List<ResourceSelector> after;
    if (change == StoreHandler.Change.DELETED) {
      before = policies.removeOverride(o);
      after = List.of();
      overrideFailures.remove(o.ref());
    } else {
      PolicyCache.Change<OverridePolicy> c = policies.putOverride(o);
      before = c.oldSelectors();
      after = c.policy().map(p -> p.spec().resourceSelectors()).orElse(List.of());
    }
    enqueueSelected(o.namespace(), before, after);
  }

  /**
   * Queues the templates a policy selected before and after a change, ahead of observed changes (a
   * policy is what is wanted): by name when every selector names its template (the cost of one
   * policy change does not grow with the namespace), else every template of the namespace.
   */
  private void enqueueSelected(
      String namespace, List<ResourceSelector> before, List<ResourceSelector> after) {
    List<ResourceSelector> all = new ArrayList<>(before);
    all.addAll(after);
    if (all.isEmpty() || all.stream().anyMatch(r -> r.name().isEmpty())) {
      enqueueNamespace(namespace);
      return;
    }
    String ns = namespace.isEmpty() ? "default" : namespace;
    for (ResourceSelector r : all) {
      queue.addUrgent(new ObjectRef(r.apiVersion(), r.kind(), ns, r.name()));
    }
  }

  /**
   * A binding whose template is gone still names copies to delete: reconcile its template (a
   * binding replayed when the engine starts may be all that is left of a template removed while no
   * engine ran). The engine's own binding writes are not news to it ({@link OwnWrites}).
   */
  private void onBinding(StoreHandler.Change change, KubeObject o) {
    if (change == StoreHandler.Change.DELETED) {
      bindingWrites.forget(o.ref());
    } else if (!bindingWrites.echo(o.ref(), o.resourceVersion().orElse(""))) {
      queue.add(ResourceBinding.fromObject(o).template());
    }
  }

  private void watchTemplates(String apiVersionAndKind) {
    templateWatches.computeIfAbsent(
        apiVersionAndKind,
        k -> {
          String[] p = k.split("\\|", 2);
          for (Member m : members.members()) {
            watchCopies(m, p[0], p[1]);
          }
          return store.watch(p[0], p[1], "", (change, template) -> queue.addUrgent(template.ref()));
        });
  }

  /**
   * Queues every template a policy of the namespace may concern: those of the kinds policies
   * select, and those already propagated (a deleted policy leaves copies to withdraw).
   */
  private void enqueueNamespace(String namespace) {
    for (String k : policies.selectedKinds()) {
      String[] p = k.split("\\|", 2);
      store.refs(p[0], p[1], namespace).forEach(queue::addUrgent);
    }
    enqueueBound(namespace, queue::addUrgent);
  }

  private void resyncAll() {
    for (String k : policies.selectedKinds()) {
      String[] p = k.split("\\|", 2);
      store.refs(p[0], p[1], "").forEach(queue::add);
    }
    enqueueBound("", queue::add);
  }

  /** Queues the template of every binding, read one at a time (there may be tens of thousands). */
  private void enqueueBound(String namespace, Consumer<ObjectRef> enqueue) {
    for (ObjectRef b : store.refs(ApiVersion.API_VERSION, ResourceBinding.KIND, namespace)) {
      store.get(b).ifPresent(o -> enqueue.accept(ResourceBinding.fromObject(o).template()));
    }
  }

  // --- what the members tell us ------------------------------------------------------------

  private void onMemberChanged(String cluster) {
    members
        .member(cluster)
        .ifPresent(
            m ->
                policies
                    .selectedKinds()
                    .forEach(
                        k -> {
                          String[] p = k.split("\\|", 2);
                          watchCopies(m, p[0], p[1]);
                        }));
    if (running) {
      resyncAll();
    }
  }

  /**
   * Watches the copies Flotilla manages of one kind on one member; a change queues its template.
   */
  private void watchCopies(Member member, String apiVersion, String kind) {
    String key = member.name() + "|" + apiVersion + "|" + kind;
    if (memberWatches.containsKey(key)) {
      return;
    }
    try {
      MemberWatch w =
          member.watch(
              apiVersion,
              kind,
              "",
              Map.of(TemplateReconciler.MANAGED_BY, TemplateReconciler.MANAGED_BY_VALUE),
              new WatchHandler() {
                @Override
                public void onChange(Change change, KubeObject copy) {
                  queue.add(new ObjectRef(apiVersion, kind, copy.namespace(), copy.name()));
                }

                @Override
                public void onFailure(MemberException cause) {
                  memberWatches.remove(key);
                  LOG.info(
                      "watch of {} on {} ended: {}; retrying",
                      kind,
                      member.name(),
                      cause.getMessage());
                  timer.schedule(
                      () ->
                          members
                              .member(member.name())
                              .ifPresent(m -> watchCopies(m, apiVersion, kind)),
                      settings.retryMax().toMillis() / 10,
                      TimeUnit.MILLISECONDS);
                }
              });
      memberWatches.put(key, w);
    } catch (MemberException e) {
      LOG.info("cannot watch {} on {} yet: {}", kind, member.name(), e.getMessage());
      timer.schedule(
          () -> members.member(member.name()).ifPresent(m -> watchCopies(m, apiVersion, kind)),
          settings.retryMax().toMillis() / 10,
          TimeUnit.MILLISECONDS);
    }
  }

  // --- reconciling ---------------------------------------------------------------------------

  private void work() {
    queue.serve(this::pass);
  }

  private void pass(ObjectRef ref) {
    passes.incrementAndGet();
    try {
      TemplateReconciler.Outcome outcome = reconciler.reconcile(ref);
      if (!running) {
        return; // cut short by close: what it saw is the interrupt, not the members
      }
      recordOverrideFailures(ref, outcome.overrideFailures());
      if (outcome.retry()) {
        retryLater(ref);
      } else {
        attempts.remove(ref);
      }
    } catch (StoreException e) {
      LOG.debug("reconcile of {} hit {}; retrying", ref, e.getMessage());
      retryLater(ref);
    } catch (RuntimeException e) {
      if (!running) {
        LOG.debug("reconcile of {} cut short by close: {}", ref, e.toString());
        return;
      }
      LOG.error("reconcile of {} failed", ref, e);
      retryLater(ref);
    }
  }

  private void retryLater(ObjectRef ref) {
    int n = attempts.merge(ref, 1, Integer::sum);
    queue.addAfter(ref, WorkQueue.backoff(settings.retryInitial(), settings.retryMax(), n));
  }

  /** Keeps each OverridePolicy's failures by template, and writes its Applied condition. */
  private void recordOverrideFailures(
      ObjectRef template, Map<ObjectRef, List<OverrideFailure>> now) {
    Set<ObjectRef> touched = new java.util.HashSet<>(now.keySet());
    for (Map.Entry<ObjectRef, Map<ObjectRef, List<OverrideFailure>>> e :
        overrideFailures.entrySet()) {
      if (e.getValue().containsKey(template)) {
        touched.add(e.getKey());
      }
    }
    for (ObjectRef policy : touched) {
      Map<ObjectRef, List<OverrideFailure>> byTemplate =
          overrideFailures.computeIfAbsent(policy, p -> new ConcurrentHashMap<>());
      List<OverrideFailure> f = now.get(policy);
      if (f == null || f.isEmpty()) {
        byTemplate.remove(template);
      } else {
        byTemplate.put(template, f);
      }
      List<OverrideFailure> all = new ArrayList<>();
      byTemplate.values().forEach(all::addAll);
      writePolicyCondition(policy, all);
    }
  }

  private void writePolicyCondition(ObjectRef policy, List<OverrideFailure> failures) {
    store
        .get(policy)
        .ifPresent(
            current -> {
              KubeObject desired =
                  PolicyStatusWriter.withCondition(
                      current, OverrideConditions.applied(policy, failures), clock.instant());
              if (!desired.at("/status").equals(current.at("/status"))) {
                try {
                  store.updateStatus(desired);
                } catch (StoreException e) {
                  LOG.debug(
                      "status of {} not written ({}); the next pass writes it",
                      policy,
                      e.getMessage());
                }
              }
            });
  }

  /** What the health monitor knows of a member cluster now. */
  public Optional<MemberHealth> health(String cluster) {
    return healthService.health(cluster);
  }

  @Override
  /**
   * Stops watching and reconciling, and returns once no pass is running (waiting at most {@link
   * #CLOSE_WAIT} for one that is): an engine closed on losing the lead must not apply a copy
   * afterwards, over what the next leader does.
   */
  public void close() {
    running = false;
    healthService.close();
    storeWatches.forEach(StoreWatch::close);
    templateWatches.values().forEach(StoreWatch::close);
    memberWatches.values().forEach(MemberWatch::close);
    queue.close();
    timer.shutdownNow();
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("a propagation pass still runs {} after close", CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    members.close();
  }

  /** How long {@link #close} waits for a running pass. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
}
