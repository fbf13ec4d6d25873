package io.flotilla.scheduler;

import io.flotilla.api.MiddlewareSpec;
import io.flotilla.api.NameMap;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.Resources;
import io.flotilla.scheduler.spread.Candidates;
import io.flotilla.scheduler.spread.RoleProblem;
import io.flotilla.scheduler.spread.ShardBound;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The clusters one decision may use, after the filters, with their resources as roles take them:
 * the candidates in name order (index i is the i-th name), which are restricted (cordoned), and
 * each one's allocatable and free cpu and memory. What a role takes is charged here before the next
 * role is placed.
 */
final class CandidateLedger {
  private final List<ClusterSnapshot> candidates = new ArrayList<>();
  private final Map<String, Integer> index = new HashMap<>();
  private final List<FilteredCluster> filtered = new ArrayList<>();
  private final SortedMap<String, String> notCandidate = new TreeMap<>();
  private final boolean[] restricted;
  private final long[] freeCpu;
  private final long[] freeMemory;
  private final long[] allocCpu;
  private final long[] allocMemory;

  /** Runs every filter on every cluster (sorted by name); all reasons are kept. */
  CandidateLedger(MiddlewareSpec spec, List<ClusterSnapshot> clusters, List<FilterPlugin> filters) {
    List<Boolean> restrict = new ArrayList<>();
    for (ClusterSnapshot c : clusters) {
      boolean rejected = false;
      boolean keeps = false;
      List<String> reasons = new ArrayList<>();
      for (FilterPlugin f : filters) {
        FilterResult r = f.filter(spec, c);
        if (r.passed()) {
          continue;
        }
        boolean restricts = r.verdict() == FilterResult.Verdict.RESTRICT;
        filtered.add(new FilteredCluster(c.name(), f.name(), r.reason(), restricts));
        reasons.add(f.name() + ": " + r.reason());
        rejected |= !restricts;
        keeps |= restricts;
      }
      if (!reasons.isEmpty()) {
        notCandidate.put(c.name(), String.join("; ", reasons));
      }
      if (!rejected) {
        index.put(c.name(), candidates.size());
        candidates.add(c);
        restrict.add(keeps);
      }
    }
    int n = candidates.size();
    restricted = new boolean[n];
    freeCpu = new long[n];
    freeMemory = new long[n];
    allocCpu = new long[n];
    allocMemory = new long[n];
    for (int i = 0; i < n; i++) {
      ClusterSnapshot c = candidates.get(i);
      Resources alloc = c.allocatable().orElseThrow();
      restricted[i] = restrict.get(i);
      allocCpu[i] = alloc.cpuMillis();
      allocMemory[i] = alloc.memoryBytes();
      freeCpu[i] = alloc.cpuMillis() - c.allocated().cpuMillis();
      freeMemory[i] = alloc.memoryBytes() - c.allocated().memoryBytes();
    }
  }

  int size() {
    return candidates.size();
  }

  String name(int i) {
    return candidates.get(i).name();
  }

  /** The index of a candidate by name, or -1 when the cluster is not a candidate. */
  int indexOf(String cluster) {
    return index.getOrDefault(cluster, -1);
  }

  String[] names() {
    return candidates.stream().map(ClusterSnapshot::name).toArray(String[]::new);
  }

  /** True when cluster i keeps what it holds but gets nothing more. */
  boolean restricted(int i) {
    return restricted[i];
  }

  List<FilteredCluster> filtered() {
    return filtered;
  }

  /** Why each cluster that is not a full candidate is not, by name. */
  SortedMap<String, String> notCandidate() {
    return notCandidate;
  }

  /** Counts by cluster name as counts per candidate; clusters that are not candidates drop out. */
  int[] perCandidate(Map<String, Integer> counts) {
    int[] out = new int[size()];
    counts.forEach(
        (cluster, count) -> {
          Integer i = index.get(cluster);
          if (i != null) {
            out[i] = count;
          }
        });
    return out;
  }

  /** The counts on clusters that are not candidates: replicas that must move. */
  SortedMap<String, Integer> notOnCandidates(Map<String, Integer> counts) {
    SortedMap<String, Integer> gone = new TreeMap<>();
    counts.forEach(
        (cluster, count) -> {
          if (!index.containsKey(cluster)) {
            gone.put(cluster, count);
          }
        });
    return gone;
  }

  /**
   * The role's problem over the candidates {@code idx} (ascending), with its previous counts {@code
   * old} (per candidate) and shard side, on the resources as they stand now.
   */
  RoleProblem problem(ReplicaRequirement role, int[] idx, int[] old, ShardSide sharding) {
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
      names[k] = name(g);
      o[k] = old[g];
      noNew[k] = restricted[g];
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

  /**
   * Charges a placed role: each candidate idx[k] goes from old[idx[k]] to counts[k] replicas of
   * {@code request}. Returns the counts above zero by name.
   */
  NameMap<Integer> charge(int[] idx, int[] old, int[] counts, Resources request) {
    NameMap.Builder<Integer> byName = new NameMap.Builder<>(idx.length);
    for (int k = 0; k < idx.length; k++) {
      int g = idx[k];
      long delta = (long) counts[k] - old[g];
      freeCpu[g] -= delta * request.cpuMillis();
      freeMemory[g] -= delta * request.memoryBytes();
      if (counts[k] > 0) {
        byName.put(name(g), counts[k]); // idx ascends, so names do
      }
    }
    return byName.build();
  }

  /** Each candidate's headroom now, for display. */
  NameMap<Double> headroom() {
    NameMap.Builder<Double> out = new NameMap.Builder<>(size());
    for (int i = 0; i < size(); i++) {
      out.put(
          name(i),
          Math.min((double) freeCpu[i] / allocCpu[i], (double) freeMemory[i] / allocMemory[i]));
    }
    return out.build();
  }

  /** The shard side of a role over all candidates: S and, per candidate, the other side's count. */
  record ShardSide(int shards, int[] othersAll, ShardBound.Side side) {}
}
