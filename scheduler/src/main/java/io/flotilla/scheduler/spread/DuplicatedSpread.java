package io.flotilla.scheduler.spread;

import io.flotilla.scheduler.spread.SpreadResult.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Karmada's Duplicated: every candidate cluster runs all of the role's replicas. */
public final class DuplicatedSpread {
  private DuplicatedSpread() {}

  public static SpreadResult place(RoleProblem p) {
    int n = p.size();
    int[] d = new int[n];
    List<Reason> reasons = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // a cordoned cluster keeps what it has, up to the new count, and gets nothing more
      d[i] = p.noNew(i) ? Math.min(p.replicas(), p.old(i)) : p.replicas();
      if (d[i] > p.capacity(i)) {
        reasons.add(
            new Reason(
                p.cluster(i),
                "must run all "
                    + d[i]
                    + " replicas of role "
                    + p.role().role()
                    + " but holds at most "
                    + p.capacity(i)
                    + ": "
                    + p.describeCapacity(i)));
      }
    }
    return reasons.isEmpty()
        ? new SpreadResult.Placed(d, OptionalInt.empty())
        : new SpreadResult.Failed(reasons);
  }
}
