package io.flotilla.controller;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.Condition;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.MemberClusterStatus;
import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Placement;
import io.flotilla.api.Problem;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ReplicaSchedulingType;
import io.flotilla.api.Resources;
import io.flotilla.api.Taint;
import io.flotilla.api.TaintEffect;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.MemberClusterReader;
import io.flotilla.api.io.MiddlewareReader;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.PodStatus;
import io.flotilla.middleware.Adapters;
import io.flotilla.middleware.Addressing;
import io.flotilla.middleware.Finding;
import io.flotilla.middleware.Instance;
import io.flotilla.scheduler.ClusterSnapshot;
import io.flotilla.scheduler.PreviousPlacement;
import io.flotilla.scheduler.ScheduleResult;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.server.ControlPlaneView;
import io.flotilla.server.RefusedException;
import io.flotilla.server.Relocation;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The control plane's views and hand-made moves, from the live state (docs/api.md gives the
 * shapes): the global view of every instance of every Middleware; the failure-drill what-if, which
 * asks the scheduler's failover mode what losing a cluster would do and changes nothing; and the
 * relocation of instances between clusters, which the scheduler checks before it is written as the
 * Middleware's pinned placement.
 */
public final class ControllerView implements ControlPlaneView {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Tries of the relocation's read-check-write before a conflict is reported. */
  static final int RELOCATE_TRIES = 5;

  private final ObjectStore store;
  private final Scheduler scheduler;
  private final Addressing addressing;
  private final Function<String, Optional<Member>> members;
  private final Clock clock;

  public ControllerView(
      ObjectStore store,
      Scheduler scheduler,
      Addressing addressing,
      Function<String, Optional<Member>> members,
      Clock clock) {
    this.store = store;
    this.scheduler = scheduler;
    this.addressing = addressing;
    this.members = members;
    this.clock = clock;
  }

  private record Placed(Middleware mw, MiddlewareStatus status) {}

  private List<Placed> middlewares() {
    List<Placed> out = new ArrayList<>();
    for (KubeObject o : store.list(ApiVersion.API_VERSION, Middleware.KIND, "")) {
      MiddlewareReader.read(new Manifest("store", o.ref().toString(), o.json()))
          .value()
          .ifPresent(mw -> out.add(new Placed(mw, MiddlewareStatus.fromJson(o.at("/status")))));
    }
    return out;
  }

  private Map<String, MemberCluster> clusters() {
    Map<String, MemberCluster> out = new TreeMap<>();
    for (KubeObject o : store.list(ApiVersion.API_VERSION, MemberCluster.KIND, "")) {
      MemberClusterReader.read(new Manifest("store", o.ref().toString(), o.json()))
          .value()
          .ifPresent(c -> out.put(c.name(), c));
    }
    return out;
  }

