package io.flotilla.scheduler.quorum;

import io.flotilla.scheduler.Survivability;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Whether a voter set keeps its quorum through the loss of any one cluster: with V voters the
 * quorum is ⌊V/2⌋+1, so a cluster holding ⌊(V−1)/2⌋+1 or more of them breaks it when lost. Two
 * clusters can therefore never survive: one of them always holds at least half.
 */
public final class QuorumSurvivability {
  private QuorumSurvivability() {}

  public static Survivability evaluate(SortedMap<String, Integer> voters) {
    int total = 0;
    for (int v : voters.values()) {
      total += v;
    }
    int quorum = total / 2 + 1;
    List<String> breaking = new ArrayList<>();
    for (Map.Entry<String, Integer> e : voters.entrySet()) {
      if (e.getValue() > 0 && total - e.getValue() < quorum) {
        breaking.add(e.getKey());
      }
    }
    return new Survivability(total > 0 && breaking.isEmpty(), breaking, total, quorum);
  }
}
