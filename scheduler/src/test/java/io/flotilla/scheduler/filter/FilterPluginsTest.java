package io.flotilla.scheduler.filter;

import static io.flotilla.scheduler.fixtures.Clusters.cluster;
import static io.flotilla.scheduler.fixtures.Roles.role;
import static io.flotilla.scheduler.fixtures.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.api.ConditionStatus;
import io.flotilla.api.LabelSelector;
import io.flotilla.api.LabelSelectorRequirement;
import io.flotilla.api.MiddlewareSpec;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.SelectorOperator;
import io.flotilla.api.TaintEffect;
import io.flotilla.api.Toleration;
import io.flotilla.api.TolerationOperator;
import io.flotilla.scheduler.ClusterSnapshot;
import io.flotilla.scheduler.FilterPlugin;
import io.flotilla.scheduler.FilterResult;
import io.flotilla.scheduler.FilterResult.Verdict;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.scheduler.fixtures.Clusters;
import io.flotilla.scheduler.fixtures.Specs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each filter plugin's table: which clusters it passes, restricts or rejects, and why. */
class FilterPluginsTest {

  /**
   * One row: the spec and cluster given to the plugin, the verdict expected and words its reason
   * must contain (a passing verdict must give no reason).
   */
  record Case(MiddlewareSpec spec, ClusterSnapshot cluster, Verdict verdict, List<String> says) {}

  private static Case expect(Specs s, Clusters c, Verdict verdict, String... says) {
    return new Case(s.build(), c.build(), verdict, List.of(says));
  }

  private static Specs anySpec() {
    return spec(MiddlewareType.ZOOKEEPER).role(role("participant", 3));
  }

  private static void check(FilterPlugin plugin, Case c) {
    FilterResult result = plugin.filter(c.spec(), c.cluster());
    assertThat(result.verdict()).isEqualTo(c.verdict());
    assertThat(result.passed()).isEqualTo(c.verdict() == Verdict.PASS);
    if (c.verdict() == Verdict.PASS) {
      assertThat(result.reason()).isEmpty();
    } else {
      assertThat(result.reason()).isNotBlank();
      for (String word : c.says()) {
        assertThat(result.reason()).contains(word);
      }
    }
  }

  static Stream<Arguments> names() {
    return Stream.of(
        Arguments.of(new ReadyFilter(), "Ready"),
        Arguments.of(new ClusterNamesFilter(), "ClusterNames"),
        Arguments.of(new LabelSelectorFilter(), "LabelSelector"),
        Arguments.of(new TaintTolerationFilter(), "TaintToleration"),
        Arguments.of(new ResourceSummaryFilter(), "ResourceSummary"));
  }

  @ParameterizedTest(name = "{0} is named {1}")
  @MethodSource("names")
  void eachPluginHasTheNameItsReasonsAreGivenUnder(FilterPlugin plugin, String name) {
    assertThat(plugin.name()).isEqualTo(name);
  }

  @Test
  void theDefaultFiltersRunReadyNamesLabelsTaintsThenResourceSummary() {
    assertThat(Scheduler.defaultFilters().stream().map(FilterPlugin::name))
        .containsExactly(
            "Ready", "ClusterNames", "LabelSelector", "TaintToleration", "ResourceSummary");
  }

