package io.flotilla.scheduler.spread;

import java.util.List;

/** The outcome of placing one role: counts per candidate, or the reasons it cannot be placed. */
public sealed interface SpreadResult {
  /**
   * @param counts replicas per candidate, in the problem's candidate order
   * @param skewExceeded when present, the smallest skew possible, above the role's maxSkew, because
   *     replicas that must stay made maxSkew impossible
   */
  record Placed(int[] counts, java.util.OptionalInt skewExceeded) implements SpreadResult {}

  /** Why the role cannot be placed; {@code cluster} empty for a reason about the whole role. */
  record Reason(String cluster, String text) {}

  record Failed(List<Reason> reasons) implements SpreadResult {
    public Failed {
      reasons = List.copyOf(reasons);
    }
  }
}
