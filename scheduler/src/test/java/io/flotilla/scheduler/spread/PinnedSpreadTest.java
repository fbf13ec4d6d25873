package io.flotilla.scheduler.spread;

import static io.flotilla.scheduler.fixtures.Problems.candidate;
import static io.flotilla.scheduler.fixtures.Problems.problem;
import static io.flotilla.scheduler.fixtures.Roles.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.scheduler.fixtures.Problems;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A placement pinned by hand is checked, not chosen: every pinned cluster must be a candidate with
 * room, a cordoned cluster gets no more than it holds, and exceeding maxSkew is reported.
 */
class PinnedSpreadTest {
  private static final Map<String, String> NOT_CANDIDATES =
      Map.of("down", "Ready: Ready is False: HeartbeatMissed");

  /**
   * Pinning {@code pinned} over the problem's candidates should place {@code counts} (with {@code
   * skewExceeded}), or, when counts is null, fail with reasons naming {@code clusters}.
   */
  record Case(
      Problems problem,
      Map<String, Integer> pinned,
      int[] counts,
      OptionalInt skewExceeded,
      List<String> clusters,
      List<String> says) {}

  private static Map<String, Integer> pins(Object... clusterCount) {
    Map<String, Integer> m = new TreeMap<>();
    for (int i = 0; i < clusterCount.length; i += 2) {
      m.put((String) clusterCount[i], (Integer) clusterCount[i + 1]);
    }
    return m;
  }

  private static Case placed(Problems p, Map<String, Integer> pinned, int... counts) {
    return new Case(p, pinned, counts, OptionalInt.empty(), List.of(), List.of());
  }

  private static Case fails(
      Problems p, Map<String, Integer> pinned, String cluster, String... says) {
    return new Case(p, pinned, null, OptionalInt.empty(), List.of(cluster), List.of(says));
  }

  private static Problems three(int replicas) {
    return problem(role("r", replicas)).with(candidate("c1"), candidate("c2"), candidate("c3"));
  }

  static Stream<Named<Case>> cases() {
    return Stream.of(
        named(
            "pinned counts within maxSkew are placed as given",
            placed(three(4), pins("c1", 1, "c2", 2, "c3", 1), 1, 2, 1)),
        named(
            "pinned counts may move replicas off a healthy cluster (the user's call)",
            placed(
                problem(role("r", 2))
                    .with(candidate("c1").old(2), candidate("c2"), candidate("c3")),
                pins("c2", 1, "c3", 1),
                0,
                1,
                1)),
        named(
            "a pinned zero on a non-candidate is ignored",
            placed(three(3), pins("c1", 1, "c2", 1, "c3", 1, "down", 0), 1, 1, 1)),
        named(
            "pinned beyond maxSkew is placed with the skew reported",
            new Case(
                three(5),
                pins("c1", 5),
                new int[] {5, 0, 0},
                OptionalInt.of(5),
                List.of(),
                List.of())),
        named(
            "pinned onto a cordoned cluster up to what it holds is accepted",
            placed(
                problem(role("r", 3)).with(candidate("c1"), candidate("c2").old(2).cordoned()),
                pins("c1", 1, "c2", 2),
                1,
                2)),
        named(
            "pinned to a cluster that is not a candidate fails, saying why it is not",
            fails(
                three(2),
                pins("c1", 1, "down", 1),
                "down",
                "not a candidate",
                "Ready is False: HeartbeatMissed")),
        named(
            "pinned to an unknown cluster fails: no such member cluster",
            fails(three(2), pins("c1", 1, "nowhere", 1), "nowhere", "no such member cluster")),
        named(
            "pinned over a cluster's capacity fails with its room",
            fails(
                problem(role("r", 4)).with(candidate("c1").free("2", "20Gi"), candidate("c2")),
                pins("c1", 3, "c2", 1),
                "c1",
                "holds at most 2",
                "room for 2 more")),
        named(
            "pinned more than it holds onto a cordoned cluster is refused",
            fails(
                problem(role("r", 3)).with(candidate("c1"), candidate("c2").old(1).cordoned()),
                pins("c1", 1, "c2", 2),
                "c2",
                "cordoned",
                "keeps its 1")),
        named(
            "pinned onto a shard's primary cluster beyond the shards it can hold is refused",
            fails(
                problem(role("slave", 3).shardOf("master", 1))
                    .with(candidate("user1"), candidate("user2"))
                    .shards(3, 2, 1),
                pins("user1", 2, "user2", 1),
                "user1",
                "shards have their primary here")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void checksAPinnedPlacement(Case k) {
    SpreadResult result = PinnedSpread.place(k.problem().build(), k.pinned(), NOT_CANDIDATES);
    if (k.counts() == null) {
      assertThat(result).isInstanceOf(SpreadResult.Failed.class);
      List<SpreadResult.Reason> reasons = ((SpreadResult.Failed) result).reasons();
      assertThat(reasons)
          .extracting(SpreadResult.Reason::cluster)
          .containsExactlyElementsOf(k.clusters());
      String all = String.join("\n", reasons.stream().map(SpreadResult.Reason::text).toList());
      for (String word : k.says()) {
        assertThat(all).contains(word);
      }
    } else {
      assertThat(result).isInstanceOf(SpreadResult.Placed.class);
      SpreadResult.Placed placed = (SpreadResult.Placed) result;
      assertThat(placed.counts()).containsExactly(k.counts());
      assertThat(placed.skewExceeded()).isEqualTo(k.skewExceeded());
    }
  }
}
