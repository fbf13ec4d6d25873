package io.flotilla.scheduler.spread;

import static io.flotilla.scheduler.fixtures.Problems.candidate;
import static io.flotilla.scheduler.fixtures.Problems.problem;
import static io.flotilla.scheduler.fixtures.Roles.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.scheduler.fixtures.Problems;
import io.flotilla.scheduler.fixtures.Roles;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Karmada's static weight division: each cluster gets the whole part of M·w/W, the remainders go to
 * the largest fractions, then to earlier names; old replicas stay; capacity bounds hold.
 */
class WeightedSpreadTest {

  /** {@code counts} expected, or null when the role cannot be placed (then {@code says}). */
  record Case(Problems problem, int[] counts, List<String> says) {}

  private static Case placed(Problems p, int... counts) {
    return new Case(p, counts, List.of());
  }

  private static Case fails(Problems p, String... says) {
    return new Case(p, null, List.of(says));
  }

  private static Problems over3(Roles role) {
    return problem(role).with(candidate("c1"), candidate("c2"), candidate("c3"));
  }

  private static Problems over2(Roles role) {
    return problem(role).with(candidate("c1"), candidate("c2"));
  }

  static Stream<Named<Case>> cases() {
    return Stream.of(
        named(
            "weights 1:1:1 with 10 replicas: (4,3,3), the remainder to the earliest name",
            placed(over3(role("r", 10).weight("c1", 1).weight("c2", 1).weight("c3", 1)), 4, 3, 3)),
        named(
            "weights 2:1:1 with 8 replicas: (4,2,2)",
            placed(over3(role("r", 8).weight("c1", 2).weight("c2", 1).weight("c3", 1)), 4, 2, 2)),
        named(
            "weights 2:1:1 with 7 replicas: shares (3.5,1.75,1.75), remainders to the .75s:"
                + " (3,2,2)",
            placed(over3(role("r", 7).weight("c1", 2).weight("c2", 1).weight("c3", 1)), 3, 2, 2)),
        named(
            "weights 1:2 with 5 replicas: shares (1.67,3.33), the remainder to the larger"
                + " fraction: (2,3)",
            placed(over2(role("r", 5).weight("c1", 1).weight("c2", 2)), 2, 3)),
        named(
            "weights 2:1 with 5 replicas: the larger fraction wins over the earlier name: (3,2)",
            placed(over2(role("r", 5).weight("c1", 2).weight("c2", 1)), 3, 2)),
        named(
            "weights 1:1 with 3 replicas: equal fractions go to the earlier name, (2,1)",
            placed(over2(role("r", 3).weight("c1", 1).weight("c2", 1)), 2, 1)),
        named(
            "weights 3:1 with 8 replicas divide exactly: (6,2)",
            placed(over2(role("r", 8).weight("c1", 3).weight("c2", 1)), 6, 2)),
        named(
            "a candidate without a weight gets none: c1:1, c2:1 with 5 over c1..c3 is (3,2,0)",
            placed(over3(role("r", 5).weight("c1", 1).weight("c2", 1)), 3, 2, 0)),
        named(
            "a weight on a cluster that is not a candidate is ignored: c1:1, gone:5 puts all on c1",
            placed(over2(role("r", 4).weight("c1", 1).weight("gone", 5)), 4, 0)),
        named(
            "no candidate has a weight: fails, naming the weighted clusters",
            fails(over2(role("r", 4).weight("elsewhere", 1)), "has a weight", "elsewhere")),
        named(
            "old replicas are kept: weights 1:1, old (0,3), 4 replicas is (1,3)",
            placed(
                problem(role("r", 4).weight("c1", 1).weight("c2", 1))
                    .with(candidate("c1"), candidate("c2").old(3)),
                1,
                3)),
        named(
            "scaling down removes toward the weights: weights 1:1, old (3,3), 4 replicas is (2,2)",
            placed(
                problem(role("r", 4).weight("c1", 1).weight("c2", 1))
                    .with(candidate("c1").old(3), candidate("c2").old(3)),
                2,
                2)),
        named(
            "a capacity bound that binds hands the rest to the other weighted cluster: (1,3)",
            placed(
                problem(role("r", 4).weight("c1", 1).weight("c2", 1))
                    .with(candidate("c1").free("1", "20Gi"), candidate("c2")),
                1,
                3)),
        named(
            "capacity bounds binding everywhere: fails with each cluster's room",
            fails(
                problem(role("r", 4).weight("c1", 1).weight("c2", 1))
                    .with(candidate("c1").free("1", "20Gi"), candidate("c2").free("1", "20Gi")),
                "needs 4 replicas but its weighted clusters can hold only 2",
                "room for 1 more")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void dividesByStaticWeights(Case k) {
    SpreadResult result = WeightedSpread.place(k.problem().build());
    if (k.counts() == null) {
      assertThat(result).isInstanceOf(SpreadResult.Failed.class);
      String all =
          String.join(
              "\n",
              ((SpreadResult.Failed) result)
                  .reasons().stream().map(r -> r.cluster() + ": " + r.text()).toList());
      for (String word : k.says()) {
        assertThat(all).contains(word);
      }
    } else {
      assertThat(result).isInstanceOf(SpreadResult.Placed.class);
      SpreadResult.Placed placed = (SpreadResult.Placed) result;
      assertThat(placed.counts()).containsExactly(k.counts());
      assertThat(placed.skewExceeded()).isEmpty();
    }
  }
}