  /** Instances by the ids the status records; each one's readiness from its pod. */
  @Override
  public JsonNode globalView() {
    ObjectNode out = F.objectNode();
    ArrayNode mws = out.putArray("middlewares");
    Map<String, Map<String, Boolean>> podsReady = new HashMap<>();
    for (Placed p : middlewares()) {
      Middleware mw = p.mw();
      ObjectNode m =
          mws.addObject()
              .put("namespace", namespace(mw))
              .put("name", mw.name())
              .put("type", mw.spec().type().id());
      ArrayNode instances = m.putArray("instances");
      int port = clientPort(mw);
      for (ReplicaRequirement role : mw.spec().replicaRequirements()) {
        List<Instance> list = new ArrayList<>();
        p.status()
            .placement()
            .role(role.role())
            .forEach(
                (cluster, count) -> {
                  int base = p.status().ids().block(role.role(), cluster).start();
                  for (int k = 0; k < count; k++) {
                    list.add(new Instance(role.role(), cluster, base + k));
                  }
                });
        list.sort((a, b) -> Integer.compare(a.id(), b.id()));
        for (Instance i : list) {
          String pod = i.podName(mw.name());
          Map<String, Boolean> ready =
              podsReady.computeIfAbsent(
                  i.cluster() + "/" + namespace(mw) + "/" + mw.name(),
                  k -> readyPods(i.cluster(), namespace(mw), mw.name()));
          instances
              .addObject()
              .put("role", i.role())
              .put("cluster", i.cluster())
              .put("id", i.id())
              .put("pod", pod)
              .put("address", port > 0 ? addressing.host(mw, i) + ":" + port : "")
              .put("ready", ready.getOrDefault(pod, false));
        }
      }
    }
    ArrayNode cs = out.putArray("clusters");
    Instant now = clock.instant();
    for (MemberCluster c : clusters().values()) {
      Optional<Condition> ready = c.status().condition(MemberClusterStatus.READY);
      ObjectNode n =
          cs.addObject()
              .put("name", c.name())
              .put("ready", ready.map(Condition::isTrue).orElse(false));
      Optional<Instant> beat = ready.flatMap(Condition::lastHeartbeatTime);
      if (beat.isPresent()) {
        n.put("heartbeatAgeSeconds", Math.max(0, Duration.between(beat.get(), now).toSeconds()));
      } else {
        n.putNull("heartbeatAgeSeconds");
      }
    }
    return out;
  }

  private Map<String, Boolean> readyPods(String cluster, String namespace, String name) {
    Map<String, Boolean> out = new HashMap<>();
    Optional<Member> m = members.apply(cluster);
    if (m.isEmpty()) {
      return out;
    }
    try {
      for (PodStatus pod : m.get().pods(namespace, Map.of("app.kubernetes.io/instance", name))) {
        out.put(pod.name(), pod.ready());
      }
    } catch (MemberException e) {
      // unreachable: its instances read as not ready
    }
    return out;
  }

  /** The first port of the Middleware's headless Service, as generated. */
  private int clientPort(Middleware mw) {
    return store
        .get(new ObjectRef("v1", "Service", namespace(mw), mw.name()))
        .map(s -> s.at("/spec/ports/0/port").asInt(0))
        .orElse(0);
  }

  private static String namespace(Middleware mw) {
    return mw.metadata().namespace().orElse("default");
  }

