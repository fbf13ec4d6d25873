package io.flotilla.scheduler.shard;

import io.flotilla.api.ShardPlacement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Assigns shards to clusters: each shard's primary, and its replicas in other clusters, matching
 * the role counts the spread chose.
 *
 * <p>With S shards, R replicas per shard, P_c primaries and D_c replicas on cluster c (ΣD = S·R),
 * an assignment exists exactly when D_c + P_c ≤ S for every c; the spread enforces that bound.
 * Shards are then taken in order; each takes R clusters other than its primary's, always including
 * every "tight" cluster (one whose replicas left plus primaries left equal the shards left), which
 * keeps the bound true for the shards that remain, so the process never gets stuck. The rest are
 * the shard's previous replica clusters where possible, so a reschedule moves as little as it can,
 * then the clusters with the most replicas and primaries left, then earlier names. Clusters are
 * kept in buckets by urgency, so each shard costs O(R) updates.
 */
public final class ShardPlanner {
  private ShardPlanner() {}

  /**
   * As {@link #plan(int, int, String[], int[], int[], List)}, with counts by cluster name.
   *
   * @throws IllegalArgumentException when the counts admit no assignment
   */
  public static List<ShardPlacement> plan(
      int shards,
      int perShard,
      Map<String, Integer> primaryCounts,
      Map<String, Integer> replicaCounts,
      List<ShardPlacement> previous) {
    TreeSet<String> all = new TreeSet<>(primaryCounts.keySet());
    all.addAll(replicaCounts.keySet());
    String[] names = all.toArray(String[]::new);
    int[] primaries = new int[names.length];
    int[] replicas = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      primaries[i] = primaryCounts.getOrDefault(names[i], 0);
      replicas[i] = replicaCounts.getOrDefault(names[i], 0);
    }
    return plan(shards, perShard, names, primaries, replicas, previous);
  }

  /**
   * @param shards S, the primary role's replica count
   * @param perShard R, replicas per shard
   * @param names the clusters, sorted by name
   * @param primaryCounts P, per cluster
   * @param replicaCounts D, per cluster
   * @param previous the previous assignment, by shard number (may be empty)
   * @throws IllegalArgumentException when the counts admit no assignment
   */
  public static List<ShardPlacement> plan(
      int shards,
      int perShard,
      String[] names,
      int[] primaryCounts,
      int[] replicaCounts,
      List<ShardPlacement> previous) {
    int n = names.length;
    Map<String, Integer> index = new HashMap<>();
    ShardPlacement[] before = new ShardPlacement[shards];
    if (!previous.isEmpty()) {
      for (int i = 0; i < n; i++) {
        index.put(names[i], i);
      }
      for (ShardPlacement s : previous) {
        if (s.shard() < shards) {
          before[s.shard()] = s;
        }
      }
    }
    int[] rem = replicaCounts.clone();
    int[] primary = primaries(shards, n, index, primaryCounts.clone(), replicaCounts, before);

    // urgency = replicas left + primaries left; clusters with replicas left, most urgent first
    int[] urgency = new int[n];
    boolean[] hasReplicas = new boolean[n];
    for (int i = 0; i < n; i++) {
      urgency[i] = rem[i] + primaryCounts[i];
      hasReplicas[i] = rem[i] > 0;
    }
    UrgencyBuckets open = new UrgencyBuckets(urgency, hasReplicas);
    List<ShardPlacement> out = new ArrayList<>(shards);
    int[] chosen = new int[perShard];
    int[] top = new int[perShard + 1];
    for (int s = 0; s < shards; s++) {
      int p = primary[s];
      int shardsLeft = shards - s;
      // Every tight cluster is among the perShard + 1 most urgent (at most perShard of them
      // besides the primary's), and those are also the fallback, in order.
      int t = open.top(top, perShard + 1);
      int k = 0;
      for (int j = 0; j < t && k < perShard; j++) {
        if (urgency[top[j]] == shardsLeft && top[j] != p) {
          chosen[k++] = top[j]; // tight: it must take a replica of this shard
        }
      }
      ShardPlacement old = before[s];
      if (old != null) {
        for (String name : old.replicas()) {
          Integer c = index.get(name);
          if (k < perShard && c != null && c != p && rem[c] > 0 && !contains(chosen, k, c)) {
            chosen[k++] = c;
          }
        }
      }
      for (int j = 0; j < t && k < perShard; j++) {
        if (top[j] != p && !contains(chosen, k, top[j])) {
          chosen[k++] = top[j];
        }
      }
      if (k < perShard) {
        throw new IllegalArgumentException(
            "no shard assignment: replicas "
                + Arrays.toString(replicaCounts)
                + " with primaries "
                + Arrays.toString(primaryCounts)
                + " over "
                + Arrays.toString(names));
      }
      String[] replicas = new String[perShard];
      for (int j = 0; j < perShard; j++) {
        int c = chosen[j];
        rem[c]--;
        if (rem[c] == 0) {
          open.remove(c);
          urgency[c]--;
        } else {
          open.lower(c);
        }
        replicas[j] = names[c];
      }
      if (rem[p] > 0) {
        open.lower(p);
      } else {
        open.lowerOutside(p);
      }
      if (perShard > 1) {
        Arrays.sort(replicas);
      }
      out.add(new ShardPlacement(s, names[p], List.of(replicas)));
    }
    return out;
  }

  private static boolean contains(int[] chosen, int k, int c) {
    for (int j = 0; j < k; j++) {
      if (chosen[j] == c) {
        return true;
      }
    }
    return false;
  }

  /**
   * Each shard's primary cluster: its previous one while that cluster has primaries left; a shard
   * that needs a new one avoids the clusters where its previous replicas may stay (a surviving
   * replica keeps its shard), the most constrained shards first, then by shard number.
   */
  private static int[] primaries(
      int shards,
      int n,
      Map<String, Integer> index,
      int[] left,
      int[] replicaCounts,
      ShardPlacement[] before) {
    int[] primary = new int[shards];
    Arrays.fill(primary, -1);
    for (int s = 0; s < shards && !index.isEmpty(); s++) {
      ShardPlacement old = before[s];
      Integer c = old == null ? null : index.get(old.primary());
      if (c != null && left[c] > 0) {
        primary[s] = c;
        left[c]--;
      }
    }
    boolean[][] avoid = new boolean[shards][];
    List<Integer> open = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      if (primary[s] >= 0) {
        continue;
      }
      avoid[s] = new boolean[n];
      if (before[s] != null) {
        for (String r : before[s].replicas()) {
          Integer c = index.get(r);
          if (c != null && replicaCounts[c] > 0) {
            avoid[s][c] = true;
          }
        }
      }
      open.add(s);
    }
    int[] avoided = new int[shards];
    for (int s : open) {
      for (boolean a : avoid[s]) {
        avoided[s] += a ? 1 : 0;
      }
    }
    open.sort((a, b) -> avoided[a] != avoided[b] ? avoided[b] - avoided[a] : a - b);
    for (int s : open) {
      int pick = -1;
      for (int c = 0; c < n && pick < 0; c++) {
        if (left[c] > 0 && !avoid[s][c]) {
          pick = c;
        }
      }
      for (int c = 0; c < n && pick < 0; c++) {
        if (left[c] > 0) {
          pick = c;
        }
      }
      if (pick < 0) {
        throw new IllegalArgumentException("primary counts do not add up to " + shards + " shards");
      }
      primary[s] = pick;
      left[pick]--;
    }
    return primary;
  }
}
