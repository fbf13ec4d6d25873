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
import io.flotilla.scheduler.spread.ShardBound;
import io.flotilla.scheduler.spread.SpreadResult;
import io.flotilla.scheduler.spread.WeightedSpread;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private final Map<String, Integer> candidateIndex = new HashMap<>();
  private final List<Boolean> restricted = new ArrayList<>();
  private long[] freeCpu;
  private long[] freeMemory;
  private long[] allocCpu;
  private long[] allocMemory;

  private final List<FilteredCluster> filtered = new ArrayList<>();

  /** Why each cluster is not a full candidate, for messages. */
  private final Map<String, String> notCandidate = new TreeMap<>();

  private final Map<String, int[]> placed = new HashMap<>();

  /** Each placed role's counts by cluster name, counts above zero only. */
  private final Map<String, SortedMap<String, Integer>> placedByName = new HashMap<>();

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
        candidateIndex.put(c.name(), candidates.size());
        candidates.add(c);
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
    before.forEach(
        (cluster, count) -> {
          Integer i = candidateIndex.get(cluster);
          if (i != null) {
            old[i] = count;
          }
        });
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

    int[] shardOthers = null;
    ShardBound.Side side = null;
    int shards = 0;
    if (role.shard().isPresent()) {
      String primary = role.shardOf().orElseThrow();
      shardOthers = placed.get(primary);
      if (shardOthers == null) {
        fail(name, "", "its shards' primary role " + primary + " could not be placed");
        return;
      }
      shards = spec.role(primary).orElseThrow().replicas();
      side = ShardBound.Side.REPLICAS;
    } else {
      Optional<ReplicaRequirement> replicas = shardReplicasOf(name);
      if (replicas.isPresent()) {
        // Leave room for the shards' replicas that must stay where they are.
        shardOthers = mustStay(replicas.get());
        shards = role.replicas();
        side = ShardBound.Side.PRIMARIES;
      }
    }
    ShardSide sharding = side == null ? null : new ShardSide(shards, shardOthers, side);

    int[] idx = usable.stream().mapToInt(Integer::intValue).toArray();
    boolean pinned = !spec.pinnedPlacement().role(name).isEmpty();
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
    RoleProblem problem = problem(role, idx, old, sharding);
    SpreadResult result;
    if (role.maxClusters().isPresent() && !pinned && idx.length > role.maxClusters().getAsInt()) {
      Narrowed narrowed = narrow(role, problem, idx, old, sharding);
      idx = narrowed.idx();
      problem = narrowed.problem();
      result = narrowed.result();
    } else {
      result = spread(role, problem, pinned);
    }
    if (result instanceof SpreadResult.Failed failed) {
      failed.reasons().forEach(r -> fail(name, r.cluster(), r.text()));
      return;
    }
    SpreadResult.Placed ok = (SpreadResult.Placed) result;
    if (pinned && !checkPinnedSpan(role, ok.counts())) {
      return;
    }
    if (problem.minSpanRelaxed() && idx.length >= role.minClusters().orElse(0)) {
      warnings.add(
          "role "
              + name
              + " spans "
              + problem.minSpan()
              + " clusters, fewer than minClusters "
              + role.minClusters().getAsInt()
              + ": its replicas do not move to spread wider");
    }
    ok.skewExceeded().ifPresent(s -> skewExceeded.put(name, s));
    commit(role, idx, old, ok.counts());
  }

  /** The shard side of a role, over all candidates (narrowed to the role's own per problem). */
  private record ShardSide(int shards, int[] othersAll, ShardBound.Side side) {}

  private record Narrowed(int[] idx, RoleProblem problem, SpreadResult result) {}

  /**
   * maxClusters: the widest set of at most maxClusters candidates that holds the role, trying
   * maxClusters clusters first, then one fewer, and so on (see {@link ClusterCount}).
   */
  private Narrowed narrow(
      ReplicaRequirement role, RoleProblem full, int[] idx, int[] old, ShardSide sharding) {
    int max = role.maxClusters().getAsInt();
    int[] order = ClusterCount.rank(full);
    int holding = ClusterCount.holding(full);
    if (holding > max) {
      warnings.add(
          "role "
              + role.role()
              + " already spans "
              + holding
              + " clusters, more than maxClusters "
              + max
              + "; replicas on healthy clusters do not move");
    }
    int widest = Math.max(max, holding);
    int narrowest = Math.max(Math.max(1, holding), role.minClusters().orElse(1));
    Narrowed first = null;
    for (int size = widest; size >= Math.min(narrowest, widest); size--) {
      int[] kept = java.util.Arrays.copyOf(order, size);
      java.util.Arrays.sort(kept);
      int[] narrowed = new int[size];
      for (int k = 0; k < size; k++) {
        narrowed[k] = idx[kept[k]];
      }
      RoleProblem problem = problem(role, narrowed, old, sharding);
      SpreadResult result = spread(role, problem, false);
      Narrowed attempt = new Narrowed(narrowed, problem, result);
      if (result instanceof SpreadResult.Placed) {
        return attempt;
      }
      if (first == null) {
        first = attempt; // the widest attempt's reasons are the ones reported
      }
    }
    return first;
  }

  /** The role holding the replicas of the shards whose primaries are {@code primary}, if any. */
  private Optional<ReplicaRequirement> shardReplicasOf(String primary) {
    return spec.replicaRequirements().stream()
        .filter(r -> r.shardOf().filter(primary::equals).isPresent())
        .findFirst();
  }

  /**
   * Per candidate, the replicas of {@code role} that must stay there: its previous counts on
   * healthy clusters, unless it is scaling down (then none must stay).
   */
  private int[] mustStay(ReplicaRequirement role) {
    int[] old = new int[candidates.size()];
    long total = 0;
    for (Map.Entry<String, Integer> e : previous.placement().role(role.role()).entrySet()) {
      Integer i = candidateIndex.get(e.getKey());
      if (i != null) {
        old[i] = e.getValue();
        total += e.getValue();
      }
    }
    return role.replicas() < total ? new int[candidates.size()] : old;
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
    SortedMap<String, Integer> byCluster = new TreeMap<>();
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
    placedByName.put(role.role(), byCluster);
    placement.role(role.role(), byCluster);
  }

  private RoleProblem problem(ReplicaRequirement role, int[] idx, int[] old, ShardSide sharding) {
    int n = idx.length;
    String[] names = new String[n];
    int[] o = new int[n];
    boolean[] noNew = new boolean[n];
    long[] fc = new long[n];
    long[] fm = new long[n];
    long[] ac = new long[n];
    long[] am = new long[n];
    int[] others = sharding == null ? null : new int[n];
    for (int k = 0; k < n; k++) {
      int g = idx[k];
      names[k] = candidates.get(g).name();
      o[k] = old[g];
      noNew[k] = restricted.get(g);
      fc[k] = freeCpu[g];
      fm[k] = freeMemory[g];
      ac[k] = allocCpu[g];
      am[k] = allocMemory[g];
      if (others != null) {
        others[k] = sharding.othersAll()[g];
      }
    }
    Candidates c = new Candidates(names, o, noNew, fc, fm, ac, am);
    return sharding == null
        ? new RoleProblem(role, c)
        : new RoleProblem(role, c, new ShardBound(sharding.shards(), others, sharding.side()));
  }

  private void recordDisplaced(String role, SortedMap<String, Integer> before) {
    SortedMap<String, Integer> gone = new TreeMap<>();
    before.forEach(
        (cluster, count) -> {
          if (!candidateIndex.containsKey(cluster)) {
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
    return placedByName.getOrDefault(role, new TreeMap<>());
  }

  private void fail(String role, String cluster, String reason) {
    unschedulable.add(new Unschedulable(role, cluster, reason));
  }
}
