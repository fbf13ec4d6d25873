package io.flotilla.scheduler.spread;

/**
 * Skew arithmetic. A distribution D has skew at most s exactly when some window [t, t+s] holds
 * every D_i; with bounds lower_i ≤ D_i ≤ upper_i and ΣD = m, window t is usable exactly when
 *
 * <pre>
 *   max(lower) − s ≤ t ≤ min(upper),   Σ max(lower_i, t) ≤ m ≤ Σ min(upper_i, t + s)
 * </pre>
 *
 * Both sums grow with t, so the usable windows form one interval [tLo, tHi], found by binary
 * search.
 */
public final class SkewWindows {
  private SkewWindows() {}

  /** The usable windows for skew s, as {tLo, tHi}, or null when there is none. */
  public static int[] windows(int[] lower, int[] upper, int m, int s) {
    int n = lower.length;
    if (n == 0) {
      return null;
    }
    long maxLower = 0;
    long minUpper = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      if (lower[i] > upper[i]) {
        return null;
      }
      maxLower = Math.max(maxLower, lower[i]);
      minUpper = Math.min(minUpper, upper[i]);
    }
    // Every count lies in [t, t+s], so n·t ≤ m ≤ n·(t+s): t ≤ m/n and t ≥ ⌈m/n⌉ − s.
    long lo = Math.max(Math.max(0, maxLower - s), -Math.floorDiv(-(long) m, n) - s);
    long hi = Math.min(minUpper, m / n);
    if (lo > hi || above(upper, hi, s) < m || atLeast(lower, lo) > m) {
      return null;
    }
    // smallest t in [lo, hi] with Σ min(upper, t+s) >= m
    long a = lo;
    long b = hi;
    while (a < b) {
      long mid = (a + b) >>> 1;
      if (above(upper, mid, s) >= m) {
        b = mid;
      } else {
        a = mid + 1;
      }
    }
    long tLo = a;
    // largest t in [lo, hi] with Σ max(lower, t) <= m
    a = lo;
    b = hi;
    while (a < b) {
      long mid = (a + b + 1) >>> 1;
      if (atLeast(lower, mid) <= m) {
        a = mid;
      } else {
        b = mid - 1;
      }
    }
    long tHi = a;
    return tLo <= tHi ? new int[] {(int) tLo, (int) tHi} : null;
  }

  /** Σ max(lower_i, t). */
  private static long atLeast(int[] lower, long t) {
    long sum = 0;
    for (int v : lower) {
      sum += Math.max(v, t);
    }
    return sum;
  }

  /** Σ min(upper_i, t + s). */
  private static long above(int[] upper, long t, int s) {
    long sum = 0;
    for (int v : upper) {
      sum += Math.min(v, t + s);
    }
    return sum;
  }

  /**
   * The smallest skew any distribution within the bounds can have (bounds must admit one: Σ lower ≤
   * m ≤ Σ upper).
   */
  public static int minimalSkew(int[] lower, int[] upper, int m) {
    int a = 0;
    int b = Math.max(m, 0);
    while (a < b) {
      int mid = (a + b) >>> 1;
      if (windows(lower, upper, m, mid) != null) {
        b = mid;
      } else {
        a = mid + 1;
      }
    }
    return a;
  }
}
