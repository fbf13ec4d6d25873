package io.flotilla.scheduler.spread;

import static io.flotilla.scheduler.fixtures.Problems.candidate;
import static io.flotilla.scheduler.fixtures.Problems.problem;
import static io.flotilla.scheduler.fixtures.Roles.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.scheduler.fixtures.Problems;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Karmada's Duplicated: every candidate cluster runs all of the role's replicas. */
class DuplicatedSpreadTest {

  /** {@code counts} expected, or null when it cannot be placed (then reasons per cluster). */
  record Case(Problems problem, int[] counts, List<String> failingClusters, List<String> says) {}

  private static Case placed(Problems p, int... counts) {
    return new Case(p, counts, List.of(), List.of());
  }

  static Stream<Named<Case>> cases() {
    return Stream.of(
        named(
            "2 name servers duplicated over 3 clusters: 2 in each",
            placed(
                problem(role("nameserver", 2).duplicated())
                    .with(candidate("c1"), candidate("c2"), candidate("c3")),
                2,
                2,
                2)),
        named(
            "old replicas do not change the count: each cluster still runs all 2",
            placed(
                problem(role("nameserver", 2).duplicated())
                    .with(candidate("c1").old(2), candidate("c2").old(1), candidate("c3")),
                2,
                2,
                2)),
        named(
            "a cordoned cluster keeps what it has up to the count and gets no more: (2,1)",
            placed(
                problem(role("nameserver", 2).duplicated())
                    .with(candidate("c1"), candidate("c2").old(1).cordoned()),
                2,
                1)),
        named(
            "a cordoned cluster holding more than the new count keeps only the count: (2,2)",
            placed(
                problem(role("nameserver", 2).duplicated())
                    .with(candidate("c1"), candidate("c2").old(3).cordoned()),
                2,
                2)),
        named(
            "a cordoned cluster without the role gets none",
            placed(
                problem(role("nameserver", 2).duplicated())
                    .with(candidate("c1"), candidate("c2").cordoned()),
                2,
                0)),
        named(
            "a cluster without room for all of them fails, saying its room",
            new Case(
                problem(role("nameserver", 3).duplicated())
                    .with(candidate("c1"), candidate("c2").free("2", "20Gi")),
                null,
                List.of("c2"),
                List.of(
                    "must run all 3 replicas of role nameserver",
                    "holds at most 2",
                    "room for 2 more"))));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void everyCandidateRunsAllReplicas(Case k) {
    SpreadResult result = DuplicatedSpread.place(k.problem().build());
    if (k.counts() == null) {
      assertThat(result).isInstanceOf(SpreadResult.Failed.class);
      List<SpreadResult.Reason> reasons = ((SpreadResult.Failed) result).reasons();
      assertThat(reasons)
          .extracting(SpreadResult.Reason::cluster)
          .containsExactlyElementsOf(k.failingClusters());
      String all = String.join("\n", reasons.stream().map(SpreadResult.Reason::text).toList());
      for (String word : k.says()) {
        assertThat(all).contains(word);
      }
    } else {
      assertThat(result).isInstanceOf(SpreadResult.Placed.class);
      assertThat(((SpreadResult.Placed) result).counts()).containsExactly(k.counts());
      assertThat(((SpreadResult.Placed) result).skewExceeded()).isEmpty();
    }
  }
}
