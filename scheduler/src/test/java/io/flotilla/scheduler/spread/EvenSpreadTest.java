package io.flotilla.scheduler.spread;

import static io.flotilla.scheduler.fixtures.Problems.candidate;
import static io.flotilla.scheduler.fixtures.Problems.problem;
import static io.flotilla.scheduler.fixtures.Roles.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.scheduler.fixtures.Problems;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The even spread with the best headroom. Every candidate defaults to 10 cpu and 20Gi allocatable,
 * all free; each replica requests 1 cpu and 1Gi unless a case says otherwise.
 */
class EvenSpreadTest {

  /** The problem should be placed as {@code counts}, with {@code skewExceeded} when present. */
  record Placed(Problems problem, int[] counts, OptionalInt skewExceeded) {}

  private static Placed placed(Problems p, int... counts) {
    return new Placed(p, counts, OptionalInt.empty());
  }

  private static Placed placedExceeding(int skew, Problems p, int... counts) {
    return new Placed(p, counts, OptionalInt.of(skew));
  }

  static Stream<Named<Placed>> placements() {
    return Stream.of(
        named(
            "7 replicas over 3 equal clusters from (1,1,1) keeps old replicas and gives the extra"
                + " one to the earliest name: (3,2,2)",
            placed(
                problem(role("r", 7))
                    .with(
                        candidate("c1").old(1).free("9", "19Gi"),
                        candidate("c2").old(1).free("9", "19Gi"),
                        candidate("c3").old(1).free("9", "19Gi")),
                3,
                2,
                2)),
        named(
            "7 replicas from (1,1,1) where c3 has the most free resources: (2,2,3)",
            placed(
                problem(role("r", 7))
                    .with(
                        candidate("c1").old(1).free("8", "16Gi"),
                        candidate("c2").old(1).free("8", "16Gi"),
                        candidate("c3").old(1).free("9", "18Gi")),
                2,
                2,
                3)),
        named(
            "6 replicas over 3 equal clusters: (2,2,2)",
            placed(
                problem(role("r", 6)).with(candidate("c1"), candidate("c2"), candidate("c3")),
                2,
                2,
                2)),
        named(
            "7 fresh replicas over 3 equal clusters: the extra one to the earliest name, (3,2,2)",
            placed(
                problem(role("r", 7)).with(candidate("c1"), candidate("c2"), candidate("c3")),
                3,
                2,
                2)),
        named(
            "2 replicas over 4 clusters (M < N): 2 clusters get 1, those with the most headroom",
            placed(
                problem(role("r", 2))
                    .with(
                        candidate("c1").free("4", "20Gi"),
                        candidate("c2").free("9", "20Gi"),
                        candidate("c3").free("6", "20Gi"),
                        candidate("c4").free("8", "20Gi")),
                0,
                1,
                0,
                1)),
        named(
            "one candidate (N = 1): all 5 in it",
            placed(problem(role("r", 5)).with(candidate("only")), 5)),
        named(
            "0 replicas: none anywhere",
            placed(problem(role("r", 0)).with(candidate("c1"), candidate("c2")), 0, 0)),
        named(
            "maxSkew 1: 6 over a big and two small clusters is (2,2,2)",
            placed(
                problem(role("r", 6).request("1", "0"))
                    .with(
                        candidate("big").allocatable("100", "20Gi"),
                        candidate("small1"),
                        candidate("small2")),
                2,
                2,
                2)),
        named(
            "maxSkew 2 lets the big cluster take more when headroom says so: (3,2,1)",
            placed(
                problem(role("r", 6).request("1", "0").maxSkew(2))
                    .with(
                        candidate("big").allocatable("100", "20Gi"),
                        candidate("small1"),
                        candidate("small2")),
                3,
                2,
                1)),
        named(
            "scale down from (3,3,1) to 4 removes from the cluster with the least headroom:"
                + " (1,2,1)",
            placed(
                problem(role("r", 4).request("1", "0"))
                    .with(
                        candidate("c1").old(3).free("1", "20Gi"),
                        candidate("c2").old(3).free("5", "20Gi"),
                        candidate("c3").old(1).free("5", "20Gi")),
                1,
                2,
                1)),
        named(
            "scale down from (3,3,1) to 6 never adds to c3: skew 2 is the least possible,"
                + " (2,3,1)",
            placedExceeding(
                2,
                problem(role("r", 6).request("1", "0"))
                    .with(
                        candidate("c1").old(3).free("1", "20Gi"),
                        candidate("c2").old(3).free("5", "20Gi"),
                        candidate("c3").old(1).free("9", "20Gi")),
                2,
                3,
                1)),
        named(
            "scale down from (3,3,1) on a cluster with no room left still only removes",
            placed(
                problem(role("r", 4))
                    .with(
                        candidate("c1").old(3).free("0", "0"),
                        candidate("c2").old(3).free("0", "0"),
                        candidate("c3").old(1).free("0", "0")),
                2,
                1,
                1)),
        named(
            "failover survivors (2,2) take the displaced replica: 5 over 2 stays within maxSkew"
                + " 1, (3,2)",
            placed(
                problem(role("r", 5)).with(candidate("c1").old(2), candidate("c2").old(2)), 3, 2)),
        named(
            "failover survivors (2,2,0): the displaced replica goes to the empty cluster, (2,2,1)",
            placed(
                problem(role("r", 5))
                    .with(candidate("c1").old(2), candidate("c2").old(2), candidate("c3")),
                2,
                2,
                1)),
        named(
            "failover survivors (4,1) taking 6: the skew 2 that cannot be avoided is reported,"
                + " (4,2)",
            placedExceeding(
                2,
                problem(role("r", 6)).with(candidate("c1").old(4), candidate("c2").old(1)),
                4,
                2)),
        named(
            "old (4,0,0) with new empty clusters and the same total: D = old, skew 4 reported",
            placedExceeding(
                4,
                problem(role("r", 4))
                    .with(candidate("c1").old(4), candidate("c2"), candidate("c3")),
                4,
                0,
                0)),
        named(
            "a cordoned cluster keeps its replica and gets no new ones: (1,1,1) to 5 is (2,2,1)",
            placed(
                problem(role("r", 5))
                    .with(
                        candidate("c1").old(1),
                        candidate("c2").old(1),
                        candidate("c3").old(1).cordoned()),
                2,
                2,
                1)),
        named(
            "a role that does not request a cluster's binding resource prefers the cluster where"
                + " adding costs no headroom: 1 replica goes to the cpu-bound c1",
            placed(
                problem(role("r", 1).request("0", "1Gi"))
                    .with(
                        candidate("c1").allocatable("10", "100Gi").free("1", "100Gi"),
                        candidate("c2").allocatable("10", "10Gi").free("10", "5Gi"),
                        candidate("c3").allocatable("10", "10Gi").free("10", "5Gi")),
                1,
                0,
                0)),
        named(
            "a role that does not request a cluster's binding resource: 2 replicas go to c1 and"
                + " the earlier of the equal memory-bound ones, not to both memory-bound ones",
            placed(
                problem(role("r", 2).request("0", "1Gi"))
                    .with(
                        candidate("c1").allocatable("10", "100Gi").free("1", "100Gi"),
                        candidate("c2").allocatable("10", "10Gi").free("10", "5Gi"),
                        candidate("c3").allocatable("10", "10Gi").free("10", "5Gi")),
                1,
                1,
                0)),
        named(
            "equal headroom after the addition: it goes where headroom is lower now, keeping the"
                + " other cluster's headroom whole",
            placed(
                problem(role("r", 1).request("1", "0"))
                    .with(
                        candidate("c1").allocatable("10", "20Gi"),
                        candidate("c2").allocatable("20", "20Gi").free("19", "20Gi")),
                0,
                1)),
        named(
            "shard replicas avoid their primaries' clusters: masters (2,1) leave room for slaves"
                + " (1,2)",
            placed(
                problem(role("slave", 3).shardOf("master", 1))
                    .with(candidate("user1"), candidate("user2"))
                    .shards(3, 2, 1),
                1,
                2)),
        named(
            "resources bound one cluster: the others take the rest within maxSkew, (1,2,2)",
            placed(
                problem(role("r", 5))
                    .with(candidate("c1").free("1", "20Gi"), candidate("c2"), candidate("c3")),
                1,
                2,
                2)));
  }