  @Nested
  class Ready {
    static Stream<Named<Case>> cases() {
      return Stream.of(
          named("Ready True passes", expect(anySpec(), cluster("c1"), Verdict.PASS)),
          named(
              "Ready False rejects with its reason and message",
              expect(
                  anySpec(),
                  cluster("c1").ready(ConditionStatus.False, "HeartbeatMissed", "silent for 5m"),
                  Verdict.REJECT,
                  "Ready is False",
                  "HeartbeatMissed",
                  "silent for 5m")),
          named(
              "Ready False without reason or message still rejects",
              expect(
                  anySpec(),
                  cluster("c1").ready(ConditionStatus.False, "", ""),
                  Verdict.REJECT,
                  "Ready is False")),
          named(
              "Ready Unknown rejects",
              expect(
                  anySpec(),
                  cluster("c1").ready(ConditionStatus.Unknown, "NodeStatusUnknown", ""),
                  Verdict.REJECT,
                  "Ready is Unknown",
                  "NodeStatusUnknown")),
          named(
              "no Ready condition at all rejects",
              expect(
                  anySpec(),
                  cluster("c1").noReadyCondition(),
                  Verdict.REJECT,
                  "no Ready condition reported")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void readyFilter(Case c) {
      check(new ReadyFilter(), c);
    }
  }

  @Nested
  class ClusterNames {
    static Stream<Named<Case>> cases() {
      return Stream.of(
          named(
              "an empty clusterNames list passes every cluster",
              expect(anySpec(), cluster("zz"), Verdict.PASS)),
          named(
              "a listed cluster passes",
              expect(anySpec().clusterNames("c1", "c2"), cluster("c2"), Verdict.PASS)),
          named(
              "an unlisted cluster is rejected, naming the list",
              expect(
                  anySpec().clusterNames("c1", "c2"),
                  cluster("c3"),
                  Verdict.REJECT,
                  "not in clusterNames",
                  "c1",
                  "c2")),
          named(
              "names match exactly, not by prefix",
              expect(anySpec().clusterNames("c1"), cluster("c10"), Verdict.REJECT)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void clusterNamesFilter(Case c) {
      check(new ClusterNamesFilter(), c);
    }

    @Test
    void oneFilterAskedAboutSpecsInTurnNamesEachSpecsOwnList() {
      ClusterNamesFilter filter = new ClusterNamesFilter();
      MiddlewareSpec first = anySpec().clusterNames("c1", "c2").build();
      MiddlewareSpec second = anySpec().clusterNames("c3").build();
      ClusterSnapshot other = cluster("c9").build();
      assertThat(filter.filter(first, other).reason()).endsWith("[c1, c2]");
      assertThat(filter.filter(second, other).reason()).endsWith("[c3]");
      assertThat(filter.filter(first, other).reason()).endsWith("[c1, c2]");
    }
  }

  @Nested
  class LabelSelectors {
    private static Specs selecting(
        Map<String, String> matchLabels, LabelSelectorRequirement... exprs) {
      return anySpec().selector(new LabelSelector(new TreeMap<>(matchLabels), List.of(exprs)));
    }

    private static LabelSelectorRequirement expr(
        String key, SelectorOperator op, String... values) {
      return new LabelSelectorRequirement(key, op, List.of(values));
    }

    static Stream<Named<Case>> cases() {
      return Stream.of(
          named("no selector passes every cluster", expect(anySpec(), cluster("c1"), Verdict.PASS)),
          named(
              "matchLabels passes a cluster with that label value",
              expect(
                  selecting(Map.of("zone", "a")),
                  cluster("c1").label("zone", "a").label("tier", "gold"),
                  Verdict.PASS)),
          named(
              "matchLabels rejects another value",
              expect(
                  selecting(Map.of("zone", "a")),
                  cluster("c1").label("zone", "b"),
                  Verdict.REJECT,
                  "labels do not match selector",
                  "zone=a")),
          named(
              "matchLabels rejects a cluster without the label",
              expect(selecting(Map.of("zone", "a")), cluster("c1"), Verdict.REJECT)),
          named(
              "In passes a listed value",
              expect(
                  selecting(Map.of(), expr("zone", SelectorOperator.In, "a", "b")),
                  cluster("c1").label("zone", "b"),
                  Verdict.PASS)),
          named(
              "In rejects an unlisted value",
              expect(
                  selecting(Map.of(), expr("zone", SelectorOperator.In, "a", "b")),
                  cluster("c1").label("zone", "c"),
                  Verdict.REJECT,
                  "zone in (a,b)")),
          named(
              "In rejects a cluster without the label",
              expect(
                  selecting(Map.of(), expr("zone", SelectorOperator.In, "a")),
                  cluster("c1"),
                  Verdict.REJECT)),
          named(
              "NotIn rejects a listed value",
              expect(
                  selecting(Map.of(), expr("tier", SelectorOperator.NotIn, "silver")),
                  cluster("c1").label("tier", "silver"),
                  Verdict.REJECT,
                  "tier notin (silver)")),
          named(
              "NotIn passes another value",
              expect(
                  selecting(Map.of(), expr("tier", SelectorOperator.NotIn, "silver")),
                  cluster("c1").label("tier", "gold"),
                  Verdict.PASS)),
          named(
              "NotIn passes a cluster without the label (Kubernetes semantics)",
              expect(
                  selecting(Map.of(), expr("tier", SelectorOperator.NotIn, "silver")),
                  cluster("c1"),
                  Verdict.PASS)),
          named(
              "Exists passes a cluster with the label, whatever its value",
              expect(
                  selecting(Map.of(), expr("gpu", SelectorOperator.Exists)),
                  cluster("c1").label("gpu", ""),
                  Verdict.PASS)),
          named(
              "Exists rejects a cluster without the label",
              expect(
                  selecting(Map.of(), expr("gpu", SelectorOperator.Exists)),
                  cluster("c1").label("zone", "a"),
                  Verdict.REJECT)),
          named(
              "DoesNotExist passes a cluster without the label",
              expect(
                  selecting(Map.of(), expr("legacy", SelectorOperator.DoesNotExist)),
                  cluster("c1").label("zone", "a"),
                  Verdict.PASS)),
          named(
              "DoesNotExist rejects a cluster with the label",
              expect(
                  selecting(Map.of(), expr("legacy", SelectorOperator.DoesNotExist)),
                  cluster("c1").label("legacy", "true"),
                  Verdict.REJECT,
                  "!legacy")),
          named(
              "matchLabels and every expression must all match: one miss rejects",
              expect(
                  selecting(
                      Map.of("zone", "a"),
                      expr("tier", SelectorOperator.In, "gold"),
                      expr("legacy", SelectorOperator.DoesNotExist)),
                  cluster("c1").label("zone", "a").label("tier", "gold").label("legacy", "1"),
                  Verdict.REJECT)),
          named(
              "matchLabels and every expression all matching passes",
              expect(
                  selecting(
                      Map.of("zone", "a"),
                      expr("tier", SelectorOperator.In, "gold"),
                      expr("legacy", SelectorOperator.DoesNotExist)),
                  cluster("c1").label("zone", "a").label("tier", "gold"),
                  Verdict.PASS)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void labelSelectorFilter(Case c) {
      check(new LabelSelectorFilter(), c);
    }
  }

  @Nested
  class TaintToleration {
    private static Toleration tolerate(
        String key, TolerationOperator op, String value, TaintEffect effect) {
      return new Toleration(key, op, value, Optional.ofNullable(effect));
    }

    static Stream<Named<Case>> cases() {
      return Stream.of(
          named("an untainted cluster passes", expect(anySpec(), cluster("c1"), Verdict.PASS)),
          named(
              "an untolerated NoExecute taint rejects (replicas move away)",
              expect(
                  anySpec(),
                  cluster("c1").taint("flotilla.io/unreachable", "", TaintEffect.NoExecute),
                  Verdict.REJECT,
                  "flotilla.io/unreachable:NoExecute",
                  "not tolerated")),
          named(
              "an untolerated NoSchedule taint restricts: keeps its replicas, gets no new ones",
              expect(
                  anySpec(),
                  cluster("c1").taint("cordoned", "", TaintEffect.NoSchedule),
                  Verdict.RESTRICT,
                  "cordoned:NoSchedule",
                  "keeps its replicas, gets no new ones")),
          named(
              "untolerated NoSchedule and NoExecute together reject",
              expect(
                  anySpec(),
                  cluster("c1")
                      .taint("cordoned", "", TaintEffect.NoSchedule)
                      .taint("dedicated", "db", TaintEffect.NoExecute),
                  Verdict.REJECT,
                  "dedicated=db:NoExecute")),
          named(
              "Equal with the taint's value tolerates it",
              expect(
                  anySpec().toleration(tolerate("dedicated", TolerationOperator.Equal, "db", null)),
                  cluster("c1").taint("dedicated", "db", TaintEffect.NoExecute),
                  Verdict.PASS)),
          named(
              "Equal with another value does not tolerate",
              expect(
                  anySpec()
                      .toleration(tolerate("dedicated", TolerationOperator.Equal, "web", null)),
                  cluster("c1").taint("dedicated", "db", TaintEffect.NoExecute),
                  Verdict.REJECT)),
          named(
              "Exists on the key tolerates any value",
              expect(
                  anySpec().toleration(tolerate("dedicated", TolerationOperator.Exists, "", null)),
                  cluster("c1").taint("dedicated", "anything", TaintEffect.NoSchedule),
                  Verdict.PASS)),
          named(
              "Exists on another key does not tolerate",
              expect(
                  anySpec().toleration(tolerate("gpu", TolerationOperator.Exists, "", null)),
                  cluster("c1").taint("dedicated", "db", TaintEffect.NoSchedule),
                  Verdict.RESTRICT)),
          named(
              "an empty key with Exists tolerates every taint",
              expect(
                  anySpec().toleration(tolerate("", TolerationOperator.Exists, "", null)),
                  cluster("c1")
                      .taint("dedicated", "db", TaintEffect.NoExecute)
                      .taint("cordoned", "", TaintEffect.NoSchedule),
                  Verdict.PASS)),
          named(
              "a NoSchedule toleration does not tolerate the NoExecute taint of the same key",
              expect(
                  anySpec()
                      .toleration(
                          tolerate(
                              "dedicated", TolerationOperator.Exists, "", TaintEffect.NoSchedule)),
                  cluster("c1").taint("dedicated", "db", TaintEffect.NoExecute),
                  Verdict.REJECT)),
          named(
              "a NoExecute toleration does not tolerate the NoSchedule taint of the same key",
              expect(
                  anySpec()
                      .toleration(
                          tolerate(
                              "dedicated", TolerationOperator.Exists, "", TaintEffect.NoExecute)),
                  cluster("c1").taint("dedicated", "db", TaintEffect.NoSchedule),
                  Verdict.RESTRICT)),
          named(
              "an effect-specific toleration tolerates its own effect",
              expect(
                  anySpec()
                      .toleration(
                          tolerate(
                              "dedicated", TolerationOperator.Equal, "db", TaintEffect.NoExecute)),
                  cluster("c1").taint("dedicated", "db", TaintEffect.NoExecute),
                  Verdict.PASS)),
          named(
              "every taint must be tolerated: one of two tolerated still rejects",
              expect(
                  anySpec().toleration(tolerate("a", TolerationOperator.Exists, "", null)),
                  cluster("c1")
                      .taint("a", "", TaintEffect.NoExecute)
                      .taint("b", "", TaintEffect.NoExecute),
                  Verdict.REJECT,
                  "b:NoExecute")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void taintTolerationFilter(Case c) {
      check(new TaintTolerationFilter(), c);
    }
  }

  @Nested
  class ResourceSummary {
    static Stream<Named<Case>> cases() {
      return Stream.of(
          named(
              "no resource summary rejects",
              expect(
                  anySpec(),
                  cluster("c1").noResourceSummary(),
                  Verdict.REJECT,
                  "no resource summary reported")),
          named(
              "zero allocatable cpu rejects",
              expect(
                  anySpec(), cluster("c1").allocatable("0", "20Gi"), Verdict.REJECT, "above zero")),
          named(
              "zero allocatable memory rejects",
              expect(anySpec(), cluster("c1").allocatable("4", "0"), Verdict.REJECT, "above zero")),
          named(
              "positive allocatable passes, even when fully allocated",
              expect(
                  anySpec(),
                  cluster("c1").allocatable("4", "8Gi").allocated("4", "8Gi"),
                  Verdict.PASS)),
          named(
              "a tiny but positive allocatable passes",
              expect(anySpec(), cluster("c1").allocatable("1m", "1"), Verdict.PASS)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void resourceSummaryFilter(Case c) {
      check(new ResourceSummaryFilter(), c);
    }
  }
}
