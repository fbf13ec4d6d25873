package io.flotilla.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.api.Placement;
import io.flotilla.controller.IdBlocks.Block;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IdBlocksTest {
  private static final Map<String, Integer> FIVE_VOTERS = Map.of("participant", 5);

  private static Placement p(int dc1, int dc2, int dc3) {
    Placement.Builder b = Placement.builder();
    if (dc1 > 0) b.put("participant", "dc1", dc1);
    if (dc2 > 0) b.put("participant", "dc2", dc2);
    if (dc3 > 0) b.put("participant", "dc3", dc3);
    return b.build();
  }

  /** 2+2+1 placed fresh: dc1 [1,6), dc2 [6,11), dc3 [11,16), each as large as the role. */
  private static final IdBlocks FRESH_221 =
      IdBlocks.EMPTY.assign(p(2, 2, 1), Placement.EMPTY, FIVE_VOTERS, Set.of());

  record Case(
      IdBlocks before,
      Placement placement,
      Placement running,
      Set<String> retired,
      Map<String, Block> blocks,
      int nextId) {}

  static Stream<Arguments> cases() {
    return Stream.of(
        arguments(
            named(
                "a fresh placement gives each share a block as large as the role, from 1",
                new Case(
                    IdBlocks.EMPTY,
                    p(2, 2, 1),
                    Placement.EMPTY,
                    Set.of(),
                    Map.of(
                        "dc1",
                        new Block(1, 5, 2),
                        "dc2",
                        new Block(6, 5, 2),
                        "dc3",
                        new Block(11, 5, 1)),
                    16))),
        arguments(
            named(
                "a failover grows the remaining shares in place, with ids never given out",
                new Case(
                    FRESH_221,
                    p(3, 2, 0),
                    p(2, 2, 1),
                    Set.of("dc3"),
                    Map.of("dc1", new Block(1, 5, 3), "dc2", new Block(6, 5, 2)),
                    16))),
        arguments(
            named(
                "the same placement again changes nothing",
                new Case(
                    FRESH_221,
                    p(2, 2, 1),
                    p(2, 2, 1),
                    Set.of(),
                    Map.of(
                        "dc1",
                        new Block(1, 5, 2),
                        "dc2",
                        new Block(6, 5, 2),
                        "dc3",
                        new Block(11, 5, 1)),
                    16))),
        arguments(
            named(
                "a share that shrank and grows again gets a fresh block: its old ids are never reused",
                new Case(
                    new IdBlocks(
                        Map.of(
                            "participant",
                            new java.util.TreeMap<>(Map.of("dc1", new Block(1, 5, 3)))),
                        6),
                    p(3, 0, 0),
                    p(2, 0, 0),
                    Set.of(),
                    Map.of("dc1", new Block(6, 5, 3)),
                    11))),
        arguments(
            named(
                "a returning cluster (lost, then fenced) starts afresh",
                new Case(
                    FRESH_221,
                    p(2, 2, 1),
                    p(2, 2, 0),
                    Set.of("dc3"),
                    Map.of(
                        "dc1",
                        new Block(1, 5, 2),
                        "dc2",
                        new Block(6, 5, 2),
                        "dc3",
                        new Block(16, 5, 1)),
                    21))),
        arguments(
            named(
                "a share that outgrows its block gets a fresh, larger one",
                new Case(
                    new IdBlocks(
                        Map.of(
                            "participant",
                            new java.util.TreeMap<>(Map.of("dc1", new Block(1, 2, 2)))),
                        3),
                    p(3, 0, 0),
                    p(2, 0, 0),
                    Set.of(),
                    Map.of("dc1", new Block(3, 5, 3)),
                    8))));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void assigns(Case c) {
    IdBlocks after = c.before().assign(c.placement(), c.running(), FIVE_VOTERS, c.retired());
    assertThat(after.blocks().get("participant")).containsExactlyInAnyOrderEntriesOf(c.blocks());
    assertThat(after.nextId()).isEqualTo(c.nextId());
  }
}