  @ParameterizedTest
  @MethodSource("placements")
  void placesTheBestEvenDistribution(Placed k) {
    RoleProblem p = k.problem().build();
    SpreadResult result = EvenSpread.place(p);
    assertThat(result).isInstanceOf(SpreadResult.Placed.class);
    SpreadResult.Placed placed = (SpreadResult.Placed) result;
    assertThat(placed.counts()).containsExactly(k.counts());
    assertThat(placed.skewExceeded()).isEqualTo(k.skewExceeded());
    for (int i = 0; i < p.size(); i++) {
      if (p.scaleDown()) {
        assertThat(placed.counts()[i])
            .as("scale down never adds, %s", p.cluster(i))
            .isLessThanOrEqualTo(p.old(i));
      } else {
        assertThat(placed.counts()[i])
            .as("old replicas stay, %s", p.cluster(i))
            .isGreaterThanOrEqualTo(p.old(i));
      }
    }
  }

  static Stream<Named<Placed>> indifferentHeadroom() {
    return Stream.of(
        named(
            "4 replicas that request nothing over 2 clusters with maxSkew 2 stay even: (2,2)",
            placed(
                problem(role("r", 4).request("0", "0").maxSkew(2))
                    .with(candidate("c1"), candidate("c2")),
                2,
                2)),
        named(
            "6 replicas that request nothing over 3 clusters with maxSkew 5 stay even: (2,2,2)",
            placed(
                problem(role("r", 6).request("0", "0").maxSkew(5))
                    .with(candidate("c1"), candidate("c2"), candidate("c3")),
                2,
                2,
                2)));
  }

