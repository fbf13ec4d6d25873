package io.flotilla.scheduler.score;

import java.util.Arrays;

/**
 * The headroom score (资源余量, DESIGN.md §4). A cluster's headroom when it holds {@code d} replicas of
 * the role being placed is
 *
 * <pre>
 *   min over r in {cpu, memory} of (free_r − (d − old)·request_r) / allocatable_r
 * </pre>
 *
 * where {@code free} is allocatable − allocated − what earlier roles of the same resource took in
 * this pass, and {@code old} the replicas the cluster already holds (they sit in allocated, so only
 * the change is charged). A placement is scored by the vector of its candidates' headrooms sorted
 * ascending; the lexicographically largest vector wins (max–min first). All arithmetic is exact.
 */
public final class HeadroomScore {
  private final long[] freeCpu;
  private final long[] freeMemory;
  private final long[] allocCpu;
  private final long[] allocMemory;
  private final int[] old;
  private final long requestCpu;
  private final long requestMemory;

  /** Arrays are indexed by candidate; they are not copied and must not change while in use. */
  public HeadroomScore(
      long[] freeCpu,
      long[] freeMemory,
      long[] allocCpu,
      long[] allocMemory,
      int[] old,
      long requestCpu,
      long requestMemory) {
    this.freeCpu = freeCpu;
    this.freeMemory = freeMemory;
    this.allocCpu = allocCpu;
    this.allocMemory = allocMemory;
    this.old = old;
    this.requestCpu = requestCpu;
    this.requestMemory = requestMemory;
  }

  public int size() {
    return old.length;
  }

  private long cpuLeft(int i, int d) {
    return freeCpu[i] - (long) (d - old[i]) * requestCpu;
  }

  private long memoryLeft(int i, int d) {
    return freeMemory[i] - (long) (d - old[i]) * requestMemory;
  }

  /** True when cluster i's headroom at d is bounded by cpu rather than memory. */
  private boolean cpuBinds(int i, int d) {
    return Ratios.compare(cpuLeft(i, d), allocCpu[i], memoryLeft(i, d), allocMemory[i]) <= 0;
  }

  /** Compares cluster i's headroom holding di replicas with cluster j's holding dj, exactly. */
  public int compare(int i, int di, int j, int dj) {
    int fast = Ratios.compareApproximately(headroom(i, di), headroom(j, dj));
    return fast != 0 ? fast : compareExactly(i, di, j, dj);
  }

  /**
   * True when one more replica on cluster i (holding d) leaves its headroom unchanged: the resource
   * that binds after the addition is one the role does not request. Exact; at most one 128-bit
   * comparison.
   */
  public boolean additionIsFree(int i, int d) {
    if (requestCpu == 0 && requestMemory == 0) {
      return true;
    }
    if (requestCpu > 0 && requestMemory > 0) {
      return false; // both resources shrink, so their minimum does
    }
    // One resource is not requested: the headroom stays exactly when that one binds at d+1.
    int c = Ratios.compare(cpuLeft(i, d + 1), allocCpu[i], memoryLeft(i, d + 1), allocMemory[i]);
    return requestCpu == 0 ? c <= 0 : c >= 0;
  }

  /** As {@link #compare}, in 128-bit integer arithmetic only. */
  public int compareExactly(int i, int di, int j, int dj) {
    boolean ci = cpuBinds(i, di);
    boolean cj = cpuBinds(j, dj);
    return Ratios.compare(
        ci ? cpuLeft(i, di) : memoryLeft(i, di),
        ci ? allocCpu[i] : allocMemory[i],
        cj ? cpuLeft(j, dj) : memoryLeft(j, dj),
        cj ? allocCpu[j] : allocMemory[j]);
  }

  /**
   * Cluster i's headroom at d as a double: within a relative 2^-51 of the exact value (the
   * numerators are exact longs; converting and dividing round three times). Decisions use it only
   * through {@link Ratios#compareApproximately}, which leaves near-ties to exact arithmetic.
   */
  public double headroom(int i, int d) {
    return Math.min(
        (double) cpuLeft(i, d) / allocCpu[i], (double) memoryLeft(i, d) / allocMemory[i]);
  }

  /**
   * Compares two placements of the role over the same candidates by their ascending-sorted headroom
   * vectors. Clusters where both hold the same count contribute equal entries to both vectors, and
   * such common entries never change a lexicographic comparison of sorted vectors, so only the
   * clusters where they differ are looked at.
   *
   * @return positive when {@code a} scores better than {@code b}, negative when worse, zero on a
   *     tie
   */
  public int compareVectors(int[] a, int[] b) {
    int n = 0;
    int[] differing = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        differing[n++] = i;
      }
    }
    if (n == 0) {
      return 0;
    }
    int[] sa = sortedByHeadroom(differing, n, a);
    int[] sb = sortedByHeadroom(differing, n, b);
    for (int k = 0; k < n; k++) {
      int c = compare(sa[k], a[sa[k]], sb[k], b[sb[k]]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** The first n entries of {@code clusters}, sorted by ascending headroom at the given counts. */
  int[] sortedByHeadroom(int[] clusters, int n, int[] counts) {
    Integer[] boxed = new Integer[n];
    for (int k = 0; k < n; k++) {
      boxed[k] = clusters[k];
    }
    Arrays.sort(boxed, (x, y) -> compare(x, counts[x], y, counts[y]));
    int[] out = new int[n];
    for (int k = 0; k < n; k++) {
      out[k] = boxed[k];
    }
    return out;
  }
}
