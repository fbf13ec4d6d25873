package io.flotilla.scheduler.spread;

import io.flotilla.scheduler.score.HeadroomScore;
import io.flotilla.scheduler.score.Ratios;
import io.flotilla.scheduler.spread.SpreadResult.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * The even spread with the best headroom (DESIGN.md §4, docs/scheduling.md §3): among all
 * distributions D of the role's replicas with lower ≤ D ≤ upper (replicas never move, resources,
 * shard anti-affinity), ΣD = M, skew ≤ maxSkew and at least {@link RoleProblem#minSpan()} clusters
 * used, the one whose ascending-sorted headroom vector is lexicographically largest; among equal
 * scores, the most even (smallest largest count, and so on), then the one with more replicas on
 * earlier cluster names.
 *
 * <p>The talk enumerates every distribution, which is exponential in the number of clusters. This
 * finds the same optimum in polynomial time:
 *
 * <ol>
 *   <li>A skew bound is a window [t, t+maxSkew] holding every count; at most maxSkew+1 windows are
 *       usable (see {@link SkewWindows}), and within one window each cluster's count lies in an
 *       interval. Only the window t = 0 can leave clusters empty; there the minimum span is met
 *       first by giving one replica each to the clusters whose first replica costs least.
 *   <li>Within a window, a cluster's headroom is the minimum of two affine functions of its count,
 *       so it is concave and non-increasing in the count. The leximin order (sorted ascending,
 *       compared lexicographically) is the limit as λ → ∞ of maximizing Σ −exp(−λ·headroom), and
 *       for every λ that sum is separable and concave, which adding one replica at a time where it
 *       loses least solves exactly (box and sum constraints only). In the limit the loss order is:
 *       an addition that does not lower the cluster's headroom at all (its binding resource is one
 *       this role does not request) first; then the higher headroom after the addition; then the
 *       lower headroom now. Additions still tied lose exactly the same, and go to the cluster
 *       holding fewer, then the earlier name.
 *   <li>The best window wins, by the same order.
 * </ol>
 *
 * The cost is O(maxSkew · (N + R) · log N) for N clusters and R replicas. {@code
 * EvenSpreadMatchesBruteForceTest} checks every choice against exhaustive enumeration on 10,000
 * random problems.
 *
 * <p>When the replicas that must stay make maxSkew impossible (a failover leaves survivors uneven;
 * a scale-down cannot add), the smallest skew that is possible is used instead and reported.
 */
public final class EvenSpread {
  private EvenSpread() {}

