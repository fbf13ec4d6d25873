package io.flotilla.scheduler.spread;

import io.flotilla.scheduler.spread.SpreadResult.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Karmada's static weight division: cluster i's share of M replicas is M·w_i/W; each gets the whole
 * part and the remainders go to the largest fractions, then to earlier names. Clusters without a
 * weight get none. Replicas that must stay (they never move) and each cluster's upper bound are
 * respected: replicas are handed out one at a time to the cluster furthest below its share, which
 * gives exactly Karmada's division when no bound binds.
 */
public final class WeightedSpread {
  private WeightedSpread() {}

  public static SpreadResult place(RoleProblem p) {
    int n = p.size();
    Map<String, Integer> weights = p.role().weights();
    long[] w = new long[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      w[i] = weights.getOrDefault(p.cluster(i), 0);
      total += w[i];
    }
    if (total == 0) {
      return new SpreadResult.Failed(
          List.of(
              new Reason(
                  "",
                  "no candidate cluster of role "
                      + p.role().role()
                      + " has a weight (weights name "
                      + weights.keySet()
                      + ")")));
    }
    int m = p.replicas();
    int[] d = new int[n];
    int[] hi = new int[n];
    long remaining = m;
    List<Reason> stuck = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      d[i] = p.lower(i);
      hi[i] = w[i] == 0 ? d[i] : p.upper(i);
      remaining -= d[i];
      if (d[i] > p.upper(i)) {
        stuck.add(
            new Reason(p.cluster(i), "holds " + d[i] + " that must stay: " + p.describeLimit(i)));
      }
    }
    if (!stuck.isEmpty()) {
      return new SpreadResult.Failed(stuck);
    }
    long w0 = total;
    // deficit_i = M·w_i/W − d_i, compared as M·w_i − d_i·W (common denominator W)
    IntHeap heap =
        new IntHeap(
            n,
            (i, j) -> {
              int c = Long.compare(m * w[j] - d[j] * w0, m * w[i] - d[i] * w0);
              return c != 0 ? c : Integer.compare(i, j);
            });
    for (int i = 0; i < n; i++) {
      if (d[i] < hi[i]) {
        heap.push(i);
      }
    }
    while (remaining > 0 && !heap.isEmpty()) {
      int i = heap.pop();
      d[i]++;
      remaining--;
      if (d[i] < hi[i]) {
        heap.push(i);
      }
    }
    if (remaining > 0) {
      List<Reason> reasons = new ArrayList<>();
      reasons.add(
          new Reason(
              "",
              "role "
                  + p.role().role()
                  + " needs "
                  + m
                  + " replicas but its weighted clusters can hold only "
                  + (m - remaining)));
      for (int i = 0; i < n; i++) {
        if (w[i] > 0 && p.upper(i) != RoleProblem.UNBOUNDED) {
          reasons.add(
              new Reason(p.cluster(i), "holds at most " + p.upper(i) + ": " + p.describeLimit(i)));
        }
      }
      return new SpreadResult.Failed(reasons);
    }
    return new SpreadResult.Placed(d, OptionalInt.empty());
  }
}
