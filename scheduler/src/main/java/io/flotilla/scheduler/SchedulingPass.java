package io.flotilla.scheduler;

import io.flotilla.api.MiddlewareSpec;
import io.flotilla.api.Placement;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ReplicaSchedulingType;
import io.flotilla.api.Resources;
import io.flotilla.api.ShardPlacement;
import io.flotilla.scheduler.quorum.QuorumSurvivability;
import io.flotilla.scheduler.shard.ShardPlanner;
import io.flotilla.scheduler.spread.Candidates;
import io.flotilla.scheduler.spread.ClusterCount;
import io.flotilla.scheduler.spread.DuplicatedSpread;
import io.flotilla.scheduler.spread.PinnedSpread;
import io.flotilla.scheduler.spread.RoleProblem;
import io.flotilla.scheduler.spread.SpreadResult;
import io.flotilla.scheduler.spread.WeightedSpread;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** One scheduling decision in progress: the mutable state of {@link Scheduler#schedule}. */
final class SchedulingPass {
  private final MiddlewareSpec spec;
  private final List<ClusterSnapshot> clusters;
  private final PreviousPlacement previous;
  private final List<FilterPlugin> filters;
  private final DividedSpread evenSpread;

  // Candidates (passed or restricted), by index in name order.
  private final List<ClusterSnapshot> candidates = new ArrayList<>();
  private final Set<String> candidateNames = new HashSet<>();
  private final List<Boolean> restricted = new ArrayList<>();
  private long[] freeCpu;
  private long[] freeMemory;
  private long[] allocCpu;
  private long[] allocMemory;

  private final List<FilteredCluster> filtered = new ArrayList<>();

  /** Why each cluster is not a full candidate, for messages. */
  private final Map<String, String> notCandidate = new TreeMap<>();

  private final Map<String, int[]> placed = new HashMap<>();
  private final Placement.Builder placement = Placement.builder();
  private final List<Unschedulable> unschedulable = new ArrayList<>();
  private final Map<String, Integer> skewExceeded = new LinkedHashMap<>();
  private final Map<String, SortedMap<String, Integer>> displaced = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  SchedulingPass(
      MiddlewareSpec spec,
      List<ClusterSnapshot> clusters,
      PreviousPlacement previous,
      List<FilterPlugin> filters,
      DividedSpread evenSpread) {
    this.spec = spec;
    this.clusters = clusters;
    this.previous = previous;
    this.filters = filters;
    this.evenSpread = evenSpread;
  }

  ScheduleResult run() {
    filter();
    for (ReplicaRequirement role : spec.replicaRequirements()) {
      placeRole(role);
    }
    boolean scheduled = unschedulable.isEmpty();
    List<ShardPlacement> shards = scheduled ? shards() : List.of();
    Map<String, Survivability> survivability = new LinkedHashMap<>();
    if (scheduled) {
      for (ReplicaRequirement role : spec.replicaRequirements()) {
        if (role.isVoter(spec.type()) && role.replicas() > 0) {
          survivability.put(role.role(), QuorumSurvivability.evaluate(counts(role.role())));
        }
      }
    }
    SortedMap<String, Double> headroom = new TreeMap<>();
    for (int i = 0; i < candidates.size(); i++) {
      headroom.put(
          candidates.get(i).name(),
          Math.min((double) freeCpu[i] / allocCpu[i], (double) freeMemory[i] / allocMemory[i]));
    }
    return new ScheduleResult(
        scheduled,
        scheduled ? placement.build() : Placement.EMPTY,
        shards,
        unschedulable,
        skewExceeded,
        survivability,
        displaced,
        filtered,
        headroom,
        warnings);
  }

  /** Runs every filter on every cluster; all reasons are kept, not just the first. */
  private void filter() {
    for (ClusterSnapshot c : clusters) {
      boolean rejected = false;
      boolean restrict = false;
      List<String> reasons = new ArrayList<>();
      for (FilterPlugin f : filters) {
        FilterResult r = f.filter(spec, c);
        if (r.passed()) {
          continue;
        }
        boolean keeps = r.verdict() == FilterResult.Verdict.RESTRICT;
        filtered.add(new FilteredCluster(c.name(), f.name(), r.reason(), keeps));
        reasons.add(f.name() + ": " + r.reason());
        rejected |= !keeps;
        restrict |= keeps;
      }
      if (!reasons.isEmpty()) {
        notCandidate.put(c.name(), String.join("; ", reasons));
      }
      if (!rejected) {
        candidates.add(c);
        candidateNames.add(c.name());
        restricted.add(restrict);
      }
    }
    int n = candidates.size();
    freeCpu = new long[n];
    freeMemory = new long[n];
    allocCpu = new long[n];
    allocMemory = new long[n];
    for (int i = 0; i < n; i++) {
      ClusterSnapshot c = candidates.get(i);
      Resources alloc = c.allocatable().orElseThrow();
      allocCpu[i] = alloc.cpuMillis();
      allocMemory[i] = alloc.memoryBytes();
      freeCpu[i] = alloc.cpuMillis() - c.allocated().cpuMillis();
      freeMemory[i] = alloc.memoryBytes() - c.allocated().memoryBytes();
    }
  }

  private void placeRole(ReplicaRequirement role) {
    String name = role.role();
    SortedMap<String, Integer> before = previous.placement().role(name);
    int n = candidates.size();
    int[] old = new int[n];
    for (int i = 0; i < n; i++) {
      old[i] = before.getOrDefault(candidates.get(i).name(), 0);
    }
    recordDisplaced(name, before);

    // A restricted (cordoned) cluster takes part only where it already holds the role.
    List<Integer> usable = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!restricted.get(i) || old[i] > 0) {
        usable.add(i);
      }
    }
    if (usable.isEmpty()) {
      fail(name, "", "no candidate cluster for role " + name);
      notCandidate.forEach((cluster, why) -> fail(name, cluster, why));
      return;
    }

    int shards = 0;
    int[] primariesAll = null;
    if (role.shard().isPresent()) {
      String primary = role.shardOf().orElseThrow();
      primariesAll = placed.get(primary);
      if (primariesAll == null) {
        fail(name, "", "its shards' primary role " + primary + " could not be placed");
        return;
      }
      shards = spec.role(primary).orElseThrow().replicas();
    }

    int[] idx = usable.stream().mapToInt(Integer::intValue).toArray();
    RoleProblem problem = problem(role, idx, old, shards, primariesAll);
    boolean pinned = !spec.pinnedPlacement().role(name).isEmpty();
    if (role.maxClusters().isPresent() && !pinned && idx.length > role.maxClusters().getAsInt()) {
      int max = role.maxClusters().getAsInt();
      int[] kept = ClusterCount.narrow(problem, max);
      if (kept.length > max) {
        warnings.add(
            "role "
                + name
                + " already spans "
                + kept.length
                + " clusters, more than maxClusters "
                + max
                + "; replicas on healthy clusters do not move");
      }
      int[] narrowed = new int[kept.length];
      for (int k = 0; k < kept.length; k++) {
        narrowed[k] = idx[kept[k]];
      }
      idx = narrowed;
      problem = problem(role, idx, old, shards, primariesAll);
    }
    if (role.minClusters().isPresent() && idx.length < role.minClusters().getAsInt()) {
      String shortfall =
          "role "
              + name
              + " needs at least "
              + role.minClusters().getAsInt()
              + " clusters (minClusters) but has "
              + idx.length
              + " candidates";
      if (before.isEmpty()) {
        fail(name, "", shortfall);
        return;
      }
      // The role already runs: losing clusters must not stop its replicas from moving.
      warnings.add(shortfall + "; its replicas are placed on those anyway");
    }
    SpreadResult result = spread(role, problem, pinned);
    if (result instanceof SpreadResult.Failed failed) {
      failed.reasons().forEach(r -> fail(name, r.cluster(), r.text()));
      return;
    }
    SpreadResult.Placed ok = (SpreadResult.Placed) result;
    if (pinned && !checkPinnedSpan(role, ok.counts())) {
      return;
    }
    ok.skewExceeded().ifPresent(s -> skewExceeded.put(name, s));
    commit(role, idx, old, ok.counts());
  }

  private SpreadResult spread(ReplicaRequirement role, RoleProblem problem, boolean pinned) {
    if (pinned) {
      return PinnedSpread.place(problem, spec.pinnedPlacement().role(role.role()), notCandidate);
    }
    if (role.replicaSchedulingType() == ReplicaSchedulingType.Duplicated) {
      return DuplicatedSpread.place(problem);
    }
    if (role.isWeighted()) {
      return WeightedSpread.place(problem);
    }
    return evenSpread.place(problem);
  }

  private boolean checkPinnedSpan(ReplicaRequirement role, int[] counts) {
    int spans = 0;
    for (int v : counts) {
      spans += v > 0 ? 1 : 0;
    }
    if (role.maxClusters().isPresent() && spans > role.maxClusters().getAsInt()) {
      fail(
          role.role(),
          "",
          "pinned placement spans "
              + spans
              + " clusters; maxClusters is "
              + role.maxClusters().getAsInt());
      return false;
    }
    if (role.minClusters().isPresent() && spans < role.minClusters().getAsInt()) {
      fail(
          role.role(),
          "",
          "pinned placement spans "
              + spans
              + " clusters; minClusters is "
              + role.minClusters().getAsInt());
      return false;
    }
    return true;
  }

  /** Records the role's counts and charges what each cluster gains (or frees) against it. */
  private void commit(ReplicaRequirement role, int[] idx, int[] old, int[] counts) {
    Resources request = role.resourceRequest().charge();
    int[] all = new int[candidates.size()];
    Map<String, Integer> byCluster = new TreeMap<>();
    for (int k = 0; k < idx.length; k++) {
      int g = idx[k];
      all[g] = counts[k];
      long delta = (long) counts[k] - old[g];
      freeCpu[g] -= delta * request.cpuMillis();
      freeMemory[g] -= delta * request.memoryBytes();
      if (counts[k] > 0) {
        byCluster.put(candidates.get(g).name(), counts[k]);
      }
    }
    placed.put(role.role(), all);
    placement.role(role.role(), byCluster);
  }

  private RoleProblem problem(
      ReplicaRequirement role, int[] idx, int[] old, int shards, int[] primariesAll) {
    int n = idx.length;
    String[] names = new String[n];
    int[] o = new int[n];
    boolean[] noNew = new boolean[n];
    long[] fc = new long[n];
    long[] fm = new long[n];
    long[] ac = new long[n];
    long[] am = new long[n];
    int[] primaries = shards > 0 ? new int[n] : null;
    for (int k = 0; k < n; k++) {
      int g = idx[k];
      names[k] = candidates.get(g).name();
      o[k] = old[g];
      noNew[k] = restricted.get(g);
      fc[k] = freeCpu[g];
      fm[k] = freeMemory[g];
      ac[k] = allocCpu[g];
      am[k] = allocMemory[g];
      if (primaries != null) {
        primaries[k] = primariesAll[g];
      }
    }
    return new RoleProblem(
        role, new Candidates(names, o, noNew, fc, fm, ac, am), shards, primaries);
  }

  private void recordDisplaced(String role, SortedMap<String, Integer> before) {
    SortedMap<String, Integer> gone = new TreeMap<>();
    before.forEach(
        (cluster, count) -> {
          if (!candidateNames.contains(cluster)) {
            gone.put(cluster, count);
          }
        });
    if (!gone.isEmpty()) {
      displaced.put(role, gone);
    }
  }

  private List<ShardPlacement> shards() {
    for (ReplicaRequirement role : spec.replicaRequirements()) {
      if (role.shard().isPresent()) {
        String primary = role.shardOf().orElseThrow();
        return ShardPlanner.plan(
            spec.role(primary).orElseThrow().replicas(),
            role.shard().getAsInt(),
            counts(primary),
            counts(role.role()),
            previous.shards());
      }
    }
    return List.of();
  }

  private SortedMap<String, Integer> counts(String role) {
    SortedMap<String, Integer> m = new TreeMap<>();
    int[] all = placed.get(role);
    for (int i = 0; i < candidates.size(); i++) {
      if (all != null && all[i] > 0) {
        m.put(candidates.get(i).name(), all[i]);
      }
    }
    return m;
  }

  private void fail(String role, String cluster, String reason) {
    unschedulable.add(new Unschedulable(role, cluster, reason));
  }
}