  /**
   * What losing {@code cluster} would do: for every Middleware with a share there, the instances
   * lost, where the scheduler's failover mode would put them, whether each voter role keeps its
   * quorum meanwhile, and the capacity left on the remaining Ready clusters.
   *
   * @throws NoSuchElementException when there is no such member cluster
   */
  @Override
  public JsonNode drill(String cluster) {
    Map<String, MemberCluster> clusters = clusters();
    if (!clusters.containsKey(cluster)) {
      throw new NoSuchElementException("no member cluster " + cluster);
    }
    List<ClusterSnapshot> snapshots = new ArrayList<>();
    Map<String, Resources> free = new TreeMap<>();
    for (MemberCluster c : clusters.values()) {
      ClusterSnapshot s = ClusterSnapshot.of(c);
      if (c.name().equals(cluster)) {
        List<Taint> taints = new ArrayList<>(s.taints());
        taints.add(new Taint(MiddlewareReconciler.UNREACHABLE_TAINT, "", TaintEffect.NoExecute));
        s =
            new ClusterSnapshot(
                s.name(), s.labels(), taints, Optional.empty(), s.allocatable(), s.allocated());
      } else if (s.isReady() && s.allocatable().isPresent()) {
        free.put(c.name(), s.allocatable().get().minus(s.allocated()));
      }
      snapshots.add(s);
    }
    ObjectNode out = F.objectNode().put("cluster", cluster);
    ArrayNode mws = out.putArray("middlewares");
    for (Placed p : middlewares()) {
      Placement placement = p.status().placement();
      if (MiddlewareReconciler.clusters(placement).stream().noneMatch(cluster::equals)) {
        continue;
      }
      Middleware mw = p.mw();
      ObjectNode m = mws.addObject().put("namespace", namespace(mw)).put("name", mw.name());
      ArrayNode lost = m.putArray("lostInstances");
      for (ReplicaRequirement role : mw.spec().replicaRequirements()) {
        int count = placement.count(role.role(), cluster);
        if (count > 0) {
          int base = p.status().ids().block(role.role(), cluster).start();
          for (int k = 0; k < count; k++) {
            lost.addObject().put("role", role.role()).put("id", base + k);
          }
        }
      }
      ScheduleResult r =
          scheduler.schedule(
              mw.spec(), snapshots, new PreviousPlacement(placement, p.status().shards()));
      ArrayNode moves = m.putArray("moves");
      if (r.scheduled()) {
        for (ReplicaRequirement role : mw.spec().replicaRequirements()) {
          Resources each = role.resourceRequest().charge();
          for (Map.Entry<String, Integer> e : r.placement().role(role.role()).entrySet()) {
            int added = e.getValue() - placement.count(role.role(), e.getKey());
            if (added > 0 && !e.getKey().equals(cluster)) {
              moves
                  .addObject()
                  .put("role", role.role())
                  .put("from", cluster)
                  .put("to", e.getKey())
                  .put("count", added);
              free.computeIfPresent(e.getKey(), (k, v) -> v.minus(each.times(added)));
            }
          }
        }
      }
      ArrayNode voters = m.putArray("voters");
      for (ReplicaRequirement role : mw.spec().replicaRequirements()) {
        boolean voter =
            mw.spec().type().role(role.role()).map(MiddlewareType.RoleSpec::voter).orElse(false);
        int before = placement.total(role.role());
        if (!voter || before == 0) {
          continue;
        }
        int after = before - placement.count(role.role(), cluster);
        int quorum = before / 2 + 1;
        voters
            .addObject()
            .put("role", role.role())
            .put("before", before)
            .put("after", after)
            .put("quorum", quorum)
            .put("keepsQuorum", after >= quorum);
      }
      m.put("schedulable", r.scheduled());
      m.put(
          "reason",
          r.scheduled()
              ? ""
              : r.unschedulable().stream().map(Object::toString).collect(Collectors.joining("; ")));
    }
    ArrayNode capacity = out.putArray("capacityAfter");
    free.forEach(
        (c, res) ->
            capacity
                .addObject()
                .put("cluster", c)
                .put("cpuFree", Resources.formatCpu(res.cpuMillis()))
                .put("memoryFree", Resources.formatMemory(res.memoryBytes())));
    return out;
  }

