package io.flotilla.scheduler.spread;

import java.util.ArrayList;
import java.util.List;

/**
 * Karmada's cluster-count spread constraint, per role: {@code maxClusters} confines the role to at
 * most that many of its candidates, and {@code minClusters} fails the role unless it has at least
 * that many.
 *
 * <p>Narrowing keeps, in this order: every cluster already holding the role (its replicas never
 * move); then the clusters with the most room for more replicas; then the most headroom; then
 * earlier names. The role takes the widest such set that holds it: maxClusters clusters, or one
 * fewer, and so on down to what minClusters allows. The spread then applies within the set.
 */
public final class ClusterCount {
  private ClusterCount() {}

  /**
   * The candidates (indices into the problem) in the order narrowing keeps them: those already
   * holding the role first (their replicas never move), then the most room for more replicas, then
   * the most headroom, then the earlier name.
   */
  public static int[] rank(RoleProblem p) {
    int n = p.size();
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
          c = Long.compare(room(p, b), room(p, a));
          if (c != 0) {
            return c;
          }
          c = p.score().compare(b, p.old(b), a, p.old(a));
          return c != 0 ? c : Integer.compare(a, b);
        });
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  /** How many candidates already hold the role. */
  public static int holding(RoleProblem p) {
    int holding = 0;
    for (int i = 0; i < p.size(); i++) {
      if (p.old(i) > 0) {
        holding++;
      }
    }
    return holding;
  }

  /** How many more replicas cluster i can take. */
  private static long room(RoleProblem p, int i) {
    return p.noNew(i) ? 0 : (long) p.capacity(i) - p.old(i);
  }
}
