package io.flotilla.scheduler.shard;

import io.flotilla.api.ShardPlacement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Assigns shards to clusters: each shard's primary, and its replicas in other clusters, matching
 * the role counts the spread chose.
 *
 * <p>With S shards, R replicas per shard, P_c primaries and D_c replicas on cluster c (ΣD = S·R),
 * an assignment exists exactly when D_c + P_c ≤ S for every c; the spread enforces that bound.
 * Shards are then taken in order; each takes R clusters other than its primary's, always including
 * every "tight" cluster (D_c + P_c equal to the shards left, counting the rest), which keeps the
 * bound true for the shards that remain, so the process never gets stuck. Within that rule a shard
 * keeps its previous clusters where it can, so a reschedule moves as little as possible.
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
    Map<Integer, ShardPlacement> before = new HashMap<>();
    previous.forEach(s -> before.put(s.shard(), s));
    String[] primary = primaries(shards, primaryCounts, before);

    SortedMap<String, Integer> rem = new TreeMap<>(replicaCounts);
    SortedMap<String, Integer> primariesLeft = new TreeMap<>(primaryCounts);
    TreeSet<String> clusters = new TreeSet<>(rem.keySet());
    clusters.addAll(primariesLeft.keySet());
    List<ShardPlacement> out = new ArrayList<>(shards);
    for (int s = 0; s < shards; s++) {
      String p = primary[s];
      int shardsLeft = shards - s;
      List<String> chosen = new ArrayList<>(perShard);
      for (String c : clusters) {
        if (!c.equals(p) && urgency(c, rem, primariesLeft) == shardsLeft) {
          chosen.add(c);
        }
      }
      ShardPlacement old = before.get(s);
      if (old != null) {
        for (String c : old.replicas()) {
          if (chosen.size() < perShard && usable(c, p, rem, chosen)) {
            chosen.add(c);
          }
        }
      }
      while (chosen.size() < perShard) {
        String next = null;
        for (String c : clusters) {
          if (usable(c, p, rem, chosen)
              && (next == null
                  || urgency(c, rem, primariesLeft) > urgency(next, rem, primariesLeft))) {
            next = c;
          }
        }
        if (next == null) {
          break;
        }
        chosen.add(next);
      }
      if (chosen.size() != perShard || chosen.stream().anyMatch(c -> rem.getOrDefault(c, 0) <= 0)) {
        throw new IllegalArgumentException(
            "no shard assignment: replicas " + replicaCounts + " with primaries " + primaryCounts);
      }
      chosen.forEach(c -> rem.merge(c, -1, Integer::sum));
      primariesLeft.merge(p, -1, Integer::sum);
      out.add(new ShardPlacement(s, p, new ArrayList<>(new TreeSet<>(chosen))));
    }
    return out;
  }

  private static int urgency(
      String c, Map<String, Integer> rem, Map<String, Integer> primariesLeft) {
    return rem.getOrDefault(c, 0) + primariesLeft.getOrDefault(c, 0);
  }

  private static boolean usable(
      String c, String primary, Map<String, Integer> rem, List<String> chosen) {
    return !c.equals(primary) && rem.getOrDefault(c, 0) > 0 && !chosen.contains(c);
  }

  /** Each shard's primary cluster: its previous one while that cluster has primaries left. */
  private static String[] primaries(
      int shards, Map<String, Integer> primaryCounts, Map<Integer, ShardPlacement> before) {
    SortedMap<String, Integer> left = new TreeMap<>(primaryCounts);
    String[] primary = new String[shards];
    for (int s = 0; s < shards; s++) {
      ShardPlacement old = before.get(s);
      if (old != null && left.getOrDefault(old.primary(), 0) > 0) {
        primary[s] = old.primary();
        left.merge(old.primary(), -1, Integer::sum);
      }
    }
    for (int s = 0; s < shards; s++) {
      if (primary[s] == null) {
        for (Map.Entry<String, Integer> e : left.entrySet()) {
          if (e.getValue() > 0) {
            primary[s] = e.getKey();
            e.setValue(e.getValue() - 1);
            break;
          }
        }
      }
      if (primary[s] == null) {
        throw new IllegalArgumentException(
            "primary counts " + primaryCounts + " do not add up to " + shards + " shards");
      }
    }
    return primary;
  }
}
