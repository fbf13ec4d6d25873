package io.flotilla.scheduler;

import io.flotilla.api.MiddlewareSpec;
import io.flotilla.api.NameMap;
import io.flotilla.api.Placement;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ReplicaSchedulingType;
import io.flotilla.api.ShardPlacement;
import io.flotilla.scheduler.CandidateLedger.ShardSide;
import io.flotilla.scheduler.quorum.QuorumSurvivability;
import io.flotilla.scheduler.shard.ShardPlanner;
import io.flotilla.scheduler.spread.ClusterCount;
import io.flotilla.scheduler.spread.DuplicatedSpread;
import io.flotilla.scheduler.spread.PinnedSpread;
import io.flotilla.scheduler.spread.RoleProblem;
import io.flotilla.scheduler.spread.ShardBound;
import io.flotilla.scheduler.spread.SpreadResult;
import io.flotilla.scheduler.spread.WeightedSpread;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/** One scheduling decision in progress: the mutable state of {@link Scheduler#schedule}. */
final class SchedulingPass {
  private final MiddlewareSpec spec;
  private final PreviousPlacement previous;
  private final DividedSpread evenSpread;
  private final CandidateLedger ledger;

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
    this.previous = previous;
    this.evenSpread = evenSpread;
    this.ledger = new CandidateLedger(spec, clusters, filters);
  }

  ScheduleResult run() {
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
    return new ScheduleResult(
        scheduled,
        scheduled ? placement.build() : Placement.EMPTY,
        shards,
        unschedulable,
        skewExceeded,
        survivability,
        displaced,
        ledger.filtered(),
        ledger.headroom(),
        warnings);
  }

  /** Places one role, in short steps: where it was, where it may go, its bounds, its spread. */
  private void placeRole(ReplicaRequirement role) {
    String name = role.role();
    SortedMap<String, Integer> before = previous.placement().role(name);
    int[] old = ledger.perCandidate(before);
    SortedMap<String, Integer> gone = ledger.notOnCandidates(before);
    if (!gone.isEmpty()) {
      displaced.put(name, gone);
    }
    int[] idx = usableCandidates(old);
    if (idx.length == 0) {
      fail(name, "", "no candidate cluster for role " + name);
      ledger.notCandidate().forEach((cluster, why) -> fail(name, cluster, why));
      return;
    }
    Optional<String> primary = role.shardOf();
    if (primary.isPresent() && !placed.containsKey(primary.get())) {
      fail(name, "", "its shards' primary role " + primary.get() + " could not be placed");
      return;
    }
    ShardSide sharding = shardSide(role);
    if (!enoughClusters(role, idx.length, before.isEmpty())) {
      return;
    }
    boolean pinned = !spec.pinnedPlacement().role(name).isEmpty();
    RoleProblem problem = ledger.problem(role, idx, old, sharding);
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
      RoleProblem problem = ledger.problem(role, narrowed, old, sharding);
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

  /** The candidates the role may use: all but cordoned ones that do not hold it already. */
  private int[] usableCandidates(int[] old) {
    int[] idx = new int[ledger.size()];
    int usable = 0;
    for (int i = 0; i < ledger.size(); i++) {
      if (!ledger.restricted(i) || old[i] > 0) {
        idx[usable++] = i;
      }
    }
    return Arrays.copyOf(idx, usable);
  }

  /**
   * Shard anti-affinity on the role: as the shards' replicas, bounded by where their primaries
   * went; as the primaries, bounded by the replicas that must stay. Null when the role has no part
   * in shards. A replica role's primary role must already be placed.
   */
  private ShardSide shardSide(ReplicaRequirement role) {
    if (role.shardOf().isPresent()) {
      String primary = role.shardOf().get();
      return new ShardSide(
          spec.role(primary).orElseThrow().replicas(),
          placed.get(primary),
          ShardBound.Side.REPLICAS);
    }
    return shardReplicasOf(role.role())
        .map(
            replicas ->
                new ShardSide(
                    role.replicas(), primaryExclusions(role, replicas), ShardBound.Side.PRIMARIES))
        .orElse(null);
  }

  /**
   * For the primaries' bound, per candidate, how many of the S shards it may not take a primary of.
   * At least the shards' replicas that must stay there (S − R). After a failover that lost
   * primaries, exactly: a cluster may hold the primaries that stay there, and a new primary only of
   * a shard whose replicas that stay are all elsewhere — so that a surviving replica keeps its
   * shard (a RocketMQ broker cannot change its group; a Redis node would have to hand its slots
   * over). Only while the shards stay as many and their replicas do not scale down.
   */
  private int[] primaryExclusions(ReplicaRequirement primaries, ReplicaRequirement replicas) {
    int[] stay = mustStay(replicas);
    List<ShardPlacement> before = previous.shards();
    int shards = primaries.replicas();
    int oldPrimaries =
        previous.placement().role(primaries.role()).values().stream().mapToInt(i -> i).sum();
    int oldReplicas =
        previous.placement().role(replicas.role()).values().stream().mapToInt(i -> i).sum();
    if (before.size() != shards || oldPrimaries != shards || replicas.replicas() < oldReplicas) {
      return stay;
    }
    int n = ledger.size();
    int[] pinned = new int[n];
    List<boolean[]> unpinned = new ArrayList<>();
    for (ShardPlacement s : before) {
      int p = ledger.indexOf(s.primary());
      if (p >= 0) {
        pinned[p]++;
        continue;
      }
      boolean[] staysIn = new boolean[n];
      for (String r : s.replicas()) {
        int c = ledger.indexOf(r);
        if (c >= 0) {
          staysIn[c] = true;
        }
      }
      unpinned.add(staysIn);
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int free = 0;
      for (boolean[] staysIn : unpinned) {
        free += staysIn[i] ? 0 : 1;
      }
      out[i] = Math.max(stay[i], shards - pinned[i] - free);
    }
    return out;
  }

  /**
   * minClusters against the candidates: a new role with fewer fails; a role that already runs goes
   * on with a warning, so that losing clusters never stops its replicas from moving.
   */
  private boolean enoughClusters(ReplicaRequirement role, int candidates, boolean isNew) {
    if (role.minClusters().isEmpty() || candidates >= role.minClusters().getAsInt()) {
      return true;
    }
    String shortfall =
        "role "
            + role.role()
            + " needs at least "
            + role.minClusters().getAsInt()
            + " clusters (minClusters) but has "
            + candidates
            + " candidates";
    if (isNew) {
      fail(role.role(), "", shortfall);
      return false;
    }
    warnings.add(shortfall + "; its replicas are placed on those anyway");
    return true;
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
    int[] old = ledger.perCandidate(previous.placement().role(role.role()));
    long total = Arrays.stream(old).asLongStream().sum();
    return role.replicas() < total ? new int[ledger.size()] : old;
  }

  private SpreadResult spread(ReplicaRequirement role, RoleProblem problem, boolean pinned) {
    if (pinned) {
      return PinnedSpread.place(
          problem, spec.pinnedPlacement().role(role.role()), ledger.notCandidate());
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
    int[] all = new int[ledger.size()];
    for (int k = 0; k < idx.length; k++) {
      all[idx[k]] = counts[k];
    }
    NameMap<Integer> byName = ledger.charge(idx, old, counts, role.resourceRequest().charge());
    placed.put(role.role(), all);
    placedByName.put(role.role(), byName);
    placement.role(role.role(), byName);
  }

  private List<ShardPlacement> shards() {
    for (ReplicaRequirement role : spec.replicaRequirements()) {
      if (role.shard().isPresent()) {
        String primary = role.shardOf().orElseThrow();
        return ShardPlanner.plan(
            spec.role(primary).orElseThrow().replicas(),
            role.shard().getAsInt(),
            ledger.names(),
            placed.get(primary),
            placed.get(role.role()),
            previous.shards());
      }
    }
    return List.of();
  }

  private SortedMap<String, Integer> counts(String role) {
    return placedByName.getOrDefault(role, NameMap.empty());
  }

  private void fail(String role, String cluster, String reason) {
    unschedulable.add(new Unschedulable(role, cluster, reason));
  }
}
