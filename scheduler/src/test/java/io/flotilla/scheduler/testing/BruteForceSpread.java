package io.flotilla.scheduler.testing;

import io.flotilla.scheduler.DividedSpread;
import io.flotilla.scheduler.spread.Candidates;
import io.flotilla.scheduler.spread.RoleProblem;
import io.flotilla.scheduler.spread.ShardBound;
import io.flotilla.scheduler.spread.SpreadResult;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The talk's algorithm, as a reference: enumerate every distribution of the role's replicas, keep
 * the valid ones, score each by its full ascending-sorted headroom vector and take the best (ties:
 * the more even distribution, then more replicas on earlier names). Exponential; for tests and the
 * benchmark's comparison only.
 *
 * <p>It shares nothing with the production spread but the problem's raw inputs: arithmetic is done
 * in {@link BigInteger}, skew is measured on each distribution, and shard anti-affinity is checked
 * by searching for an actual assignment of shards to clusters, not by a formula.
 */
public final class BruteForceSpread implements DividedSpread {
  /** How many distributions the last call enumerated. */
  private long enumerated;

  public long enumerated() {
    return enumerated;
  }

  @Override
  public SpreadResult place(RoleProblem p) {
    int n = p.size();
    int m = p.replicas();
    Candidates c = p.candidates();
    int[] lower = new int[n];
    int[] structural = new int[n];
    int[] byResources = new int[n];
    for (int i = 0; i < n; i++) {
      lower[i] = p.lower(i);
      structural[i] = Math.min(p.structuralUpper(i), m);
      byResources[i] = Math.min(structural[i], p.room(i));
    }
    int[] smallest = {Integer.MAX_VALUE};
    forEach(lower, structural, m, d -> smallest[0] = Math.min(smallest[0], skew(d)));
    if (smallest[0] == Integer.MAX_VALUE) {
      return failed("no distribution keeps the replicas that must stay");
    }
    int maxSkew = p.role().maxSkew();
    int allowed = Math.max(maxSkew, smallest[0]);
    // minClusters, lowered only to the widest span the replicas that must stay allow
    int[] widest = {0};
    forEach(lower, structural, m, d -> widest[0] = Math.max(widest[0], span(d)));
    int minSpan = Math.min(p.role().minClusters().orElse(0), widest[0]);
    int[][] best = {null};
    BigInteger[][][] bestVector = {null};
    enumerated = 0;
    forEach(
        lower,
        byResources,
        m,
        d -> {
          enumerated++;
          if (skew(d) > allowed || span(d) < minSpan || !shardsFit(p, d)) {
            return;
          }
          BigInteger[][] v = vector(p, c, d);
          if (best[0] == null || better(v, d, bestVector[0], best[0])) {
            best[0] = d.clone();
            bestVector[0] = v;
          }
        });
    if (best[0] == null) {
      return failed("no valid distribution");
    }
    return new SpreadResult.Placed(
        best[0], allowed > maxSkew ? OptionalInt.of(allowed) : OptionalInt.empty());
  }

  private static SpreadResult failed(String why) {
    return new SpreadResult.Failed(List.of(new SpreadResult.Reason("", why)));
  }

  /** Calls {@code visit} with every d such that lower ≤ d ≤ upper and Σd = m (d is reused). */
  public static void forEach(int[] lower, int[] upper, int m, Consumer<int[]> visit) {
    int n = lower.length;
    int[] d = new int[n];
    int[] maxSuffix = new int[n + 1];
    int[] minSuffix = new int[n + 1];
    for (int i = n - 1; i >= 0; i--) {
      maxSuffix[i] = maxSuffix[i + 1] + Math.max(0, upper[i]);
      minSuffix[i] = minSuffix[i + 1] + lower[i];
    }
    recurse(0, m, lower, upper, minSuffix, maxSuffix, d, visit);
  }

  private static void recurse(
      int i,
      int left,
      int[] lower,
      int[] upper,
      int[] minSuffix,
      int[] maxSuffix,
      int[] d,
      Consumer<int[]> visit) {
    if (i == d.length) {
      if (left == 0) {
        visit.accept(d);
      }
      return;
    }
    if (left < minSuffix[i] || left > maxSuffix[i]) {
      return;
    }
    for (int v = lower[i]; v <= upper[i] && v <= left; v++) {
      d[i] = v;
      recurse(i + 1, left - v, lower, upper, minSuffix, maxSuffix, d, visit);
    }
  }

  /** Whether d is a valid distribution for p with skew at most {@code allowedSkew}. */
  public static boolean isValid(RoleProblem p, int[] d, int allowedSkew) {
    if (span(d) < p.minSpan()) {
      return false;
    }
    long sum = 0;
    for (int i = 0; i < d.length; i++) {
      if (d[i] < p.lower(i) || d[i] > p.structuralUpper(i) || d[i] > p.room(i)) {
        return false;
      }
      sum += d[i];
    }
    return sum == p.replicas() && skew(d) <= allowedSkew && shardsFit(p, d);
  }

