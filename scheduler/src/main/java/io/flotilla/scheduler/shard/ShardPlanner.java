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
 * then the clusters with the most replicas and primaries left, then earlier names. Each shard costs
 * O(R log N).
 */
public final class ShardPlanner {
  private ShardPlanner() {}

  /**
   * @param shards S, the primary role's replica count
   * @param perShard R, replicas per shard
   * @param primaryCounts P, by cluster
   * @param replicaCounts D, by cluster
   * @param previous the previous assignment, by shard number (may be empty)
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
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      index.put(names[i], i);
    }
    int n = names.length;
    int[] rem = new int[n];
    int[] primariesLeft = new int[n];
    for (int i = 0; i < n; i++) {
      rem[i] = replicaCounts.getOrDefault(names[i], 0);
      primariesLeft[i] = primaryCounts.getOrDefault(names[i], 0);
    }
    Map<Integer, ShardPlacement> before = new HashMap<>();
    previous.forEach(s -> before.put(s.shard(), s));
    int[] primary = primaries(shards, names, index, primariesLeft.clone(), before);

    // urgency = replicas left + primaries left; clusters with replicas left, most urgent first
    int[] urgency = new int[n];
    boolean[] hasReplicas = new boolean[n];
    for (int i = 0; i < n; i++) {
      urgency[i] = rem[i] + primariesLeft[i];
      hasReplicas[i] = rem[i] > 0;
    }
    UrgencyQueue open = new UrgencyQueue(urgency, hasReplicas);
    List<ShardPlacement> out = new ArrayList<>(shards);
    int[] chosen = new int[perShard];
    int[] taken = new int[perShard + 2];
    for (int s = 0; s < shards; s++) {
      int p = primary[s];
      int shardsLeft = shards - s;
      // Take the most urgent clusters off the queue: every tight one must be chosen, and the
      // rest are the fallback in order; at most perShard + 1 are needed (the primary is skipped).
      int t = 0;
      while (t < perShard + 1 && open.size() > 0) {
        taken[t++] = open.pop();
      }
      int k = 0;
      for (int j = 0; j < t && k < perShard; j++) {
        int c = taken[j];
        if (urgency[c] == shardsLeft && c != p) {
          chosen[k++] = c; // tight: it must take a replica of this shard
        }
      }
      ShardPlacement old = before.get(s);
      if (old != null) {
        for (String name : old.replicas()) {
          Integer c = index.get(name);
          if (k < perShard && c != null && c != p && rem[c] > 0 && !contains(chosen, k, c)) {
            chosen[k++] = c;
          }
        }
      }
      for (int j = 0; j < t && k < perShard; j++) {
        int c = taken[j];
        if (c != p && !contains(chosen, k, c)) {
          chosen[k++] = c;
        }
      }
      for (int j = 0; j < t; j++) {
        open.add(taken[j]);
      }
      if (k < perShard) {
        throw new IllegalArgumentException(
            "no shard assignment: replicas " + replicaCounts + " with primaries " + primaryCounts);
      }
      String[] replicas = new String[perShard];
      for (int j = 0; j < perShard; j++) {
        int c = chosen[j];
        rem[c]--;
        urgency[c]--;
        if (rem[c] == 0) {
          open.remove(c);
        } else {
          open.lowered(c);
        }
        replicas[j] = names[c];
      }
      primariesLeft[p]--;
      urgency[p]--;
      open.lowered(p);
      Arrays.sort(replicas);
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

  /** Each shard's primary cluster: its previous one while that cluster has primaries left. */
  private static int[] primaries(
      int shards,
      String[] names,
      Map<String, Integer> index,
      int[] left,
      Map<Integer, ShardPlacement> before) {
    int[] primary = new int[shards];
    Arrays.fill(primary, -1);
    for (int s = 0; s < shards; s++) {
      ShardPlacement old = before.get(s);
      Integer c = old == null ? null : index.get(old.primary());
      if (c != null && left[c] > 0) {
        primary[s] = c;
        left[c]--;
      }
    }
    int next = 0;
    for (int s = 0; s < shards; s++) {
      if (primary[s] >= 0) {
        continue;
      }
      while (next < names.length && left[next] == 0) {
        next++;
      }
      if (next == names.length) {
        throw new IllegalArgumentException("primary counts do not add up to " + shards + " shards");
      }
      primary[s] = next;
      left[next]--;
    }
    return primary;
  }
}
