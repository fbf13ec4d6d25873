package io.flotilla.controller;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.Condition;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Placement;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.Taint;
import io.flotilla.api.TaintEffect;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.MemberClusterReader;
import io.flotilla.api.io.MiddlewareReader;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.PropagationPolicy;
import io.flotilla.middleware.Finding;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.MiddlewareAdapter;
import io.flotilla.middleware.Topology;
import io.flotilla.scheduler.ClusterSnapshot;
import io.flotilla.scheduler.PreviousPlacement;
import io.flotilla.scheduler.ScheduleResult;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.ParsedCache;
import io.flotilla.store.StoreException;
import io.flotilla.store.WriteRules;
import io.flotilla.store.events.EventLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reconciles one Middleware, level-triggered and idempotent, in short named steps: observe →
 * validate → schedule → assign ids → render → propagate (one cluster at a time) → membership →
 * status. Everything it needs to remember is in the Middleware's status and in the objects it
 * generates, so a pass after a crash (at any step, between any two writes) carries on to the same
 * end.
 */
public final class MiddlewareReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(MiddlewareReconciler.class);

  public static final String FINALIZER = "flotilla.io/controller";
  public static final String FENCED_TAINT = "flotilla.io/fenced";
  public static final String UNREACHABLE_TAINT = "flotilla.io/unreachable";

  static final String SCHEDULED = "Scheduled";
  static final String PROPAGATED = "Propagated";
  static final String AVAILABLE = "Available";
  static final String SURVIVES = "SurvivesClusterLoss";
  static final String FAILING_OVER = "FailingOver";
  private static final String WAITING_FOR_CLUSTER = "waiting for cluster ";

  /** What a pass asks of its caller: come back later (rolling, waiting), or not until a change. */
  public record Outcome(Optional<Duration> requeueAfter, String summary) {
    static Outcome idle(String summary) {
      return new Outcome(Optional.empty(), summary);
    }

    static Outcome later(Duration d, String summary) {
      return new Outcome(Optional.of(d), summary);
    }
  }

  private final ObjectStore store;
  private final Scheduler scheduler;
  private final ShareReadiness readiness;
  private final MembershipHook membership;
  private final Rendering rendering;
  private final Supplier<String> secrets;
  private final StepHook hook;
  private final Clock clock;
  private final Duration poll;
  private final EventLog events;

  /**
   * The revision each generated OverridePolicy carries, with the version it was read from: a pass
   * reads the revisions of every share twice, and an override is parsed again only when it changed.
   */
  private final ParsedCache<String> overrideRevisions = new ParsedCache<>(OVERRIDE_REVISIONS);

  static final int OVERRIDE_REVISIONS = 16_384;

  /**
   * Each template as a pass last found or wrote it, with the version it was then at: its desired
   * object without the body (which the stored template keeps). A pass whose desired template is the
   * same and finds the stored one still at that version has nothing to compare or write.
   */
  private final ParsedCache<KubeObject> confirmedTemplates = new ParsedCache<>(CONFIRMED_TEMPLATES);

  static final int CONFIRMED_TEMPLATES = 4_096;

  /**
   * The pod template each generated StatefulSet override runs ({@link #runningPodTemplate}), with
   * the version it was read from.
   */
  private final ParsedCache<String> runningPodTemplates = new ParsedCache<>(POD_TEMPLATES);

  static final int POD_TEMPLATES = 4_096;

  private volatile ControllerObserver observer = ControllerObserver.NONE;

  /**
   * @param rendering how instances are addressed and each type rendered
   * @param secrets makes a new random credential (the controller generates each once per resource)
   * @param poll how soon to look again while a rollout waits for a cluster
   * @param events where the pass records what it did to each Middleware: placed, a cluster lost,
   *     rolling, available, a failure (each condition's change; see docs/controller.md)
   */
  public MiddlewareReconciler(
      ObjectStore store,
      Scheduler scheduler,
      ShareReadiness readiness,
      MembershipHook membership,
      Rendering rendering,
      Supplier<String> secrets,
      StepHook hook,
      Clock clock,
      Duration poll,
      EventLog events) {
    this.events = java.util.Objects.requireNonNull(events, "events");
    this.store = store;
    this.scheduler = scheduler;
    this.readiness = readiness;
    this.membership = membership;
    this.rendering = rendering;
    this.secrets = secrets;
    this.hook = hook;
    this.clock = clock;
    this.poll = poll;
  }

  /**
   * Tells {@code o} the time of every call of the scheduler (the scheduling latency metric); set
   * before the first pass.
   *
   * @return this reconciler
   */
  public MiddlewareReconciler observedBy(ControllerObserver o) {
    this.observer = java.util.Objects.requireNonNull(o, "observer");
    return this;
  }

  /** The scheduler's answer, its time measured with the clock and told to the observer. */
  private ScheduleResult schedule(
      io.flotilla.api.MiddlewareSpec spec,
      List<ClusterSnapshot> snapshots,
      PreviousPlacement previous) {
    Instant began = clock.instant();
    try {
      return scheduler.schedule(spec, snapshots, previous);
    } finally {
      Duration took = Duration.between(began, clock.instant());
      observer.scheduled(took.isNegative() ? Duration.ZERO : took);
    }
  }

  /** Random credentials from {@code random}: 24 bytes, base64url. */
  public static Supplier<String> randomSecrets(java.util.Random random) {
    return () -> {
      byte[] b = new byte[24];
      random.nextBytes(b);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    };
  }

  /**
   * One pass over the Middleware {@code ref}: its steps in order (docs/controller.md "One pass"),
   * each of which may end the pass with its outcome (an invalid spec, a placement that cannot be
   * made, a rollout waiting for a cluster, ...).
   */
  public Outcome reconcile(ObjectRef ref) {
    hook.before("observe");
    Optional<KubeObject> found = store.get(ref);
    if (found.isEmpty()) {
      return Outcome.idle("gone");
    }
    KubeObject object = found.get();
    if (object.deletionTimestamp().isPresent()) {
      return delete(object);
    }
    if (!object.finalizers().contains(FINALIZER)) {
      hook.before("add finalizer");
      object = store.update(object.edit(o -> addFinalizer(o)));
    }
    Pass pass = new Pass(ref, object, clock.instant());
    return pass.validate()
        .or(pass::observeClusters)
        .or(pass::place)
        .or(pass::render)
        .or(pass::propagate)
        .or(pass::changeMembership)
        .orElseGet(pass::available);
  }

  /**
   * What one pass knows, handed from step to step. Each step is a method of its own: short to read,
   * and short for the JIT too (the whole pass in one method was more than C1's profiling tier could
   * compile, and C2 took seconds to compile it again after each deoptimization, on the same cores
   * as the failover it slowed).
   */
  private final class Pass {
    private final ObjectRef ref;
    private final Instant now;
    private KubeObject object;
    private MiddlewareStatus status;

    // validate
    private Middleware mw;
    private MiddlewareAdapter adapter;

    // observe clusters
    private Map<String, MemberCluster> clusters;
    private SortedMap<String, Instant> lost;
    private SortedMap<String, Instant> fenced;
    private boolean newLoss;
    private Generated generated;

    // render
    private Topology topology;
    private Map<String, String> credentials;
    private Set<ObjectRef> known;
    private SortedMap<String, Map<String, String>> existing;
    private Set<String> targets;
    private List<String> emptying;
    private DesiredState.Rendered rendered;
    private SortedMap<String, String> applied;
    private Set<String> complete;

    // propagate
    private Dropped drop;

    Pass(ObjectRef ref, KubeObject object, Instant now) {
      this.ref = ref;
      this.object = object;
      this.now = now;
      this.status = MiddlewareStatus.fromJson(object.at("/status"));
    }

    /** validate: the spec as read, then the adapter's own checks. */
    Optional<Outcome> validate() {
      hook.before("validate");
      Decoded<Middleware> decoded =
          MiddlewareReader.read(new Manifest("store", ref.toString(), object.json()));
      if (decoded.value().isEmpty()) {
        return invalid(
            decoded.problems().stream().map(Object::toString).collect(Collectors.joining("; ")));
      }
      mw = decoded.value().get();
      adapter = rendering.adapter(mw.spec().type());
      List<Finding> errors =
          adapter.check(mw).stream().filter(f -> f.severity() == Finding.Severity.ERROR).toList();
      if (!errors.isEmpty()) {
        return invalid(errors.stream().map(Finding::toString).collect(Collectors.joining("; ")));
      }
      return Optional.empty();
    }

    private Optional<Outcome> invalid(String why) {
      return Optional.of(
          writeStatus(
              object, status.withCondition(SCHEDULED, false, "InvalidSpec", why, now), "invalid"));
    }

    /**
     * observe clusters: a cluster holding a share that is not Ready is lost (with the time); a lost
     * one Ready again whose stale copies are gone is fenced. Never ends the pass.
     */
    Optional<Outcome> observeClusters() {
      hook.before("observe clusters");
      clusters = memberClusters();
      Set<String> sharing =
          new TreeSet<>(status.running().roles().isEmpty() ? Set.of() : clusters(status.running()));
      sharing.addAll(clusters(status.placement()));
      lost = new TreeMap<>(status.lost());
      fenced = new TreeMap<>(status.fenced());
      for (String c : sharing) {
        if (!ready(clusters.get(c)) && !lost.containsKey(c)) {
          lost.put(c, now);
          fenced.remove(c);
        }
      }
      generated = generated(mw);
      for (String c : List.copyOf(lost.keySet())) {
        if (ready(clusters.get(c)) && readiness.fenced(c, generated.templates())) {
          lost.remove(c);
          fenced.put(c, now);
        }
      }
      for (String c : List.copyOf(fenced.keySet())) {
        if (!ready(clusters.get(c))) {
          fenced.put(c, now); // it must be Ready for the whole delay again
        }
      }
      newLoss = !lost.keySet().equals(status.lost().keySet());
      status = status.withLost(lost, fenced);
      return Optional.empty();
    }

    /**
     * schedule and assign ids: when nothing is placed yet, the spec changed, a cluster was lost or
     * drained, or failback is due. Ends the pass when the resource cannot be placed.
     */
    Optional<Outcome> place() {
      hook.before("schedule");
      Set<String> failBack = new TreeSet<>();
      for (Map.Entry<String, Instant> f : fenced.entrySet()) {
        if (ready(clusters.get(f.getKey())) && mayFailBack(mw, f.getValue(), now)) {
          failBack.add(f.getKey());
        }
      }
      boolean reschedule =
          status.placement().isEmpty()
              || status.observedGeneration() != object.generation()
              || newLoss
              || lostShare(status.placement(), lost.keySet())
              || drained(status.placement(), clusters)
              || !failBack.isEmpty();
      if (!reschedule) {
        return Optional.empty();
      }
      List<ClusterSnapshot> snapshots = snapshots();
      ScheduleResult result =
          schedule(
              mw.spec(), snapshots, new PreviousPlacement(status.placement(), status.shards()));
      if (!failBack.isEmpty() && result.scheduled()) {
        result = failBack(result, snapshots, failBack);
      }
      if (!result.scheduled()) {
        String why =
            result.unschedulable().stream().map(Object::toString).collect(Collectors.joining("; "));
        return Optional.of(
            writeStatus(
                object,
                status.withCondition(SCHEDULED, false, "Unschedulable", why, now),
                "unschedulable"));
      }
      boolean survives =
          result.survivability().values().stream().allMatch(v -> v.survivesAnyClusterLoss());
      status =
          status
              .withCondition(SCHEDULED, true, "Scheduled", describe(result.placement()), now)
              .withCondition(
                  SURVIVES,
                  survives,
                  survives ? "EveryVoterRoleSurvives" : "QuorumAtRisk",
                  survivability(result),
                  now);
      if (!result.placement().equals(status.placement())
          || !result.shards().equals(status.shards())) {
        assignIds(result);
      } else if (status.observedGeneration() != object.generation()) {
        status =
            status.with(status.placement(), status.shards(), status.ids(), object.generation());
      }
      return Optional.empty();
    }

    /** Every member cluster as the scheduler sees it; fenced ones tainted until failback. */
    private List<ClusterSnapshot> snapshots() {
      List<ClusterSnapshot> snapshots = new ArrayList<>();
      for (MemberCluster c : clusters.values()) {
        ClusterSnapshot s = snapshot(c);
        if (fenced.containsKey(c.name()) && !mayFailBack(mw, fenced.get(c.name()), now)) {
          List<Taint> taints = new ArrayList<>(s.taints());
          taints.add(new Taint(FENCED_TAINT, "", TaintEffect.NoSchedule));
          s =
              new ClusterSnapshot(
                  s.name(), s.labels(), taints, s.ready(), s.allocatable(), s.allocated());
        }
        snapshots.add(s);
      }
      return snapshots;
    }

    /**
     * Failing back places the resource afresh, which returns replicas to the clusters due;
     * instances that stay in their cluster keep their ids.
     */
    private ScheduleResult failBack(
        ScheduleResult result, List<ClusterSnapshot> snapshots, Set<String> due) {
      ScheduleResult fresh = schedule(mw.spec(), snapshots, PreviousPlacement.NONE);
      Set<String> back = new TreeSet<>(due);
      back.retainAll(clusters(fresh.placement()));
      if (!fresh.scheduled() || back.isEmpty()) {
        return result;
      }
      back.forEach(fenced::remove);
      status = status.withLost(lost, fenced);
      LOG.atInfo()
          .addKeyValue("middleware", ref.namespace() + "/" + ref.name())
          .addKeyValue("clusters", back)
          .log("failing back");
      return fresh;
    }

    /**
     * assign ids: the new placement's id blocks, recorded in the status before anything uses them
     * (ids of lost and fenced clusters are retired, never reused).
     */
    private void assignIds(ScheduleResult result) {
      hook.before("assign ids");
      Set<String> retired = new HashSet<>(lost.keySet());
      retired.addAll(fenced.keySet());
      IdBlocks ids =
          status.ids().assign(result.placement(), status.running(), replicas(mw), retired);
      // a new placement is not there yet: Propagated and Available no longer speak of it
      status =
          status
              .with(result.placement(), result.shards(), ids, object.generation())
              .withCondition(
                  PROPAGATED, false, "Rolling", "placed: " + describe(result.placement()), now)
              .withCondition(AVAILABLE, false, "Rolling", "rolling out", now);
      KubeObject before = object;
      object = store.updateStatus(withStatus(object, status));
      recordTransitions(before, status);
      LOG.atInfo()
          .addKeyValue("middleware", ref.namespace() + "/" + ref.name())
          .addKeyValue("placement", describe(result.placement()))
          .log("placed");
    }

    /**
     * render: every cluster's share, with its revision; and what each cluster has applied (the
     * revision every one of its overrides is at). Never ends the pass.
     */
    Optional<Outcome> render() {
      hook.before("render");
      credentials = credentials(mw, adapter);
      // a running shard's survivors keep their shard
      topology =
          Topology.of(
              mw,
              status.placement(),
              status.ids().baseIds(status.placement()),
              status.shards(),
              rendering.addressing(),
              credentials,
              status.runningShardIds());
      Set<String> candidates = new TreeSet<>(generated.clusters());
      candidates.addAll(clusters(status.placement()));
      candidates.addAll(clusters(status.running()));
      candidates.addAll(lost.keySet());
      status.clusters().forEach(row -> candidates.add(row.name()));
      known = new java.util.LinkedHashSet<>(generated.templates());
      existing = generatedOverrides(mw, candidates, known);
      targets = new TreeSet<>(clusters(status.placement()));
      targets.removeAll(lost.keySet());
      emptying = new ArrayList<>();
      for (String c : existing.keySet()) {
        if (!targets.contains(c) && !lost.containsKey(c)) {
          emptying.add(c);
        }
      }
      rendered = DesiredState.render(adapter, topology, emptying);
      // a cluster's share is applied when every one of its overrides is there at one revision;
      // the PropagationPolicy only ever names such clusters, so a copy never goes out
      // half-overridden
      if (known.addAll(rendered.templates().keySet())) {
        existing = generatedOverrides(mw, candidates, known);
      }
      applied = new TreeMap<>();
      for (Map.Entry<String, Map<String, String>> e : existing.entrySet()) {
        applied.put(e.getKey(), completeRevision(rendered, e.getKey(), e.getValue()));
      }
      complete = new TreeSet<>();
      applied.forEach(
          (c, rev) -> {
            if (!rev.isEmpty()) {
              complete.add(c);
            }
          });
      return Optional.empty();
    }

    /**
     * propagate: the templates, then one cluster per pass. Ends the pass while the rollout is under
     * way, failed, or blocked; lets it go on to membership once every share is at its revision and
     * ready.
     */
    Optional<Outcome> propagate() {
      hook.before("propagate");
      for (KubeObject t : rendered.templates().values()) {
        upsertTemplate(t);
      }
      // lost clusters leave the rollout at once: the policy this pass writes no longer names them,
      // and their overrides go right after it (one policy write, not two, when the pass also rolls
      // a new share); their copies are deleted when they answer again
      Set<String> dropping = new TreeSet<>(existing.keySet());
      dropping.retainAll(lost.keySet());
      complete.removeAll(dropping);
      dropping.forEach(applied::remove);
      drop = new Dropped(dropping, known);
      Map<String, ShareReadiness.Report> reports = shareReports();
      boolean failingOver = !lost.isEmpty();
      status =
          status.withCondition(
              FAILING_OVER,
              failingOver,
              failingOver ? "ClusterLost" : "NoClusterLost",
              failingOver ? "lost: " + String.join(", ", lost.keySet()) : "",
              now);
      Optional<Outcome> ended =
          failed(reports)
              .or(() -> inFlight(reports))
              .or(() -> rollNext(reports))
              .or(() -> starting(reports, dropping))
              .or(this::removeEmptied);
      if (ended.isEmpty()) {
        writePolicy(mw, rendered, targets, drop);
      }
      return ended;
    }

    /** What each cluster runs now (its applied revision), ready or not; the status rows. */
    private Map<String, ShareReadiness.Report> shareReports() {
      List<ObjectRef> statefulSets =
          rendered.templates().keySet().stream()
              .filter(r -> r.kind().equals("StatefulSet"))
              .toList();
      List<MiddlewareStatus.ClusterStatus> rows = new ArrayList<>();
      Map<String, ShareReadiness.Report> reports = new TreeMap<>();
      for (String c : rendered.shares().keySet()) {
        String want = rendered.revisions().get(c);
        String have = applied.getOrDefault(c, "");
        ShareReadiness.Report r =
            have.isEmpty()
                ? new ShareReadiness.Report(ShareReadiness.State.PENDING, "not rolled out yet")
                : readiness.check(c, statefulSets, have);
        reports.put(c, r);
        boolean current = have.equals(want);
        rows.add(
            new MiddlewareStatus.ClusterStatus(
                c,
                counts(status.placement(), c),
                want,
                have,
                current && r.state() == ShareReadiness.State.READY,
                current ? r.message() : "revision " + want + " not rolled out yet"));
      }
      status = status.withClusters(rows);
      return reports;
    }

    /** A cluster whose apply failed stops the rollout, with the member's message. */
    private Optional<Outcome> failed(Map<String, ShareReadiness.Report> reports) {
      Optional<Map.Entry<String, ShareReadiness.Report>> failed =
          reports.entrySet().stream()
              .filter(e -> e.getValue().state() == ShareReadiness.State.FAILED)
              .findFirst();
      if (failed.isEmpty()) {
        return Optional.empty();
      }
      String why = "cluster " + failed.get().getKey() + ": " + failed.get().getValue().message();
      writePolicy(mw, rendered, complete, drop);
      return Optional.of(
          writeStatus(
              object,
              status
                  .withCondition(PROPAGATED, false, "RolloutFailed", why, now)
                  .withCondition(AVAILABLE, false, "RolloutFailed", why, now),
              "failed: " + why));
    }

    /**
     * A cluster rolled to its revision and not ready yet is waited for. A new resource's shares are
     * created one cluster after the other, each once the one before has all its pods created: a
     * voter set spread over clusters cannot be ready (in a quorum) before enough of its clusters
     * run it.
     */
    private Optional<Outcome> inFlight(Map<String, ShareReadiness.Report> reports) {
      boolean creating = status.running().roles().isEmpty();
      Optional<String> inFlight =
          reports.entrySet().stream()
              .filter(
                  e ->
                      applied
                              .getOrDefault(e.getKey(), "")
                              .equals(rendered.revisions().get(e.getKey()))
                          && e.getValue().state() != ShareReadiness.State.READY
                          && !(creating && e.getValue().state() == ShareReadiness.State.STARTED))
              .map(Map.Entry::getKey)
              .findFirst();
      if (inFlight.isEmpty()) {
        return Optional.empty();
      }
      writePolicy(mw, rendered, complete, drop);
      return Optional.of(waitingFor(object, status, inFlight.get(), reports, now));
    }

    /**
     * Rolls the next cluster not at its revision: clusters that gain instances first (a failover's
     * new shares before the peer lists of the others), then by name; a voter set is not taken below
     * quorum by a cluster whose pods restart.
     */
    private Optional<Outcome> rollNext(Map<String, ShareReadiness.Report> reports) {
      Placement running = status.running();
      Placement wanted = status.placement();
      Optional<String> next =
          rendered.revisions().entrySet().stream()
              .filter(e -> !e.getValue().equals(applied.getOrDefault(e.getKey(), "")))
              .map(Map.Entry::getKey)
              .sorted(java.util.Comparator.comparing((String c) -> !gains(wanted, running, c)))
              .findFirst();
      if (next.isEmpty()) {
        return Optional.empty();
      }
      String c = next.get();
      Optional<String> blocked =
          restartsPods(mw, c, rendered) ? quorumBlocks(mw, status, reports, c) : Optional.empty();
      if (blocked.isPresent()) {
        writePolicy(mw, rendered, complete, drop);
        return Optional.of(
            writeStatus(
                object,
                status.withCondition(PROPAGATED, false, "WaitingForQuorum", blocked.get(), now),
                later(),
                "blocked: " + blocked.get()));
      }
      hook.before("roll " + c);
      // the StatefulSets' overrides last: whoever reads them in the order written (the engine's
      // watch does) has every ConfigMap and Service of the share before a pod can start
      for (KubeObject o : podsLast(rendered.shares().get(c).values())) {
        if (o.kind().equals("Secret")) {
          continue;
        }
        hook.before("override " + o.name() + " " + c);
        upsert(DesiredState.overridePolicy(mw, c, o, rendered.revisions().get(c)));
      }
      hook.before("delete stale overrides " + c);
      deleteOverrides(mw, c, known, expectedOverrides(rendered, c));
      Set<String> reached = new TreeSet<>(complete);
      reached.add(c);
      hook.before("propagation policy");
      writePolicy(mw, rendered, reached, drop);
      LOG.atInfo()
          .addKeyValue("middleware", ref.namespace() + "/" + ref.name())
          .addKeyValue("cluster", c)
          .addKeyValue("revision", rendered.revisions().get(c))
          .log("rolling out to cluster");
      return Optional.of(
          writeStatus(
              object,
              status
                  .withCondition(PROPAGATED, false, "Rolling", "rolling out to cluster " + c, now)
                  .withCondition(AVAILABLE, false, "Rolling", "rolling out", now),
              later(),
              "rolled " + c));
    }

    /** Every cluster is at its revision: one still starting is waited for. */
    private Optional<Outcome> starting(
        Map<String, ShareReadiness.Report> reports, Set<String> dropping) {
      Optional<String> starting =
          reports.entrySet().stream()
              .filter(e -> e.getValue().state() != ShareReadiness.State.READY)
              .map(Map.Entry::getKey)
              .findFirst();
      if (starting.isEmpty()) {
        return Optional.empty();
      }
      if (!dropping.isEmpty()) {
        writePolicy(mw, rendered, complete, drop);
      }
      return Optional.of(waitingFor(object, status, starting.get(), reports, now));
    }

    /** Every share is at its revision and ready: clusters emptied leave the rollout. */
    private Optional<Outcome> removeEmptied() {
      if (emptying.isEmpty()) {
        return Optional.empty();
      }
      hook.before("remove " + emptying);
      writePolicy(mw, rendered, targets, drop);
      for (String c : emptying) {
        hook.before("delete overrides " + c);
        deleteOverrides(mw, c, known, Set.of());
      }
      return Optional.of(writeStatus(object, status, later(), "removed " + emptying));
    }

    /**
     * membership: every share runs its revision and is ready; the adapter type's driver removes the
     * lost ids and joins the new ones. Ends the pass when it fails.
     */
    Optional<Outcome> changeMembership() {
      hook.before("membership");
      if (status.running().equals(status.placement())
          && status.runningBases().equals(status.ids().baseIds(status.placement()))) {
        return Optional.empty();
      }
      Topology before =
          Topology.of(
              mw,
              status.running(),
              status.runningBases(),
              status.runningShards(),
              rendering.addressing(),
              credentials,
              status.runningShardIds());
      Set<Instance> after = new HashSet<>(topology.instances());
      Set<Instance> gone = new HashSet<>();
      for (Instance i : before.instances()) {
        if (!after.contains(i)) {
          gone.add(i);
        }
      }
      try {
        membership.reconcile(before, topology, gone);
      } catch (RuntimeException e) {
        String why = "membership: " + e.getMessage();
        return Optional.of(
            writeStatus(
                object,
                status.withCondition(AVAILABLE, false, "MembershipFailed", why, now),
                later(),
                why));
      }
      status =
          status.withRunning(
              status.placement(),
              status.ids().baseIds(status.placement()),
              status.shards(),
              topology.shardIds());
      return Optional.empty();
    }

    /** status: everything is rolled out and ready. */
    Outcome available() {
      hook.before("status");
      status =
          status
              .withCondition(
                  PROPAGATED, true, "AllClustersRolledOut", describe(status.placement()), now)
              .withCondition(AVAILABLE, true, "AllInstancesReady", "every instance ready", now)
              .withCondition(
                  FAILING_OVER,
                  false,
                  lost.isEmpty() ? "NoClusterLost" : "FailedOver",
                  lost.isEmpty() ? "" : "moved off " + String.join(", ", lost.keySet()),
                  now);
      return writeStatus(object, status, nextLook(mw, clusters, lost, fenced, now), "available");
    }
  }

  /**
   * When a settled resource needs another look without any change to wake it: while a lost cluster
   * that answers again is being fenced, and when a returned cluster becomes due for failback.
   */
  private Optional<Duration> nextLook(
      Middleware mw,
      Map<String, MemberCluster> clusters,
      SortedMap<String, Instant> lost,
      SortedMap<String, Instant> fenced,
      Instant now) {
    if (lost.keySet().stream().anyMatch(c -> ready(clusters.get(c)))) {
      return later();
    }
    if (mw.spec().failback().policy() != io.flotilla.api.Failback.Policy.WHEN_READY) {
      return Optional.empty();
    }
    return fenced.values().stream()
        .map(
            since ->
                Duration.between(now, since.plusSeconds(mw.spec().failback().readyForSeconds())))
        .map(d -> d.isNegative() ? poll : d)
        .min(Duration::compareTo);
  }

  private Optional<Duration> later() {
    return Optional.of(poll);
  }

  private Outcome writeStatus(KubeObject object, MiddlewareStatus status, String summary) {
    return writeStatus(object, status, Optional.empty(), summary);
  }

  private Outcome writeStatus(
      KubeObject object, MiddlewareStatus status, Optional<Duration> again, String summary) {
    hook.before("write status");
    store.updateStatus(withStatus(object, status));
    recordTransitions(object, status);
    return new Outcome(again, summary);
  }

  /** Condition reasons that are recorded as Warning events; every other change is Normal. */
  static final Set<String> WARNING_REASONS =
      Set.of(
          "InvalidSpec",
          "Unschedulable",
          "QuorumAtRisk",
          "ClusterLost",
          "RolloutFailed",
          "WaitingForQuorum",
          "MembershipFailed");

  /**
   * One event for each condition whose status, reason or message the write changed, with the
   * condition's reason and message (Scheduled "participant dc1=2 dc2=2 dc3=1", ClusterLost "lost:
   * dc2", AllInstancesReady "every instance ready"...). A rollout's progress while it waits for a
   * cluster ("waiting for cluster dc2: 1/2 ready") is not an event: the condition shows it, and it
   * changes with every pod.
   */
  private void recordTransitions(KubeObject before, MiddlewareStatus after) {
    JsonNode was = before.at("/status/conditions");
    for (Condition c : after.conditions()) {
      if (c.message().isEmpty() || c.message().startsWith(WAITING_FOR_CLUSTER)) {
        continue;
      }
      JsonNode old = MissingNode.getInstance();
      for (JsonNode o : was) {
        if (c.type().equals(o.path("type").asString())) {
          old = o;
          break;
        }
      }
      if (old.path("status").asString().equals(c.status().name())
          && old.path("reason").asString().equals(c.reason())
          && old.path("message").asString().equals(c.message())) {
        continue;
      }
      events.record(
          before.ref(),
          WARNING_REASONS.contains(c.reason()) ? EventLog.Type.Warning : EventLog.Type.Normal,
          "controller",
          c.reason(),
          c.message());
    }
  }

  private KubeObject withStatus(KubeObject object, MiddlewareStatus status) {
    return object.edit(o -> o.set("status", status.toJson()));
  }

  private static void addFinalizer(ObjectNode o) {
    ObjectNode meta = (ObjectNode) o.get("metadata");
    tools.jackson.databind.node.ArrayNode f =
        meta.get("finalizers") instanceof tools.jackson.databind.node.ArrayNode a
            ? a
            : meta.putArray("finalizers");
    f.add(FINALIZER);
  }

  /**
   * Deletion: every generated object goes (the propagation engine deletes the copies), then the
   * finalizer.
   */
  private Outcome delete(KubeObject object) {
    if (!object.finalizers().contains(FINALIZER)) {
      return Outcome.idle("deleted");
    }
    String ns = object.namespace();
    String name = object.name();
    boolean left = false;
    for (String kind : List.of(OverridePolicy.KIND, PropagationPolicy.KIND)) {
      for (KubeObject o : store.list(ApiVersion.API_VERSION, kind, ns)) {
        if (name.equals(o.labels().get(DesiredState.MIDDLEWARE_LABEL))) {
          hook.before("delete " + o.ref());
          store.delete(o.ref());
        }
      }
    }
    for (String[] k : TEMPLATE_KINDS) {
      for (KubeObject o : store.list(k[0], k[1], ns)) {
        if (name.equals(o.labels().get(DesiredState.MIDDLEWARE_LABEL))) {
          hook.before("delete " + o.ref());
          store.delete(o.ref());
          left = true;
        }
      }
    }
    if (left) {
      return Outcome.later(poll, "deleting copies");
    }
    for (KubeObject o : store.list("v1", "Secret", ns)) {
      if (o.name().equals(name + CREDENTIALS_SUFFIX)) {
        store.delete(o.ref());
      }
    }
    hook.before("release");
    store.update(
        object.edit(
            o -> {
              tools.jackson.databind.node.ArrayNode f =
                  (tools.jackson.databind.node.ArrayNode) o.get("metadata").get("finalizers");
              for (int i = f.size() - 1; i >= 0; i--) {
                if (f.get(i).asString().equals(FINALIZER)) {
                  f.remove(i);
                }
              }
            }));
    return Outcome.idle("deleted");
  }

  static final String[][] TEMPLATE_KINDS = {
    {"apps/v1", "StatefulSet"}, {"v1", "ConfigMap"}, {"v1", "Service"}, {"v1", "Secret"}
  };

  /** The suffix of the control plane's own Secret holding a resource's generated credentials. */
  public static final String CREDENTIALS_SUFFIX = "-flotilla-credentials";

  /**
   * What the generated PropagationPolicy names: the templates, and the clusters the rollout has
   * reached. Read by name, never by listing, so a pass costs the same with 10 or 10,000 resources.
   */
  record Generated(List<ObjectRef> templates, Set<String> clusters) {}

  private Generated generated(Middleware mw) {
    String ns = mw.metadata().namespace().orElse("default");
    Optional<KubeObject> pp =
        store.get(new ObjectRef(ApiVersion.API_VERSION, PropagationPolicy.KIND, ns, mw.name()));
    List<ObjectRef> templates = new ArrayList<>();
    Set<String> clusters = new TreeSet<>();
    pp.ifPresent(
        p -> {
          for (JsonNode sel : p.at("/spec/resourceSelectors")) {
            templates.add(
                new ObjectRef(
                    sel.path("apiVersion").asString(),
                    sel.path("kind").asString(),
                    ns,
                    sel.path("name").asString()));
          }
          p.at("/spec/placement/clusterAffinity/clusterNames")
              .forEach(n -> clusters.add(n.asString()));
        });
    return new Generated(templates, clusters);
  }

  private Map<String, String> credentials(Middleware mw, MiddlewareAdapter adapter) {
    if (adapter.credentialNames().isEmpty()) {
      return Map.of();
    }
    String ns = mw.metadata().namespace().orElse("default");
    ObjectRef ref = new ObjectRef("v1", "Secret", ns, mw.name() + CREDENTIALS_SUFFIX);
    Optional<KubeObject> existing = store.get(ref);
    Map<String, String> out = new LinkedHashMap<>();
    existing.ifPresent(
        s ->
            s.at("/stringData")
                .properties()
                .forEach(e -> out.put(e.getKey(), e.getValue().asString())));
    if (out.keySet().containsAll(adapter.credentialNames())) {
      return out;
    }
    for (String name : adapter.credentialNames()) {
      out.putIfAbsent(name, secrets.get());
    }
    KubeObject secret =
        KubeObject.create("v1", "Secret", ns, ref.name())
            .edit(
                o -> {
                  ObjectNode d = o.putObject("stringData");
                  out.forEach(d::put);
                });
    hook.before("write credentials");
    if (existing.isPresent()) {
      store.update(
          secret.edit(
              o ->
                  ((ObjectNode) o.get("metadata"))
                      .put("resourceVersion", existing.get().resourceVersion().orElse(""))));
    } else {
      store.create(secret);
    }
    return out;
  }

  /**
   * Creates a template, or updates it when its labels or annotations differ. A stored template
   * keeps its body ({@code spec} or {@code data}; a Secret, which has no overrides, excepted): no
   * cluster's copy takes it (each takes its own from its generated override), and the body is the
   * first cluster's rendering, so rewriting it when a share moves off the first cluster would only
   * make the engine rewrite every cluster's copy, and in Kubernetes mode touch the host cluster's
   * immutable StatefulSet fields.
   */
  private void upsertTemplate(KubeObject desired) {
    ObjectRef ref = desired.ref();
    if (desired.kind().equals("Secret")) {
      upsert(desired);
      return;
    }
    String body = DesiredState.body(desired);
    // confirmed versions are kept where reading a version is local (the embedded stores)
    KubeObject header = store.readsAreLocal() ? desired.without(body) : null;
    if (header != null) {
      Optional<String> at = store.version(ref);
      if (at.isPresent()
          && confirmedTemplates.get(ref, at.get()).filter(header::equals).isPresent()) {
        return;
      }
    }
    Optional<KubeObject> current = store.get(ref);
    Optional<KubeObject> stored;
    if (current.isEmpty()) {
      stored = upsert(desired, current);
    } else {
      JsonNode kept = current.get().at("/" + body);
      stored =
          upsert(
              desired.edit(
                  o -> {
                    if (kept.isMissingNode()) {
                      o.remove(body);
                    } else {
                      o.set(body, kept);
                    }
                  }),
              current);
    }
    if (header != null) {
      stored.ifPresent(t -> confirmedTemplates.put(ref, t.resourceVersion().orElse(""), header));
    }
  }

  /** Creates the object, or updates it when its labels, annotations or body differ. */
  private void upsert(KubeObject desired) {
    upsert(desired, store.get(desired.ref()));
  }

  /** The object as stored after it; empty when another writer created it meanwhile. */
  private Optional<KubeObject> upsert(KubeObject desired, Optional<KubeObject> current) {
    if (current.isEmpty()) {
      try {
        return Optional.of(store.create(desired));
      } catch (StoreException e) {
        if (e.reason() != StoreException.Reason.ALREADY_EXISTS) {
          throw e;
        }
      }
      return Optional.empty();
    }
    KubeObject c = current.get();
    JsonNode finalizers = c.at("/metadata/finalizers");
    KubeObject merged =
        desired.editMetadata(
            meta -> {
              meta.put("resourceVersion", c.resourceVersion().orElse(""));
              if (!finalizers.isMissingNode()) {
                meta.set("finalizers", finalizers);
              }
              ObjectNode ann =
                  meta.get("annotations") instanceof ObjectNode a
                      ? a
                      : meta.putObject("annotations");
              c.annotations()
                  .forEach(
                      (k, v) -> {
                        if (!ann.has(k)) {
                          ann.put(k, v);
                        }
                      });
            });
    if (sameContent(c, merged)) {
      return current;
    }
    return Optional.of(store.update(merged));
  }

  private static final Set<String> NOT_COMPARED = Set.of("metadata", "status");

  /**
   * Whether two versions of an object are the same but for their status and the metadata the server
   * sets; compares the bodies in place and copies only the metadata.
   */
  private static boolean sameContent(KubeObject a, KubeObject b) {
    if (!a.sameJsonBut(b, NOT_COMPARED)) {
      return false;
    }
    JsonNode x = a.at("/metadata");
    JsonNode y = b.at("/metadata");
    for (JsonNode meta : List.of(x, y)) {
      if (meta instanceof ObjectNode m) {
        WriteRules.SERVER_SET.forEach(m::remove);
      }
    }
    return x.equals(y);
  }

  /** The objects with every StatefulSet after the others, otherwise in their order. */
  static List<KubeObject> podsLast(Collection<KubeObject> objects) {
    List<KubeObject> out = new ArrayList<>(objects.size());
    objects.stream().filter(o -> !o.kind().equals("StatefulSet")).forEach(out::add);
    objects.stream().filter(o -> o.kind().equals("StatefulSet")).forEach(out::add);
    return out;
  }

  /** Lost clusters whose overrides a pass deletes once its policy no longer names them. */
  private record Dropped(Set<String> clusters, Set<ObjectRef> templates) {}

  /**
   * Writes the PropagationPolicy naming {@code clusters}, then deletes the overrides of the lost
   * clusters it no longer names: in that order, so that a policy never names a cluster whose
   * overrides are gone.
   */
  private void writePolicy(
      Middleware mw, DesiredState.Rendered rendered, Set<String> clusters, Dropped dropped) {
    if (!dropped.clusters().isEmpty()) {
      hook.before("drop lost " + String.join(",", dropped.clusters()));
    }
    upsert(DesiredState.propagationPolicy(mw, rendered.templates().keySet(), clusters));
    for (String c : dropped.clusters()) {
      hook.before("delete overrides " + c);
      deleteOverrides(mw, c, dropped.templates(), Set.of());
    }
  }

  /**
   * Deletes the generated overrides of {@code cluster} for the {@code known} templates whose names
   * are not in {@code keep}.
   */
  private void deleteOverrides(
      Middleware mw, String cluster, Set<ObjectRef> known, Set<String> keep) {
    String ns = mw.metadata().namespace().orElse("default");
    for (ObjectRef t : known) {
      if (t.kind().equals("Secret")) {
        continue;
      }
      String name = DesiredState.overrideName(t, cluster);
      if (!keep.contains(name)) {
        store.delete(new ObjectRef(ApiVersion.API_VERSION, OverridePolicy.KIND, ns, name));
      }
    }
  }

  /**
   * Cluster → the names of its generated overrides → the revision each carries, for the given
   * clusters and templates (read by name).
   */
  private SortedMap<String, Map<String, String>> generatedOverrides(
      Middleware mw, Set<String> clusters, Set<ObjectRef> templates) {
    String ns = mw.metadata().namespace().orElse("default");
    SortedMap<String, Map<String, String>> out = new TreeMap<>();
    for (String c : clusters) {
      for (ObjectRef t : templates) {
        if (t.kind().equals("Secret")) {
          continue;
        }
        String name = DesiredState.overrideName(t, c);
        overrideRevisions
            .read(
                store,
                new ObjectRef(ApiVersion.API_VERSION, OverridePolicy.KIND, ns, name),
                o -> Optional.of(o.annotations().getOrDefault(DesiredState.REVISION, "")))
            .ifPresent(
                revision -> out.computeIfAbsent(c, k -> new TreeMap<>()).put(name, revision));
      }
    }
    return out;
  }

  private static Set<String> expectedOverrides(DesiredState.Rendered rendered, String cluster) {
    Set<String> out = new TreeSet<>();
    for (ObjectRef r : rendered.templates().keySet()) {
      if (!r.kind().equals("Secret")) {
        out.add(DesiredState.overrideName(r, cluster));
      }
    }
    return out;
  }

  /**
   * The revision a cluster's overrides agree on when every expected one is there, else "" (a crash
   * part-way through writing them, or objects added since): the share is then written again.
   */
  private static String completeRevision(
      DesiredState.Rendered rendered, String cluster, Map<String, String> overrides) {
    Set<String> revisions = new TreeSet<>();
    for (String name : expectedOverrides(rendered, cluster)) {
      String rev = overrides.get(name);
      if (rev == null) {
        return "";
      }
      revisions.add(rev);
    }
    return revisions.size() == 1 ? revisions.iterator().next() : "";
  }

  /** A rollout waiting for a cluster's share to be ready: Propagated and Available false. */
  private Outcome waitingFor(
      KubeObject object,
      MiddlewareStatus status,
      String cluster,
      Map<String, ShareReadiness.Report> reports,
      Instant now) {
    return writeStatus(
        object,
        status
            .withCondition(
                PROPAGATED,
                false,
                "Rolling",
                WAITING_FOR_CLUSTER + cluster + ": " + reports.get(cluster).message(),
                now)
            .withCondition(AVAILABLE, false, "Rolling", "rolling out", now),
        later(),
        "waiting for " + cluster);
  }

  /**
   * Whether rolling {@code cluster} now could take a voter set below quorum: the StatefulSet there
   * restarts its pods one at a time, so it holds while the voters outside that cluster that are
   * ready, plus all but one of the cluster's own, still make a majority of the role's voters.
   */
  private Optional<String> quorumBlocks(
      Middleware mw,
      MiddlewareStatus status,
      Map<String, ShareReadiness.Report> reports,
      String cluster) {
    for (ReplicaRequirement role : mw.spec().replicaRequirements()) {
      if (!mw.spec().type().role(role.role()).map(MiddlewareType.RoleSpec::voter).orElse(false)) {
        continue;
      }
      int total = status.running().total(role.role());
      if (total == 0) {
        continue;
      }
      int quorum = total / 2 + 1;
      int up = 0;
      for (Map.Entry<String, Integer> share : status.running().role(role.role()).entrySet()) {
        String c = share.getKey();
        if (c.equals(cluster)) {
          up += Math.max(0, share.getValue() - 1);
        } else if (reports.containsKey(c) && reports.get(c).state() == ShareReadiness.State.READY) {
          up += share.getValue();
        }
      }
      if (up < quorum) {
        return Optional.of(
            "rolling cluster "
                + cluster
                + " would leave "
                + up
                + " of "
                + total
                + " "
                + role.role()
                + " voters up, below the quorum of "
                + quorum);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the new share of {@code cluster} changes the pod template of a StatefulSet that runs
   * there now, which restarts its pods; growing, shrinking or new peers in a ConfigMap do not.
   */
  private boolean restartsPods(Middleware mw, String cluster, DesiredState.Rendered rendered) {
    String ns = mw.metadata().namespace().orElse("default");
    for (Map.Entry<ObjectRef, KubeObject> e : rendered.shares().get(cluster).entrySet()) {
      if (!e.getKey().kind().equals("StatefulSet")) {
        continue;
      }
      ObjectRef override =
          new ObjectRef(
              ApiVersion.API_VERSION,
              OverridePolicy.KIND,
              ns,
              DesiredState.overrideName(e.getKey(), cluster));
      Optional<String> running =
          runningPodTemplates.read(store, override, o -> Optional.of(runningPodTemplate(o)));
      if (running.isPresent()
          && !running.get().isEmpty()
          && !running.get().equals(podTemplateDigest(e.getValue().at("/spec/template")))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The digest of the pod template a generated StatefulSet override gives its copy when that copy
   * runs pods (more than 0 replicas), else "".
   */
  private static String runningPodTemplate(KubeObject override) {
    for (JsonNode op : override.at("/spec/overrideRules/0/overriders/plaintext")) {
      if (op.path("path").asString("").equals("/spec")
          && op.path("value").path("replicas").asInt(0) > 0) {
        return podTemplateDigest(op.path("value").path("template"));
      }
    }
    return "";
  }

  private static String podTemplateDigest(JsonNode template) {
    return template.isMissingNode() ? "none" : DesiredState.digest(template);
  }

  /** A MemberCluster as read at one version, and the scheduler's view of it. */
  private record Parsed(String resourceVersion, MemberCluster cluster, ClusterSnapshot snapshot) {}

  /** MemberClusters read from the store, each parsed again only when its version moves. */
  private final Map<String, Parsed> parsedClusters = new java.util.concurrent.ConcurrentHashMap<>();

  private Map<String, MemberCluster> memberClusters() {
    Map<String, MemberCluster> out = new TreeMap<>();
    // only the clusters that changed since the last pass are read and parsed again
    for (Map.Entry<ObjectRef, String> e :
        store.versions(ApiVersion.API_VERSION, MemberCluster.KIND, "").entrySet()) {
      String name = e.getKey().name();
      Parsed p = parsedClusters.get(name);
      if (p == null || !p.resourceVersion().equals(e.getValue())) {
        Optional<KubeObject> o = store.get(e.getKey());
        if (o.isEmpty()) {
          continue;
        }
        Optional<MemberCluster> c =
            MemberClusterReader.read(
                    new Manifest("store", o.get().ref().toString(), o.get().json()))
                .value();
        if (c.isEmpty()) {
          continue;
        }
        p = new Parsed(o.get().resourceVersion().orElse(""), c.get(), ClusterSnapshot.of(c.get()));
        parsedClusters.put(name, p);
      }
      out.put(name, p.cluster());
    }
    return out;
  }

  /**
   * The scheduler's view of a member cluster: made once per version read (its capacity is parsed
   * from quantities), not once per pass and cluster.
   */
  private ClusterSnapshot snapshot(MemberCluster c) {
    Parsed p = parsedClusters.get(c.name());
    return p != null && p.cluster() == c ? p.snapshot() : ClusterSnapshot.of(c);
  }

  private boolean ready(MemberCluster c) {
    return c != null
        && snapshot(c).isReady()
        && c.spec().taints().stream()
            .noneMatch(
                t -> t.key().equals(UNREACHABLE_TAINT) && t.effect() == TaintEffect.NoExecute);
  }

  /** Whether a fenced cluster Ready since {@code readySince} may take replicas back now. */
  static boolean mayFailBack(Middleware mw, Instant readySince, Instant now) {
    io.flotilla.api.Failback f = mw.spec().failback();
    return f.policy() == io.flotilla.api.Failback.Policy.WHEN_READY
        && !readySince.plusSeconds(f.readyForSeconds()).isAfter(now);
  }

  private static boolean gains(Placement wanted, Placement running, String cluster) {
    for (Map.Entry<String, SortedMap<String, Integer>> role : wanted.roles().entrySet()) {
      if (role.getValue().getOrDefault(cluster, 0) > running.count(role.getKey(), cluster)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a Ready cluster of the placement carries a NoExecute taint (a drain: {@code flotilla
   * cluster drain}): the scheduler is asked again, and moves the share off unless the spec
   * tolerates the taint (then the placement comes back unchanged and nothing is written).
   */
  private static boolean drained(Placement placement, Map<String, MemberCluster> clusters) {
    for (String c : clusters(placement)) {
      MemberCluster m = clusters.get(c);
      if (m != null
          && m.spec().taints().stream()
              .anyMatch(
                  t -> t.effect() == TaintEffect.NoExecute && !t.key().equals(UNREACHABLE_TAINT))) {
        return true;
      }
    }
    return false;
  }

  private static boolean lostShare(Placement placement, Set<String> lost) {
    return clusters(placement).stream().anyMatch(lost::contains);
  }

  static Set<String> clusters(Placement p) {
    Set<String> out = new TreeSet<>();
    p.roles().values().forEach(m -> out.addAll(m.keySet()));
    return out;
  }

  private static SortedMap<String, Integer> counts(Placement p, String cluster) {
    SortedMap<String, Integer> out = new TreeMap<>();
    p.roles()
        .forEach(
            (role, m) -> {
              if (m.getOrDefault(cluster, 0) > 0) {
                out.put(role, m.get(cluster));
              }
            });
    return out;
  }

  private static Map<String, Integer> replicas(Middleware mw) {
    Map<String, Integer> out = new LinkedHashMap<>();
    mw.spec().replicaRequirements().forEach(r -> out.put(r.role(), r.replicas()));
    return out;
  }

  static String describe(Placement p) {
    List<String> parts = new ArrayList<>();
    p.roles()
        .forEach(
            (role, m) ->
                parts.add(
                    role
                        + " "
                        + m.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(","))));
    return String.join("; ", parts);
  }

  private static String survivability(ScheduleResult r) {
    return r.survivability().entrySet().stream()
        .map(
            e ->
                e.getKey()
                    + ": "
                    + e.getValue().voters()
                    + " voters, quorum "
                    + e.getValue().quorum()
                    + (e.getValue().survivesAnyClusterLoss()
                        ? ", survives the loss of any one cluster"
                        : ", losing "
                            + String.join(" or ", e.getValue().breakingClusters())
                            + " breaks the quorum"))
        .collect(Collectors.joining("; "));
  }
}
