package io.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@link PackedObject}: packed JSON, unpacked to an equal object, recent parses shared. */
class PackedObjectTest {
  private static KubeObject configMap(String name, int n) {
    return KubeObject.create("v1", "ConfigMap", "ns", name)
        .edit(
            o -> {
              o.withObjectProperty("metadata").put("resourceVersion", "7");
              o.putObject("data").put("n", String.valueOf(n)).put("big", 3_000_000_000L);
            });
  }

  @Test
  void unpackingGivesAnObjectEqualToThePackedOneWithItsIdentityAtHand() {
    KubeObject o = configMap("a", 1);
    PackedObject p = o.pack();

    assertThat(p.unpack()).isEqualTo(o);
    assertThat(p.unpack().toJson()).isEqualTo(o.toJson());
    assertThat(p.ref()).isEqualTo(o.ref());
    assertThat(p.resourceVersion()).contains("7");
  }

  static Stream<Arguments> trees() {
    return Stream.of(
        arguments(
            "strings, booleans and nulls read back as they are",
            set(o -> o.put("s", "x").put("b", true).putNull("n")),
            true),
        arguments("an int reads back as it is", set(o -> o.put("i", 3)), true),
        arguments(
            "a long too big for an int reads back as it is",
            set(o -> o.put("l", 3_000_000_000L)),
            true),
        arguments("a double reads back as it is", set(o -> o.put("d", 0.25)), true),
        arguments(
            "nested objects and arrays read back as they are",
            set(o -> o.putArray("a").add(1).addObject().put("x", "y")),
            true),
        arguments(
            "a long small enough for an int reads back as an int", set(o -> o.put("l", 3L)), false),
        arguments("a float reads back as a double", set(o -> o.put("f", 0.5f)), false),
        arguments(
            "a decimal reads back as a double",
            set(o -> o.put("d", new java.math.BigDecimal("1.5"))),
            false),
        arguments(
            "a big integer small enough for a long reads back as an int or a long",
            set(o -> o.put("b", java.math.BigInteger.TEN)),
            false),
        arguments(
            "a number deep in an array is looked at",
            set(o -> o.putArray("a").addObject().put("l", 1L)),
            false));
  }

  private static Consumer<ObjectNode> set(Consumer<ObjectNode> data) {
    return data;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trees")
  void aPackedObjectKeepsItsTreeOnlyWhenParsingWouldGiveThatVeryTree(
      String name, Consumer<ObjectNode> data, boolean readsBack) {
    KubeObject o =
        KubeObject.create("v1", "ConfigMap", "ns", "a").edit(n -> data.accept(n.putObject("data")));
    boolean sameTypes =
        JsonMapper.builder().build().readTree(o.toJson()).equals(o.json()); // node types count

    PackedObject p = o.pack();

    assertThat(o.readsBackAsIs()).isEqualTo(readsBack).isEqualTo(sameTypes);
    assertThat(p.unpack()).isEqualTo(o);
    if (readsBack) {
      assertThat(p.unpack()).isSameAs(o);
    } else {
      assertThat(p.unpack()).isNotSameAs(o);
    }
  }

  @Test
  void aVersionUnpackedAgainSoonIsNotParsedAgain() {
    PackedObject p = configMap("a", 1).pack();

    KubeObject first = p.unpack();

    assertThat(p.unpack()).isSameAs(first);
  }

  @Test
  void aVersionUnpackedLongAgoIsParsedAgainToAnEqualObject() {
    PackedObject p = configMap("a", 1).pack();
    KubeObject first = p.unpack();

    for (int i = 0; i < PackedObject.KEPT_TREES; i++) {
      configMap("other" + i, i).pack().unpack();
    }
    KubeObject again = p.unpack();

    assertThat(again).isNotSameAs(first).isEqualTo(first);
  }

  @Test
  void threadsUnpackingTheSameObjectsAllGetEqualObjects() throws Exception {
    List<PackedObject> packed = new ArrayList<>();
    for (int i = 0; i < 3 * PackedObject.KEPT_TREES; i++) {
      packed.add(configMap("m" + i, i).pack());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < packed.size(); i++) {
                      if (!packed.get(i).unpack().equals(configMap("m" + i, i))) {
                        return false;
                      }
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
