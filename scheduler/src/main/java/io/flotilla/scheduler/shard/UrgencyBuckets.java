package io.flotilla.scheduler.shard;

/**
 * Clusters ordered by urgency (highest first), then index (lowest first): one bit set of cluster
 * indices per urgency value, as plain words with a count and the lowest word that may hold a bit.
 * Lowering a cluster's urgency by one moves one bit; reading the most urgent clusters scans from
 * the highest non-empty bucket. No boxing, no per-update logarithm.
 */
final class UrgencyBuckets {
  private final int[] urgency;
  private final int words;
  private final long[][] bits;
  private final int[] count;
  private final int[] low;
  private int max = -1;

  /** Holds the clusters whose {@code member} flag is set; reads urgencies from the array. */
  UrgencyBuckets(int[] urgency, boolean[] member) {
    this.urgency = urgency;
    this.words = (urgency.length + 63) >>> 6;
    int top = 0;
    for (int u : urgency) {
      top = Math.max(top, u);
    }
    this.bits = new long[top + 1][];
    this.count = new int[top + 1];
    this.low = new int[top + 1];
    for (int c = 0; c < urgency.length; c++) {
      if (member[c]) {
        add(c);
      }
    }
  }

  private void add(int c) {
    int u = urgency[c];
    if (bits[u] == null) {
      bits[u] = new long[words];
      low[u] = words;
    }
    bits[u][c >>> 6] |= 1L << c;
    low[u] = Math.min(low[u], c >>> 6);
    count[u]++;
    max = Math.max(max, u);
  }

  /** Takes cluster c out (it has no replicas left). */
  void remove(int c) {
    int u = urgency[c];
    bits[u][c >>> 6] &= ~(1L << c);
    count[u]--;
  }

  /** Lowers cluster c's urgency by one, in the array and here; c must be held. */
  void lower(int c) {
    remove(c);
    urgency[c]--;
    add(c);
  }

  /** Lowers the urgency of a cluster that is not held (it has no replicas left). */
  void lowerOutside(int c) {
    urgency[c]--;
  }

  /**
   * Writes up to {@code k} of the most urgent clusters into {@code out}, in order; returns how
   * many.
   */
  int top(int[] out, int k) {
    while (max >= 0 && count[max] == 0) {
      max--;
    }
    int n = 0;
    for (int u = max; u >= 0 && n < k; u--) {
      if (count[u] == 0) {
        continue;
      }
      long[] b = bits[u];
      while (b[low[u]] == 0) {
        low[u]++; // count > 0, so a set word lies ahead
      }
      for (int w = low[u]; w < words && n < k; w++) {
        for (long word = b[w]; word != 0 && n < k; word &= word - 1) {
          out[n++] = (w << 6) + Long.numberOfTrailingZeros(word);
        }
      }
    }
    return n;
  }
}