  public static SpreadResult place(RoleProblem p) {
    int n = p.size();
    int m = p.replicas();
    int[] lower = new int[n];
    int[] upper = new int[n];
    int[] structuralUpper = new int[n];
    List<Reason> stuck = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lower[i] = p.lower(i);
      upper[i] = p.upper(i);
      structuralUpper[i] = p.structuralUpper(i);
      if (lower[i] > upper[i]) {
        stuck.add(
            new Reason(
                p.cluster(i),
                "holds "
                    + lower[i]
                    + " replicas of role "
                    + p.role().role()
                    + " that must stay, but may hold at most "
                    + upper[i]
                    + ": "
                    + p.describeLimit(i)));
      }
    }
    if (!stuck.isEmpty()) {
      return new SpreadResult.Failed(stuck);
    }
    int maxSkew = p.role().maxSkew();
    int skew =
        SkewWindows.windows(lower, structuralUpper, m, maxSkew) != null
            ? maxSkew
            : SkewWindows.minimalSkew(lower, structuralUpper, m);
    int[] window = SkewWindows.windows(lower, upper, m, skew);
    if (window == null) {
      return new SpreadResult.Failed(explain(p, upper, skew));
    }
    HeadroomScore score = p.score();
    int[] best = null;
    for (int t = window[0]; t <= window[1]; t++) {
      int[] d = fill(p, lower, upper, t, skew);
      if (d != null && (best == null || better(score, d, best))) {
        best = d;
      }
    }
    if (best == null) {
      return new SpreadResult.Failed(explainSpan(p, upper));
    }
    return new SpreadResult.Placed(
        best, skew > maxSkew ? OptionalInt.of(skew) : OptionalInt.empty());
  }

  private static boolean better(HeadroomScore score, int[] a, int[] b) {
    int c = score.compareVectors(a, b);
    if (c != 0) {
      return c > 0;
    }
    c = compareEvenness(a, b);
    if (c != 0) {
      return c > 0;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return a[i] > b[i];
      }
    }
    return false;
  }

  /**
   * Positive when a is more even than b: its counts sorted from the largest down are
   * lexicographically smaller (a smaller largest count, then a smaller second largest, ...).
   */
  static int compareEvenness(int[] a, int[] b) {
    int[] x = a.clone();
    int[] y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    for (int k = x.length - 1; k >= 0; k--) {
      if (x[k] != y[k]) {
        return Integer.compare(y[k], x[k]);
      }
    }
    return 0;
  }

  /**
   * The best distribution within window [t, t+skew]: greedy by headroom after each addition; null
   * when the window cannot also meet the role's minimum span.
   */
  static int[] fill(RoleProblem p, int[] lower, int[] upper, int t, int skew) {
    int n = lower.length;
    int[] d = new int[n];
    int[] hi = new int[n];
    long remaining = p.replicas();
    for (int i = 0; i < n; i++) {
      d[i] = Math.max(lower[i], t);
      hi[i] = (int) Math.min(upper[i], (long) t + skew);
      remaining -= d[i];
    }
    HeadroomScore score = p.score();
    Keys keys = new Keys(score, d);
    for (int i = 0; i < n; i++) {
      if (d[i] < hi[i]) {
        keys.refresh(i); // only clusters that can still gain are ever compared
      }
    }
    remaining -= forceSpan(p, d, hi, keys);
    if (remaining < 0) {
      return null;
    }
    long room = 0;
    int open = 0;
    int[] growable = new int[n];
    for (int i = 0; i < n; i++) {
      if (d[i] < hi[i]) {
        room += hi[i] - d[i];
        growable[open++] = i;
      }
    }
    if (remaining == room) {
      for (int k = 0; k < open; k++) {
        d[growable[k]] = hi[growable[k]]; // no choice left: every cluster is filled to its cap
      }
      return d;
    }
    IntHeap heap = new IntHeap(growable, open, keys::order);
    while (remaining > 0) {
      int i = heap.pop();
      d[i]++;
      remaining--;
      if (d[i] < hi[i]) {
        keys.refresh(i);
        heap.push(i);
      }
    }
    return d;
  }

  /**
   * Meets the role's minimum span: when fewer clusters than {@link RoleProblem#minSpan()} already
   * hold replicas, gives one each to the clusters whose first replica costs least, in the order the
   * greedy adds replicas. Adding the cheapest first replicas and then filling greedily is optimal:
   * in any optimum the first replicas used are the cheapest ones (swap argument), and the cost of
   * using a more than needed is convex in a. Only the window t = 0 can fall short, since in every
   * other one each candidate holds at least one replica.
   *
   * @return how many replicas were added, or {@code Integer.MAX_VALUE} when the span cannot be met
   */
  private static int forceSpan(RoleProblem p, int[] d, int[] hi, Keys keys) {
    int n = d.length;
    int holding = 0;
    List<Integer> open = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (d[i] > 0) {
        holding++;
      } else if (hi[i] > 0) {
        open.add(i);
      }
    }
    int need = p.minSpan() - holding;
    if (need <= 0) {
      return 0;
    }
    if (open.size() < need) {
      return Integer.MAX_VALUE;
    }
    open.sort(keys::order); // all hold none yet: the order in which the greedy would add them
    for (int k = 0; k < need; k++) {
      int i = open.get(k);
      d[i] = 1;
      keys.refresh(i);
    }
    return need;
  }

  /**
   * Each cluster's keys for the greedy, refreshed only when its count changes: its headroom now and
   * after one more replica as doubles (exact arithmetic settles the rare near-ties), and whether
   * one more replica costs it no headroom at all.
   */
  private static final class Keys {
    private final HeadroomScore score;
    private final int[] d;
    private final double[] now;
    private final double[] next;
    private final boolean[] free;

    Keys(HeadroomScore score, int[] d) {
      this.score = score;
      this.d = d;
      int n = d.length;
      now = new double[n];
      next = new double[n];
      free = new boolean[n];
    }

    void refresh(int i) {
      now[i] = score.headroom(i, d[i]);
      next[i] = score.headroom(i, d[i] + 1);
      free[i] = score.additionIsFree(i, d[i]);
    }

    /** Negative when cluster i should get the next replica before cluster j. */
    int order(int i, int j) {
      if (free[i] != free[j]) {
        return free[i] ? -1 : 1; // an addition that costs no headroom first
      }
      if (!free[i]) {
        int c = Ratios.compareApproximately(next[j], next[i]);
        if (c == 0) {
          c = score.compareExactly(j, d[j] + 1, i, d[i] + 1);
        }
        if (c != 0) {
          return c; // then the higher headroom after the addition
        }
        c = Ratios.compareApproximately(now[i], now[j]);
        if (c == 0) {
          c = score.compareExactly(i, d[i], j, d[j]);
        }
        if (c != 0) {
          return c; // then the cluster whose headroom is lower now
        }
      }
      if (d[i] != d[j]) {
        return Integer.compare(d[i], d[j]); // then the cluster holding fewer
      }
      return Integer.compare(i, j); // then the earlier name
    }
  }

  private static List<Reason> explain(RoleProblem p, int[] upper, int skew) {
    int n = p.size();
    int m = p.replicas();
    String role = p.role().role();
    long capacity = 0;
    for (int v : upper) {
      capacity += v;
    }
    List<Reason> reasons = new ArrayList<>();
    if (capacity < m) {
      reasons.add(
          new Reason(
              "",
              "role "
                  + role
                  + " needs "
                  + m
                  + " replicas but its "
                  + (n == 1 ? "candidate cluster" : n + " candidate clusters")
                  + " can hold only "
                  + capacity));
      for (int i = 0; i < n; i++) {
        if (upper[i] != RoleProblem.UNBOUNDED) {
          reasons.add(
              new Reason(p.cluster(i), "holds at most " + upper[i] + ": " + p.describeLimit(i)));
        }
      }
      return reasons;
    }
    long need = Math.max(0, ceilDiv(m - (long) (n - 1) * skew, n));
    reasons.add(
        new Reason(
            "",
            "role "
                + role
                + " cannot spread "
                + m
                + " replicas over "
                + n
                + " clusters within maxSkew "
                + skew
                + ": each cluster needs at least "
                + need));
    List<Integer> culprits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (upper[i] < need) {
        culprits.add(i);
      }
    }
    if (culprits.isEmpty()) {
      for (int i = 0; i < n; i++) {
        if (upper[i] < ceilDiv(m, n)) {
          culprits.add(i);
        }
      }
    }
    for (int i : culprits) {
      reasons.add(
          new Reason(p.cluster(i), "holds at most " + upper[i] + ": " + p.describeLimit(i)));
    }
    return reasons;
  }

  private static List<Reason> explainSpan(RoleProblem p, int[] upper) {
    List<Reason> reasons = new ArrayList<>();
    int room = 0;
    for (int v : upper) {
      room += v > 0 ? 1 : 0;
    }
    reasons.add(
        new Reason(
            "",
            "role "
                + p.role().role()
                + " must span at least "
                + p.minSpan()
                + " clusters (minClusters) but only "
                + room
                + " can take a replica"));
    for (int i = 0; i < p.size(); i++) {
      if (upper[i] == 0) {
        reasons.add(new Reason(p.cluster(i), "holds at most 0: " + p.describeLimit(i)));
      }
    }
    return reasons;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