  /**
   * Moves instances of one role between clusters by pinning the role's placement: from {@code
   * status.placement}, the counts after the move, checked against the type's rules and by the
   * scheduler with the inputs the controller would use on its next pass (the live member clusters,
   * the clusters fenced and not yet allowed back, the previous placement and shards); written,
   * unless {@code dryRun}, as {@code spec.pinnedPlacement} with the stored resourceVersion, read
   * again and checked again on a conflict. Other roles' pins are kept.
   */
  @Override
  public JsonNode relocate(String namespace, String name, Relocation move, boolean dryRun) {
    ObjectRef ref = new ObjectRef(ApiVersion.API_VERSION, Middleware.KIND, namespace, name);
    String what = "Middleware " + namespace + "/" + name;
    for (int attempt = 1; ; attempt++) {
      KubeObject object =
          store.get(ref).orElseThrow(() -> new NoSuchElementException(what + " not found"));
      if (object.deletionTimestamp().isPresent()) {
        throw new RefusedException(
            what + " is being deleted: nothing to move",
            List.of(
                new Problem(
                    "metadata", "being deleted since " + object.deletionTimestamp().get())));
      }
      Middleware mw = decode(object, what, "spec");
      ReplicaRequirement role =
          mw.spec()
              .role(move.role())
              .orElseThrow(
                  () ->
                      new NoSuchElementException(
                          what
                              + " has no role "
                              + move.role()
                              + "; its roles: "
                              + mw.spec().replicaRequirements().stream()
                                  .map(ReplicaRequirement::role)
                                  .toList()));
      Map<String, MemberCluster> clusters = clusters();
      for (String c : List.of(move.from(), move.to())) {
        if (!clusters.containsKey(c)) {
          throw new NoSuchElementException(
              "MemberCluster " + c + " not found; the member clusters: " + clusters.keySet());
        }
      }
      MiddlewareStatus status = MiddlewareStatus.fromJson(object.at("/status"));
      SortedMap<String, Integer> counts = movedCounts(what, role, status.placement(), move);
      ObjectNode pinned = F.objectNode();
      for (ReplicaRequirement r : mw.spec().replicaRequirements()) {
        SortedMap<String, Integer> c =
            r.role().equals(move.role()) ? counts : mw.spec().pinnedPlacement().role(r.role());
        if (!c.isEmpty()) {
          ObjectNode n = pinned.putObject(r.role());
          c.forEach(n::put);
        }
      }
      KubeObject next =
          object.edit(n -> ((ObjectNode) n.get("spec")).set("pinnedPlacement", pinned.deepCopy()));
      Middleware moved = decode(next, what, "the pinned placement after the move");
      ScheduleResult r =
          scheduler.schedule(
              moved.spec(),
              snapshots(mw, status, clusters.values()),
              new PreviousPlacement(status.placement(), status.shards()));
      if (!r.scheduled()) {
        List<Problem> problems = new ArrayList<>();
        for (io.flotilla.scheduler.Unschedulable u : r.unschedulable()) {
          String field =
              u.cluster().equals(move.to())
                  ? "to"
                  : u.cluster().equals(move.from()) ? "from" : "role";
          String where = u.cluster().isEmpty() ? "" : ", cluster " + u.cluster();
          problems.add(new Problem(field, "role " + u.role() + where + ": " + u.reason()));
        }
        throw new RefusedException(
            "the scheduler would not accept moving "
                + move.count()
                + " "
                + move.role()
                + " of "
                + what
                + " from "
                + move.from()
                + " to "
                + move.to()
                + ": "
                + problems.size()
                + (problems.size() == 1 ? " reason" : " reasons"),
            problems);
      }
      long generation = object.generation();
      if (!dryRun) {
        try {
          generation = store.update(next).generation();
        } catch (StoreException e) {
          if (e.reason() != StoreException.Reason.CONFLICT) {
            throw e;
          }
          if (attempt < RELOCATE_TRIES) {
            continue; // written in between (its status, say): read, move and check again
          }
          throw new ConcurrentModificationException(
              what + " kept changing: " + RELOCATE_TRIES + " tries met a newer version; try again");
        }
      }
      ObjectNode out =
          F.objectNode()
              .put("namespace", namespace)
              .put("name", name)
              .put("role", move.role())
              .put("from", move.from())
              .put("to", move.to())
              .put("count", move.count())
              .put("dryRun", dryRun);
      out.set("placement", placementJson(mw, status.placement()));
      out.set("pinnedPlacement", pinned);
      ObjectNode skew = out.putObject("skewExceeded");
      r.skewExceeded().forEach(skew::put);
      ObjectNode survives = out.putObject("survivability");
      r.survivability()
          .forEach(
              (voterRole, v) -> {
                ObjectNode n =
                    survives
                        .putObject(voterRole)
                        .put("survivesAnyClusterLoss", v.survivesAnyClusterLoss())
                        .put("voters", v.voters())
                        .put("quorum", v.quorum());
                ArrayNode breaking = n.putArray("breakingClusters");
                v.breakingClusters().forEach(breaking::add);
              });
      ArrayNode warnings = out.putArray("warnings");
      r.warnings().forEach(warnings::add);
      out.put("generation", generation);
      return out;
    }
  }

