package io.flotilla.scheduler.spread;

import io.flotilla.scheduler.spread.SpreadResult.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A placement chosen by hand (the talk's "front end changes the deployment location"): the
 * scheduler checks it rather than choosing. Every pinned cluster must be a candidate with room;
 * shard anti-affinity still holds. The spread is the user's call, so exceeding maxSkew is reported,
 * not refused.
 */
public final class PinnedSpread {
  private PinnedSpread() {}

  /**
   * @param pinned the hand-chosen counts, by cluster name
   * @param notCandidates why each non-candidate cluster is not one
   */
  public static SpreadResult place(
      RoleProblem p, Map<String, Integer> pinned, Map<String, String> notCandidates) {
    List<Reason> reasons = new ArrayList<>();
    for (Map.Entry<String, Integer> e : pinned.entrySet()) {
      if (e.getValue() > 0 && index(p, e.getKey()) < 0) {
        String why = notCandidates.getOrDefault(e.getKey(), "no such member cluster");
        reasons.add(
            new Reason(
                e.getKey(),
                "pinned "
                    + e.getValue()
                    + " replicas of role "
                    + p.role().role()
                    + " here, but it is not a candidate: "
                    + why));
      }
    }
    int n = p.size();
    int[] d = new int[n];
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int i = 0; i < n; i++) {
      d[i] = pinned.getOrDefault(p.cluster(i), 0);
      min = Math.min(min, d[i]);
      max = Math.max(max, d[i]);
      if (p.noNew(i) && d[i] > p.old(i)) {
        reasons.add(
            new Reason(
                p.cluster(i),
                "pinned "
                    + d[i]
                    + " replicas of role "
                    + p.role().role()
                    + " here, but it is cordoned: it keeps its "
                    + p.old(i)
                    + " and gets no new ones"));
      } else if (d[i] > p.capacity(i)) {
        reasons.add(
            new Reason(
                p.cluster(i),
                "pinned "
                    + d[i]
                    + " replicas of role "
                    + p.role().role()
                    + " here, but it holds at most "
                    + p.capacity(i)
                    + ": "
                    + p.describeCapacity(i)));
      }
    }
    if (!reasons.isEmpty()) {
      return new SpreadResult.Failed(reasons);
    }
    int skew = n == 0 ? 0 : max - min;
    return new SpreadResult.Placed(
        d, skew > p.role().maxSkew() ? OptionalInt.of(skew) : OptionalInt.empty());
  }

  private static int index(RoleProblem p, String cluster) {
    for (int i = 0; i < p.size(); i++) {
      if (p.cluster(i).equals(cluster)) {
        return i;
      }
    }
    return -1;
  }
}
