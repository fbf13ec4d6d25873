package io.flotilla.scheduler.spread;

import static io.flotilla.scheduler.fixtures.Problems.candidate;
import static io.flotilla.scheduler.fixtures.Problems.problem;
import static io.flotilla.scheduler.fixtures.Roles.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.scheduler.fixtures.Problems;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * maxClusters narrows a role's candidates, keeping: clusters already holding the role, then those
 * with the most room for more replicas, then the most headroom, then earlier names; clusters that
 * hold the role are all kept even beyond maxClusters.
 */
class ClusterCountTest {

  /** narrow(problem, maxClusters) should keep the candidate indices {@code kept}. */
  record Case(Problems problem, int maxClusters, int[] kept) {}

  static Stream<Named<Case>> cases() {
    return Stream.of(
        named(
            "maxClusters at least the candidates keeps them all",
            new Case(
                problem(role("r", 4)).with(candidate("c1"), candidate("c2"), candidate("c3")),
                3,
                new int[] {0, 1, 2})),
        named(
            "equal clusters: the earlier names",
            new Case(
                problem(role("r", 4)).with(candidate("c1"), candidate("c2"), candidate("c3")),
                2,
                new int[] {0, 1})),
        named(
            "by headroom: the two with the most free cpu",
            new Case(
                problem(role("r", 4))
                    .with(
                        candidate("c1").free("5", "20Gi"),
                        candidate("c2").free("9", "20Gi"),
                        candidate("c3").free("7", "20Gi")),
                2,
                new int[] {1, 2})),
        named(
            "a cluster holding old replicas is kept first, even with the least headroom",
            new Case(
                problem(role("r", 4))
                    .with(
                        candidate("c1").free("9", "20Gi"),
                        candidate("c2").free("8", "20Gi"),
                        candidate("c3").free("7", "20Gi"),
                        candidate("c4").old(2).free("1", "20Gi")),
                2,
                new int[] {0, 3})),
        named(
            "more room beats more headroom: a big busy cluster before a small empty one",
            new Case(
                problem(role("r", 2))
                    .with(
                        candidate("c1").allocatable("4", "20Gi").free("4", "20Gi"),
                        candidate("c2").allocatable("100", "20Gi").free("50", "20Gi")),
                1,
                new int[] {1})),
        named(
            "room for one more comes before headroom: the roomy cluster beats the emptier tiny one",
            new Case(
                problem(role("r", 2))
                    .with(
                        candidate("c1").allocatable("1", "20Gi").free("900m", "20Gi"),
                        candidate("c2").allocatable("100", "20Gi").free("10", "20Gi")),
                1,
                new int[] {1})),
        named(
            "a cordoned cluster without the role has no room for one more",
            new Case(
                problem(role("r", 2))
                    .with(candidate("c1").cordoned(), candidate("c2").free("1", "20Gi")),
                1,
                new int[] {1})),
        named(
            "every cluster holding old replicas is kept even beyond maxClusters",
            new Case(
                problem(role("r", 3))
                    .with(
                        candidate("c1").old(1),
                        candidate("c2").old(1),
                        candidate("c3").old(1),
                        candidate("c4")),
                2,
                new int[] {0, 1, 2})));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void keepsTheFirstRankedClusters(Case k) {
    RoleProblem p = k.problem().build();
    int keep = Math.min(p.size(), Math.max(k.maxClusters(), ClusterCount.holding(p)));
    int[] kept = Arrays.copyOf(ClusterCount.rank(p), keep);
    Arrays.sort(kept);
    assertThat(kept).containsExactly(k.kept());
  }
}