  static int span(int[] d) {
    return (int) Arrays.stream(d).filter(v -> v > 0).count();
  }

  static int skew(int[] d) {
    if (d.length == 0) {
      return 0;
    }
    int min = Arrays.stream(d).min().getAsInt();
    int max = Arrays.stream(d).max().getAsInt();
    return max - min;
  }

  /** Headroom per cluster as exact fractions {numerator, denominator}, sorted ascending. */
  public static BigInteger[][] vector(RoleProblem p, Candidates c, int[] d) {
    int n = d.length;
    BigInteger[][] v = new BigInteger[n][];
    BigInteger reqCpu = BigInteger.valueOf(p.request().cpuMillis());
    BigInteger reqMem = BigInteger.valueOf(p.request().memoryBytes());
    for (int i = 0; i < n; i++) {
      BigInteger delta = BigInteger.valueOf((long) d[i] - c.old()[i]);
      BigInteger[] cpu = {
        BigInteger.valueOf(c.freeCpu()[i]).subtract(delta.multiply(reqCpu)),
        BigInteger.valueOf(c.allocCpu()[i])
      };
      BigInteger[] mem = {
        BigInteger.valueOf(c.freeMemory()[i]).subtract(delta.multiply(reqMem)),
        BigInteger.valueOf(c.allocMemory()[i])
      };
      v[i] = compare(cpu, mem) <= 0 ? cpu : mem;
    }
    Arrays.sort(v, BruteForceSpread::compare);
    return v;
  }

  public static int compare(BigInteger[] a, BigInteger[] b) {
    return a[0].multiply(b[1]).compareTo(b[0].multiply(a[1]));
  }

  private static boolean better(BigInteger[][] v, int[] d, BigInteger[][] w, int[] e) {
    for (int k = 0; k < v.length; k++) {
      int cmp = compare(v[k], w[k]);
      if (cmp != 0) {
        return cmp > 0;
      }
    }
    // equal scores: the more even distribution (smaller largest count, then next largest, ...)
    int[] x = d.clone();
    int[] y = e.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    for (int k = x.length - 1; k >= 0; k--) {
      if (x[k] != y[k]) {
        return x[k] < y[k];
      }
    }
    for (int i = 0; i < d.length; i++) {
      if (d[i] != e[i]) {
        return d[i] > e[i];
      }
    }
    return false;
  }

  /** Whether some assignment gives every shard its replicas in clusters other than its primary. */
  static boolean shardsFit(RoleProblem p, int[] d) {
    ShardBound bound = p.shardBound();
    if (bound == null) {
      return true;
    }
    int shards = bound.shards();
    if (bound.side() == ShardBound.Side.PRIMARIES) {
      // the shards' replicas that must stay on a cluster need as many shards without a primary
      // there (when more must stay than there are shards, the replicas' own role fails anyway)
      for (int i = 0; i < d.length; i++) {
        if (d[i] > Math.max(0, shards - bound.others()[i])) {
          return false;
        }
      }
      return true;
    }
    int perShard = p.role().shard().getAsInt();
    List<Integer> primaryOf = new ArrayList<>();
    for (int i = 0; i < p.size(); i++) {
      for (int k = 0; k < bound.others()[i]; k++) {
        primaryOf.add(i);
      }
    }
    // Primaries on clusters that are not candidates of this role: no candidate is their primary.
    while (primaryOf.size() < shards) {
      primaryOf.add(0, -1);
    }
    return assign(0, primaryOf, perShard, d.clone(), new int[shards][]);
  }

  private static boolean assign(
      int s, List<Integer> primaryOf, int perShard, int[] left, int[][] chosen) {
    if (s == primaryOf.size()) {
      return Arrays.stream(left).allMatch(v -> v == 0);
    }
    List<int[]> options = new ArrayList<>();
    combinations(left.length, perShard, 0, new int[perShard], 0, options);
    for (int[] option : options) {
      // shards with the same primary are interchangeable: take their options in order
      if (s > 0
          && primaryOf.get(s).equals(primaryOf.get(s - 1))
          && Arrays.compare(option, chosen[s - 1]) < 0) {
        continue;
      }
      boolean ok = true;
      for (int c : option) {
        ok &= c != primaryOf.get(s) && left[c] > 0;
      }
      if (!ok) {
        continue;
      }
      for (int c : option) {
        left[c]--;
      }
      chosen[s] = option;
      if (assign(s + 1, primaryOf, perShard, left, chosen)) {
        return true;
      }
      for (int c : option) {
        left[c]++;
      }
    }
    return false;
  }

  private static void combinations(int n, int k, int from, int[] cur, int depth, List<int[]> out) {
    if (depth == k) {
      out.add(cur.clone());
      return;
    }
    for (int i = from; i < n; i++) {
      cur[depth] = i;
      combinations(n, k, i + 1, cur, depth + 1, out);
    }
  }
}
