package io.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Label selectors with Kubernetes' semantics. */
class LabelSelectorTest {
  private static final Map<String, String> COMPUTE_DC1 =
      Map.of("cluster", "compute", "zone", "dc1");
  private static final Map<String, String> NO_LABELS = Map.of();

  static Stream<Arguments> cases() {
    return Stream.of(
        matches("an empty selector matches every cluster", selector(Map.of()), NO_LABELS, true),
        matches(
            "matchLabels matches when the label has that value",
            selector(Map.of("cluster", "compute")),
            COMPUTE_DC1,
            true),
        matches(
            "matchLabels does not match another value",
            selector(Map.of("cluster", "storage")),
            COMPUTE_DC1,
            false),
        matches(
            "matchLabels does not match an absent label",
            selector(Map.of("gpu", "true")),
            COMPUTE_DC1,
            false),
        matches(
            "every matchLabels entry must match",
            selector(Map.of("cluster", "compute", "zone", "dc2")),
            COMPUTE_DC1,
            false),
        matches(
            "In matches a listed value",
            selector(req("zone", SelectorOperator.In, "dc1", "dc2")),
            COMPUTE_DC1,
            true),
        matches(
            "In does not match an unlisted value",
            selector(req("zone", SelectorOperator.In, "dc2", "dc3")),
            COMPUTE_DC1,
            false),
        matches(
            "In does not match an absent label",
            selector(req("zone", SelectorOperator.In, "dc1")),
            NO_LABELS,
            false),
        matches(
            "NotIn does not match a listed value",
            selector(req("zone", SelectorOperator.NotIn, "dc1")),
            COMPUTE_DC1,
            false),
        matches(
            "NotIn matches an unlisted value",
            selector(req("zone", SelectorOperator.NotIn, "dc2")),
            COMPUTE_DC1,
            true),
        matches(
            "NotIn matches an absent label",
            selector(req("zone", SelectorOperator.NotIn, "dc1")),
            NO_LABELS,
            true),
        matches(
            "Exists matches a present label whatever its value",
            selector(req("zone", SelectorOperator.Exists)),
            COMPUTE_DC1,
            true),
        matches(
            "Exists matches a present label with an empty value",
            selector(req("gpu", SelectorOperator.Exists)),
            Map.of("gpu", ""),
            true),
        matches(
            "Exists does not match an absent label",
            selector(req("gpu", SelectorOperator.Exists)),
            COMPUTE_DC1,
            false),
        matches(
            "DoesNotExist matches an absent label",
            selector(req("gpu", SelectorOperator.DoesNotExist)),
            COMPUTE_DC1,
            true),
        matches(
            "DoesNotExist does not match a present label",
            selector(req("zone", SelectorOperator.DoesNotExist)),
            COMPUTE_DC1,
            false),
        matches(
            "matchLabels and expressions together match when all match",
            new LabelSelector(
                new TreeMap<>(Map.of("cluster", "compute")),
                List.of(
                    req("zone", SelectorOperator.In, "dc1", "dc2"),
                    req("gpu", SelectorOperator.DoesNotExist))),
            COMPUTE_DC1,
            true),
        matches(
            "matchLabels and expressions together fail when an expression fails",
            new LabelSelector(
                new TreeMap<>(Map.of("cluster", "compute")),
                List.of(req("zone", SelectorOperator.NotIn, "dc1"))),
            COMPUTE_DC1,
            false),
        matches(
            "matchLabels and expressions together fail when matchLabels fails",
            new LabelSelector(
                new TreeMap<>(Map.of("cluster", "storage")),
                List.of(req("zone", SelectorOperator.In, "dc1"))),
            COMPUTE_DC1,
            false),
        matches(
            "every expression must match",
            new LabelSelector(
                new TreeMap<>(),
                List.of(req("zone", SelectorOperator.Exists), req("gpu", SelectorOperator.Exists))),
            COMPUTE_DC1,
            false));
  }

  private static Arguments matches(
      String name, LabelSelector selector, Map<String, String> labels, boolean expected) {
    return arguments(named(name, selector), labels, expected);
  }

  private static LabelSelector selector(Map<String, String> matchLabels) {
    return new LabelSelector(new TreeMap<>(matchLabels), List.of());
  }

  private static LabelSelector selector(LabelSelectorRequirement requirement) {
    return new LabelSelector(new TreeMap<>(), List.of(requirement));
  }

  private static LabelSelectorRequirement req(String key, SelectorOperator op, String... values) {
    return new LabelSelectorRequirement(key, op, List.of(values));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesWithKubernetesSemantics(
      LabelSelector selector, Map<String, String> labels, boolean expected) {
    assertThat(selector.matches(labels)).isEqualTo(expected);
  }

  @Test
  void printsAsKubernetesWritesSelectors() {
    LabelSelector s =
        new LabelSelector(
            new TreeMap<>(Map.of("zone", "dc1", "cluster", "compute")),
            List.of(
                req("tier", SelectorOperator.In, "a", "b"),
                req("env", SelectorOperator.NotIn, "test"),
                req("ssd", SelectorOperator.Exists),
                req("gpu", SelectorOperator.DoesNotExist)));

    assertThat(s).hasToString("cluster=compute,zone=dc1,tier in (a,b),env notin (test),ssd,!gpu");
  }

  @Test
  void isEmptyOnlyWithoutLabelsAndExpressions() {
    assertThat(selector(Map.of()).isEmpty()).isTrue();
    assertThat(selector(Map.of("cluster", "compute")).isEmpty()).isFalse();
    assertThat(selector(req("gpu", SelectorOperator.Exists)).isEmpty()).isFalse();
  }
}
