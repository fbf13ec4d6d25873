package io.flotilla.scheduler.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.api.ShardPlacement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shard anti-affinity: each shard's primary and its R replicas are in different clusters, and the
 * shard map adds up to the role counts the spread chose.
 */
class ShardPlannerTest {

  /**
   * S shards with R replicas each, primaries P and replicas D per cluster, and the previous
   * assignment; {@code expected} when the exact assignment is part of the case (else only the
   * invariants are checked).
   */
  record Case(
      int shards,
      int perShard,
      Map<String, Integer> primaries,
      Map<String, Integer> replicas,
      List<ShardPlacement> previous,
      List<ShardPlacement> expected) {}

  private static Map<String, Integer> counts(Object... clusterCount) {
    SortedMap<String, Integer> m = new TreeMap<>();
    for (int i = 0; i < clusterCount.length; i += 2) {
      m.put((String) clusterCount[i], (Integer) clusterCount[i + 1]);
    }
    return m;
  }

  private static ShardPlacement shard(int shard, String primary, String... replicas) {
    return new ShardPlacement(shard, primary, List.of(replicas));
  }

  static Stream<Named<Case>> plans() {
    return Stream.of(
        named(
            "the talk's example: masters user1:2, user2:1 and slaves user1:1, user2:2 give every"
                + " shard its slave outside its master's cluster",
            new Case(
                3,
                1,
                counts("user1", 2, "user2", 1),
                counts("user1", 1, "user2", 2),
                List.of(),
                List.of(
                    shard(0, "user1", "user2"),
                    shard(1, "user1", "user2"),
                    shard(2, "user2", "user1")))),
        named(
            "R = 2 replicas per shard over 4 clusters, one primary and two replicas on each",
            new Case(
                4,
                2,
                counts("a", 1, "b", 1, "c", 1, "d", 1),
                counts("a", 2, "b", 2, "c", 2, "d", 2),
                List.of(),
                null)),
        named(
            "R = 2 over 3 clusters: each shard uses all three clusters",
            new Case(
                3,
                2,
                counts("a", 1, "b", 1, "c", 1),
                counts("a", 2, "b", 2, "c", 2),
                List.of(),
                null)),
        named(
            "a tight cluster (D + P = S) is used by every shard: z holds 1 primary and 2"
                + " replicas of 3 shards, so shard 0 must take z rather than the earlier b",
            new Case(
                3,
                1,
                counts("a", 1, "b", 1, "z", 1),
                counts("b", 1, "z", 2),
                List.of(),
                List.of(shard(0, "a", "z"), shard(1, "b", "z"), shard(2, "z", "b")))),
        named(
            "a tight cluster comes before the shard's previous replica cluster: keeping shard 0's"
                + " slave on b would leave shard 2 (primary z) nowhere to go",
            new Case(
                3,
                1,
                counts("a", 1, "b", 1, "z", 1),
                counts("b", 1, "z", 2),
                List.of(shard(0, "a", "b"), shard(1, "b", "z"), shard(2, "z", "a")),
                List.of(shard(0, "a", "z"), shard(1, "b", "z"), shard(2, "z", "b")))),
        named(
            "a previous assignment that is still valid is kept exactly",
            new Case(
                3,
                1,
                counts("a", 1, "b", 1, "c", 1),
                counts("a", 1, "b", 1, "c", 1),
                List.of(shard(0, "a", "c"), shard(1, "b", "a"), shard(2, "c", "b")),
                List.of(shard(0, "a", "c"), shard(1, "b", "a"), shard(2, "c", "b")))),
        named(
            "previous primaries are kept by shard number, whatever the name order",
            new Case(
                3,
                1,
                counts("a", 1, "b", 1, "c", 1),
                counts("a", 1, "b", 1, "c", 1),
                List.of(shard(0, "c", "a"), shard(1, "a", "b"), shard(2, "b", "c")),
                List.of(shard(0, "c", "a"), shard(1, "a", "b"), shard(2, "b", "c")))),
        named(
            "after losing cluster c, shards keep what still holds and move only what must",
            new Case(
                3,
                1,
                counts("a", 2, "b", 1),
                counts("a", 1, "b", 2),
                List.of(shard(0, "a", "c"), shard(1, "b", "a"), shard(2, "c", "b")),
                List.of(shard(0, "a", "b"), shard(1, "b", "a"), shard(2, "a", "b")))),
        named("no shards: an empty map", new Case(0, 1, counts(), counts(), List.of(), List.of())));
  }