  /** The role's counts after the move, refused when the move does not fit the placement. */
  private static SortedMap<String, Integer> movedCounts(
      String what, ReplicaRequirement role, Placement placement, Relocation move) {
    if (role.replicaSchedulingType() == ReplicaSchedulingType.Duplicated) {
      throw refused(
          "role",
          "role "
              + role.role()
              + " of "
              + what
              + " is Duplicated: it runs in every cluster and cannot be moved");
    }
    if (placement.total(role.role()) == 0) {
      throw refused(
          "role",
          what + " has no placement for role " + role.role() + " yet: wait until it is scheduled");
    }
    int there = placement.count(role.role(), move.from());
    if (there < move.count()) {
      throw refused(
          "count",
          move.from()
              + " runs "
              + there
              + " "
              + role.role()
              + (there == 1 ? " instance" : " instances")
              + " of "
              + what
              + ", fewer than the "
              + move.count()
              + " to move");
    }
    SortedMap<String, Integer> counts = new TreeMap<>(placement.role(role.role()));
    counts.merge(move.from(), -move.count(), Integer::sum);
    counts.merge(move.to(), move.count(), Integer::sum);
    counts.values().removeIf(n -> n == 0);
    return counts;
  }

  private static RefusedException refused(String field, String message) {
    return new RefusedException(field + ": " + message, List.of(new Problem(field, message)));
  }

  /**
   * The stored Middleware, or its problems as a refusal, its type's rules included (a move cannot
   * mend an invalid spec, which the controller would not roll out).
   */
  private static Middleware decode(KubeObject object, String what, String about) {
    Decoded<Middleware> d =
        MiddlewareReader.read(new Manifest("store", object.ref().toString(), object.json()));
    if (d.value().isEmpty()) {
      throw new RefusedException(
          what + " is invalid (" + about + "): " + d.problems().size() + " problems", d.problems());
    }
    List<Problem> broken =
        Adapters.check(d.value().get()).stream()
            .filter(f -> f.severity() == Finding.Severity.ERROR)
            .map(f -> new Problem(f.path(), f.message()))
            .toList();
    if (!broken.isEmpty()) {
      throw new RefusedException(
          what
              + " breaks the rules of its type ("
              + about
              + "): "
              + broken.size()
              + (broken.size() == 1 ? " problem" : " problems"),
          broken);
    }
    return d.value().get();
  }

  /**
   * The member clusters as the controller's next pass sees them: a cluster this Middleware was
   * fenced from is closed to it until it may fail back (as {@link MiddlewareReconciler} does).
   */
  private List<ClusterSnapshot> snapshots(
      Middleware mw, MiddlewareStatus status, java.util.Collection<MemberCluster> clusters) {
    Instant now = clock.instant();
    List<ClusterSnapshot> out = new ArrayList<>();
    for (MemberCluster c : clusters) {
      ClusterSnapshot s = ClusterSnapshot.of(c);
      Instant fencedSince = status.fenced().get(c.name());
      if (fencedSince != null && !MiddlewareReconciler.mayFailBack(mw, fencedSince, now)) {
        List<Taint> taints = new ArrayList<>(s.taints());
        taints.add(new Taint(MiddlewareReconciler.FENCED_TAINT, "", TaintEffect.NoSchedule));
        s =
            new ClusterSnapshot(
                s.name(), s.labels(), taints, s.ready(), s.allocatable(), s.allocated());
      }
      out.add(s);
    }
    return out;
  }

  /** A placement as {@code {role: {cluster: count}}}, roles in spec order. */
  private static ObjectNode placementJson(Middleware mw, Placement p) {
    ObjectNode out = F.objectNode();
    for (ReplicaRequirement r : mw.spec().replicaRequirements()) {
      if (!p.role(r.role()).isEmpty()) {
        ObjectNode n = out.putObject(r.role());
        p.role(r.role()).forEach(n::put);
      }
    }
    return out;
  }
}
