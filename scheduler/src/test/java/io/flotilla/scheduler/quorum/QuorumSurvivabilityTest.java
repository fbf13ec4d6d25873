package io.flotilla.scheduler.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.scheduler.Survivability;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Quorum survivability: with V voters the quorum is ⌊V/2⌋+1, and a cluster holding ⌊(V−1)/2⌋+1 or
 * more of them breaks it when lost.
 */
class QuorumSurvivabilityTest {

  /** Voters per cluster (a, b, c, ... in order) and the clusters whose loss breaks quorum. */
  record Case(int[] voters, List<String> breaking) {}

  private static Case voters(int[] counts, String... breaking) {
    return new Case(counts, List.of(breaking));
  }

  private static int[] of(int... v) {
    return v;
  }

  static Stream<Named<Case>> cases() {
    return Stream.of(
        named("(1,1,1) survives any one cluster's loss", voters(of(1, 1, 1))),
        named("(2,2,1) survives: losing 2 of 5 leaves 3, a quorum", voters(of(2, 2, 1))),
        named("(2,2,2,1) survives: losing 2 of 7 leaves 5 ≥ 4", voters(of(2, 2, 2, 1))),
        named("(1,1,1,1) survives: losing 1 of 4 leaves 3", voters(of(1, 1, 1, 1))),
        named("(2,2,2) survives: losing 2 of 6 leaves 4", voters(of(2, 2, 2))),
        named("(2,1) is broken by the cluster holding 2", voters(of(2, 1), "a")),
        named(
            "(1,1) over 2 clusters is broken by both: 2 clusters can never survive",
            voters(of(1, 1), "a", "b")),
        named("(2,2) over 2 clusters is broken by both", voters(of(2, 2), "a", "b")),
        named("(3,2) is broken by the 3", voters(of(3, 2), "a")),
        named("(2,3) is broken by the 3, whatever its name", voters(of(2, 3), "b")),
        named("(2,1,1) is broken by the 2: 4 voters need 3", voters(of(2, 1, 1), "a")),
        named("(1,3,1) is broken by the 3", voters(of(1, 3, 1), "b")),
        named("a single cluster holding all voters is broken by itself", voters(of(3), "a")),
        named("a cluster holding no voter breaks nothing", voters(of(0, 1, 1, 1))));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void reportsWhichClusterLossBreaksQuorum(Case k) {
    SortedMap<String, Integer> voters = new TreeMap<>();
    int total = 0;
    for (int i = 0; i < k.voters().length; i++) {
      voters.put(String.valueOf((char) ('a' + i)), k.voters()[i]);
      total += k.voters()[i];
    }
    Survivability s = QuorumSurvivability.evaluate(voters);
    assertThat(s.voters()).isEqualTo(total);
    assertThat(s.quorum()).isEqualTo(total / 2 + 1);
    assertThat(s.breakingClusters()).containsExactlyElementsOf(k.breaking());
    assertThat(s.survivesAnyClusterLoss()).isEqualTo(k.breaking().isEmpty());
    // DESIGN.md §4's form of the rule: a cluster with ⌊(V−1)/2⌋+1 or more voters breaks quorum
    int threshold = (total - 1) / 2 + 1;
    for (String c : voters.keySet()) {
      assertThat(k.breaking().contains(c)).as(c).isEqualTo(voters.get(c) >= threshold);
    }
  }

  @ParameterizedTest
  @MethodSource("quorums")
  void quorumIsAMajorityOfTheVoters(int voters, int quorum) {
    SortedMap<String, Integer> one = new TreeMap<>();
    one.put("a", voters);
    assertThat(QuorumSurvivability.evaluate(one).quorum()).isEqualTo(quorum);
  }

  static Stream<Arguments> quorums() {
    return Stream.of(
        Arguments.of(1, 1),
        Arguments.of(2, 2),
        Arguments.of(3, 2),
        Arguments.of(4, 3),
        Arguments.of(5, 3),
        Arguments.of(7, 4));
  }

  @Test
  void noVotersAtAllDoNotSurvive() {
    Survivability s = QuorumSurvivability.evaluate(new TreeMap<>());
    assertThat(s.voters()).isZero();
    assertThat(s.survivesAnyClusterLoss()).isFalse();
    assertThat(s.breakingClusters()).isEmpty();
  }
}
