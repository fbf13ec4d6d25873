package io.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** {@link KubeObject#sameJsonBut}: equality as JSON with some top-level fields left out. */
class KubeObjectSameJsonButTest {
  private static final Set<String> NOT_DESIRED = Set.of("apiVersion", "metadata", "status");

  private static final String BASE =
      """
      {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"1"},
       "data":{"k":"v","n":"3"},"spec":{"replicas":3},"status":{"ready":1}}""";

  static Stream<Arguments> cases() {
    return Stream.of(
        arguments("the same object is the same", BASE, true),
        arguments(
            "a different resourceVersion is left out with metadata",
            BASE.replace("\"resourceVersion\":\"1\"", "\"resourceVersion\":\"2\""),
            true),
        arguments(
            "a different status is left out", BASE.replace("\"ready\":1", "\"ready\":2"), true),
        arguments(
            "no status at all is left out too",
            BASE.replace(",\"status\":{\"ready\":1}", ""),
            true),
        arguments(
            "fields in another order are the same",
            BASE.replace("\"k\":\"v\",\"n\":\"3\"", "\"n\":\"3\",\"k\":\"v\""),
            true),
        arguments(
            "a changed value in a kept field differs",
            BASE.replace("\"replicas\":3", "\"replicas\":4"),
            false),
        arguments(
            "a kept field only in the other differs",
            BASE.replace(",\"spec\":{\"replicas\":3}", ""),
            false),
        arguments(
            "a kept field only in this one differs",
            BASE.replace("\"spec\":", "\"extra\":1,\"spec\":"),
            false),
        arguments(
            "a kept field that is null differs from one that is absent",
            BASE.replace("\"spec\":", "\"extra\":null,\"spec\":"),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void comparesAllButTheFieldsLeftOut(String name, String other, boolean same) {
    KubeObject base = KubeObject.parse(BASE);
    KubeObject o = KubeObject.parse(other);
    assertThat(base.sameJsonBut(o, NOT_DESIRED)).isEqualTo(same);
    assertThat(o.sameJsonBut(base, NOT_DESIRED)).isEqualTo(same);
  }

  @Test
  void aTreeThatIsNoObjectIsNeverTheSame() {
    KubeObject base = KubeObject.parse(BASE);
    assertThat(
            base.sameJsonBut(
                tools.jackson.databind.node.JsonNodeFactory.instance.textNode("x"), NOT_DESIRED))
        .isFalse();
    assertThat(base.sameJsonBut((tools.jackson.databind.JsonNode) null, NOT_DESIRED)).isFalse();
  }

  @Test
  void sameJsonAtComparesOneValueInPlace() {
    KubeObject base = KubeObject.parse(BASE);
    KubeObject other = KubeObject.parse(BASE.replace("\"replicas\":3", "\"replicas\":4"));
    assertThat(base.sameJsonAt("/data", other.at("/data"))).isTrue();
    assertThat(base.sameJsonAt("/spec", other.at("/spec"))).isFalse();
    assertThat(base.sameJsonAt("/nothing", other.at("/nothing"))).as("both missing").isTrue();
    assertThat(base.sameJsonAt("/spec", other.at("/nothing"))).isFalse();
  }

  @Test
  void numbersCompareByValueWhateverTheirJavaType() {
    KubeObject base = KubeObject.parse(BASE);
    KubeObject asLong = base.edit(n -> ((ObjectNode) n.get("spec")).put("replicas", 3L));
    assertThat(base.sameJsonBut(asLong, NOT_DESIRED)).isTrue();
    assertThat(
            base.sameJsonBut(
                asLong.edit(n -> ((ObjectNode) n.get("spec")).put("replicas", 3.5)), NOT_DESIRED))
        .isFalse();
  }
}