  @ParameterizedTest
  @MethodSource("indifferentHeadroom")
  void extraSkewIsUsedOnlyWhenHeadroomSaysSo(Placed k) {
    SpreadResult result = EvenSpread.place(k.problem().build());
    assertThat(result).isInstanceOf(SpreadResult.Placed.class);
    assertThat(((SpreadResult.Placed) result).counts()).containsExactly(k.counts());
  }

  /** The problem cannot be placed; reasons should name these clusters and say these words. */
  record Failed(Problems problem, List<String> clusters, List<String> says) {}

  static Stream<Named<Failed>> failures() {
    return Stream.of(
        named(
            "5 replicas over 3 clusters with room for 1 each fails, each cluster saying its room",
            new Failed(
                problem(role("r", 5))
                    .with(
                        candidate("c1").free("1", "20Gi"),
                        candidate("c2").free("1", "20Gi"),
                        candidate("c3").free("1500m", "20Gi")),
                List.of("", "c1", "c2", "c3"),
                List.of("needs 5 replicas", "can hold only 3", "room for 1 more"))),
        named(
            "7 replicas where one cluster's room breaks maxSkew 1: fails naming that cluster",
            new Failed(
                problem(role("r", 7))
                    .with(candidate("c1").free("1", "20Gi"), candidate("c2"), candidate("c3")),
                List.of("", "c1"),
                List.of("within maxSkew 1", "room for 1 more"))),
        named(
            "memory too small: the reason says what each replica needs and what is free",
            new Failed(
                problem(role("r", 2).request("1", "4Gi")).with(candidate("c1").free("10", "3Gi")),
                List.of("", "c1"),
                List.of("room for 0 more", "each needs 1 cpu, 4Gi memory", "free: 10 cpu, 3Gi"))),
        named(
            "shards: a single cluster holding every primary cannot hold their replicas",
            new Failed(
                problem(role("slave", 2).shardOf("master", 1)).with(candidate("c1")).shards(2, 2),
                List.of("c1"),
                List.of("shards have their primary here"))));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void failsWithAReasonPerCluster(Failed k) {
    SpreadResult result = EvenSpread.place(k.problem().build());
    assertThat(result).isInstanceOf(SpreadResult.Failed.class);
    List<SpreadResult.Reason> reasons = ((SpreadResult.Failed) result).reasons();
    assertThat(reasons).extracting(SpreadResult.Reason::cluster).containsAll(k.clusters());
    String all = String.join("\n", reasons.stream().map(SpreadResult.Reason::text).toList());
    for (String word : k.says()) {
      assertThat(all).contains(word);
    }
  }
}
