package io.flotilla.scheduler.spread;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Karmada's cluster-count spread constraint, per role: {@code maxClusters} confines the role to at
 * most that many of its candidates, and {@code minClusters} fails the role unless it has at least
 * that many.
 *
 * <p>Narrowing keeps, in this order: every cluster already holding the role (its replicas never
 * move); then clusters with room for one more replica; then the most headroom; then earlier names.
 * The even spread then applies within the kept clusters.
 */
public final class ClusterCount {
  public static final String NAME = "ClusterCount";

  private ClusterCount() {}

  /**
   * The candidate indices (ascending) the role keeps under {@code maxClusters}. When more clusters
   * than that already hold the role, all of them are kept.
   */
  public static int[] narrow(RoleProblem p, int maxClusters) {
    int n = p.size();
    if (maxClusters >= n) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return all;
    }
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    order.sort(
        (a, b) -> {
          int c = Boolean.compare(p.old(b) > 0, p.old(a) > 0);
          if (c != 0) {
            return c;
          }
          c = Boolean.compare(fitsOneMore(p, b), fitsOneMore(p, a));
          if (c != 0) {
            return c;
          }
          c = p.score().compare(b, p.old(b), a, p.old(a));
          return c != 0 ? c : Integer.compare(a, b);
        });
    int holding = 0;
    for (int i = 0; i < n; i++) {
      if (p.old(i) > 0) {
        holding++;
      }
    }
    int keep = Math.max(maxClusters, holding);
    int[] kept = order.subList(0, keep).stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(kept);
    return kept;
  }

  private static boolean fitsOneMore(RoleProblem p, int i) {
    return !p.noNew(i) && p.capacity(i) > p.old(i);
  }
}