  @ParameterizedTest
  @MethodSource("plans")
  void assignsShardsWithAntiAffinity(Case k) {
    List<ShardPlacement> plan =
        ShardPlanner.plan(k.shards(), k.perShard(), k.primaries(), k.replicas(), k.previous());
    if (k.expected() != null) {
      assertThat(plan).containsExactlyElementsOf(k.expected());
    }
    assertThat(plan).extracting(ShardPlacement::shard).containsExactlyElementsOf(range(k.shards()));
    SortedMap<String, Integer> primaries = new TreeMap<>();
    SortedMap<String, Integer> replicas = new TreeMap<>();
    for (ShardPlacement s : plan) {
      assertThat(s.replicas())
          .as("shard %d", s.shard())
          .hasSize(k.perShard())
          .doesNotContain(s.primary())
          .doesNotHaveDuplicates();
      primaries.merge(s.primary(), 1, Integer::sum);
      s.replicas().forEach(c -> replicas.merge(c, 1, Integer::sum));
    }
    assertThat(primaries).isEqualTo(nonZero(k.primaries()));
    assertThat(replicas).isEqualTo(nonZero(k.replicas()));
  }

  private static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  private static SortedMap<String, Integer> nonZero(Map<String, Integer> m) {
    SortedMap<String, Integer> out = new TreeMap<>();
    m.forEach(
        (c, v) -> {
          if (v > 0) {
            out.put(c, v);
          }
        });
    return out;
  }

  /** Counts that admit no assignment: D_c + P_c > S for some c, or primaries not adding up. */
  record Impossible(
      int shards, int perShard, Map<String, Integer> primaries, Map<String, Integer> replicas) {}

  static Stream<Named<Impossible>> impossible() {
    return Stream.of(
        named(
            "a: 2 primaries + 1 replica > 2 shards",
            new Impossible(2, 1, counts("a", 2), counts("a", 1, "b", 1))),
        named(
            "a: 1 primary + 2 replicas > 2 shards",
            new Impossible(2, 1, counts("a", 1, "b", 1), counts("a", 2))),
        named(
            "R = 2 over 2 clusters: the primary's cluster would need a replica too",
            new Impossible(2, 2, counts("a", 1, "b", 1), counts("a", 2, "b", 2))),
        named(
            "primaries do not add up to the shards",
            new Impossible(3, 1, counts("a", 1, "b", 1), counts("a", 1, "b", 1, "c", 1))));
  }

  @ParameterizedTest
  @MethodSource("impossible")
  void refusesCountsThatAdmitNoAssignment(Impossible k) {
    assertThatThrownBy(
            () ->
                ShardPlanner.plan(k.shards(), k.perShard(), k.primaries(), k.replicas(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @MethodSource("plans")
  void theSameInputsGiveTheSamePlan(Case k) {
    List<ShardPlacement> first =
        ShardPlanner.plan(k.shards(), k.perShard(), k.primaries(), k.replicas(), k.previous());
    List<ShardPlacement> second =
        ShardPlanner.plan(
            k.shards(),
            k.perShard(),
            new TreeMap<>(k.primaries()).descendingMap(),
            new TreeMap<>(k.replicas()).descendingMap(),
            k.previous());
    assertThat(second).isEqualTo(first);
    assertThat(new HashSet<>(first)).hasSize(first.size());
  }
}
