package io.flotilla.scheduler;

import java.util.List;

/**
 * Whether a voter role keeps its quorum when any one cluster is lost.
 *
 * @param voters the role's members in all
 * @param quorum the majority needed: ⌊voters/2⌋ + 1
 * @param breakingClusters the clusters whose loss alone leaves fewer than {@code quorum} voters,
 *     sorted by name
 */
public record Survivability(
    boolean survivesAnyClusterLoss, List<String> breakingClusters, int voters, int quorum) {
  public Survivability {
    breakingClusters = List.copyOf(breakingClusters);
  }
}
