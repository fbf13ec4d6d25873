package io.flotilla.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.ops.redis.RedisMembership.Address;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which slot range each shard of a new topology serves. Nodes are named by letter: {@code M4} is
 * master-4's address and so on; {@code owns} says which range a node serves now.
 */
class RedisDriverRangesTest {
  private static Address a(String name) {
    return new Address(name, 6379);
  }

  private static Map<Integer, List<Address>> shards(List<List<String>> members) {
    Map<Integer, List<Address>> out = new TreeMap<>();
    for (int s = 0; s < members.size(); s++) {
      out.put(s, members.get(s).stream().map(RedisDriverRangesTest::a).toList());
    }
    return out;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "shards whose primaries serve their own ranges keep them",
            List.of(List.of("M1", "S10"), List.of("M4", "S13"), List.of("M7", "S16")),
            Map.of("M1", 0, "M4", 1, "M7", 2),
            Map.of(0, 0, 1, 1, 2, 2)),
        Arguments.of(
            "after a failover renumbers the shards, a surviving primary keeps the range it serves"
                + " and the shard of new nodes gets the range a promoted replica serves elsewhere",
            List.of(List.of("M4", "S16"), List.of("M5", "S17"), List.of("M7", "S13")),
            Map.of("S13", 0, "M4", 1, "M7", 2),
            Map.of(0, 1, 1, 0, 2, 2)),
        Arguments.of(
            "a shard whose promoted replica serves a range keeps that range",
            List.of(List.of("M5", "S13"), List.of("M4", "S16"), List.of("M7", "S17")),
            Map.of("S13", 0, "M4", 1, "M7", 2),
            Map.of(0, 0, 1, 1, 2, 2)),
        Arguments.of(
            "a shard holding two owners keeps its primary's range; the other range goes to a shard"
                + " without one (handed over)",
            List.of(List.of("M4", "S13"), List.of("N1", "S16")),
            Map.of("M4", 1, "S13", 0),
            Map.of(0, 1, 1, 0)),
        Arguments.of(
            "shards of new nodes only take the ranges left, in order",
            List.of(List.of("N1"), List.of("M4"), List.of("N2")),
            Map.of("M4", 0),
            Map.of(0, 1, 1, 0, 2, 2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachShardServesTheRangeItsSurvivorsHold(
      String name,
      List<List<String>> members,
      Map<String, Integer> owns,
      Map<Integer, Integer> expected) {
    Map<Address, Integer> owning = new TreeMap<>(java.util.Comparator.comparing(Address::host));
    owns.forEach((k, v) -> owning.put(a(k), v));
    assertThat(RedisDriver.assignRanges(shards(members), owning, members.size()))
        .isEqualTo(expected);
  }
}
