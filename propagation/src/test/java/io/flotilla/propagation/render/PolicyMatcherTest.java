package io.flotilla.propagation.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.api.ClusterAffinity;
import io.flotilla.api.KubeObject;
import io.flotilla.api.LabelSelector;
import io.flotilla.api.LabelSelectorRequirement;
import io.flotilla.api.ObjectMeta;
import io.flotilla.api.SelectorOperator;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.OverridePolicySpec;
import io.flotilla.api.policy.OverrideRule;
import io.flotilla.api.policy.Overriders;
import io.flotilla.api.policy.PolicyStatus;
import io.flotilla.api.policy.PropagationPolicy;
import io.flotilla.api.policy.PropagationPolicySpec;
import io.flotilla.api.policy.ResourceSelector;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which policies select a template, which one governs it, where it goes, and override order. */
class PolicyMatcherTest {
  /** StatefulSet redis/redis-master, labelled app=redis, role=master. */
  private static final KubeObject MASTER =
      KubeObject.create("apps/v1", "StatefulSet", "redis", "redis-master")
          .withLabel("app", "redis")
          .withLabel("role", "master");

  private static LabelSelector labels(String key, String value) {
    return new LabelSelector(new TreeMap<>(Map.of(key, value)), List.of());
  }

  private static final LabelSelector EMPTY = new LabelSelector(new TreeMap<>(), List.of());

  private static Arguments selector(String name, ResourceSelector s, ImplicitPriority expected) {
    return arguments(named(name, s), expected);
  }

  static Stream<Arguments> selectors() {
    return Stream.of(
        selector(
            "another kind does not match",
            ResourceSelector.ofKind("apps/v1", "Deployment"),
            ImplicitPriority.MISMATCH),
        selector(
            "another apiVersion of the kind does not match",
            ResourceSelector.ofKind("apps/v1beta2", "StatefulSet"),
            ImplicitPriority.MISMATCH),
        selector(
            "kind alone matches all of the kind",
            ResourceSelector.ofKind("apps/v1", "StatefulSet"),
            ImplicitPriority.MATCH_ALL),
        selector(
            "its name matches by name",
            ResourceSelector.named("apps/v1", "StatefulSet", "redis-master"),
            ImplicitPriority.MATCH_NAME),
        selector(
            "another name does not match",
            ResourceSelector.named("apps/v1", "StatefulSet", "redis-replica"),
            ImplicitPriority.MISMATCH),
        selector(
            "its labels match by label",
            ResourceSelector.labelled("apps/v1", "StatefulSet", labels("role", "master")),
            ImplicitPriority.MATCH_LABEL_SELECTOR),
        selector(
            "other labels do not match",
            ResourceSelector.labelled("apps/v1", "StatefulSet", labels("role", "replica")),
            ImplicitPriority.MISMATCH),
        selector(
            "an expression on its labels matches by label",
            ResourceSelector.labelled(
                "apps/v1",
                "StatefulSet",
                new LabelSelector(
                    new TreeMap<>(),
                    List.of(
                        new LabelSelectorRequirement(
                            "role", SelectorOperator.NotIn, List.of("replica"))))),
            ImplicitPriority.MATCH_LABEL_SELECTOR),
        selector(
            "an empty label selector matches every template, by label",
            ResourceSelector.labelled("apps/v1", "StatefulSet", EMPTY),
            ImplicitPriority.MATCH_LABEL_SELECTOR),
        selector(
            "name and labels that both match match by name",
            new ResourceSelector(
                "apps/v1", "StatefulSet", "", "redis-master", Optional.of(labels("app", "redis"))),
            ImplicitPriority.MATCH_NAME),
        selector(
            "its name with labels it lacks does not match (both must match, as Karmada documents)",
            new ResourceSelector(
                "apps/v1", "StatefulSet", "", "redis-master", Optional.of(labels("app", "kafka"))),
            ImplicitPriority.MISMATCH),
        selector(
            "its namespace matches",
            new ResourceSelector("apps/v1", "StatefulSet", "redis", "", Optional.empty()),
            ImplicitPriority.MATCH_ALL),
        selector(
            "another namespace does not match",
            new ResourceSelector("apps/v1", "StatefulSet", "kafka", "", Optional.empty()),
            ImplicitPriority.MISMATCH));
  }

  @ParameterizedTest
  @MethodSource("selectors")
  void aSelectorMatchesTheTemplate(ResourceSelector s, ImplicitPriority expected) {
    assertThat(PolicyMatcher.priority(s, MASTER)).isEqualTo(expected);
  }

  private static PropagationPolicy propagation(
      String namespace, String name, int priority, ResourceSelector... selectors) {
    return new PropagationPolicy(
        new ObjectMeta(name, Optional.of(namespace), new TreeMap<>(), new TreeMap<>()),
        new PropagationPolicySpec(List.of(selectors), priority, ClusterAffinity.ANY, false),
        PolicyStatus.EMPTY);
  }

  private static OverridePolicy override(
      String namespace, String name, int priority, ResourceSelector... selectors) {
    return new OverridePolicy(
        new ObjectMeta(name, Optional.of(namespace), new TreeMap<>(), new TreeMap<>()),
        new OverridePolicySpec(
            List.of(selectors), priority, List.of(OverrideRule.everywhere(Overriders.NONE))),
        PolicyStatus.EMPTY);
  }

  private static final ResourceSelector ALL = ResourceSelector.ofKind("apps/v1", "StatefulSet");
  private static final ResourceSelector BY_LABEL =
      ResourceSelector.labelled("apps/v1", "StatefulSet", labels("app", "redis"));
  private static final ResourceSelector BY_NAME =
      ResourceSelector.named("apps/v1", "StatefulSet", "redis-master");
  private static final ResourceSelector OTHER = ResourceSelector.ofKind("v1", "ConfigMap");

  private static Arguments governs(String name, List<PropagationPolicy> policies, String winner) {
    return arguments(named(name, policies), winner);
  }

  static Stream<Arguments> governing() {
    return Stream.of(
        governs(
            "the higher explicit priority wins over a name match",
            List.of(propagation("redis", "a", 0, BY_NAME), propagation("redis", "b", 1, ALL)),
            "b"),
        governs(
            "at equal priority a name match beats a label match",
            List.of(propagation("redis", "a", 0, BY_LABEL), propagation("redis", "b", 0, BY_NAME)),
            "b"),
        governs(
            "at equal priority a label match beats a match of all",
            List.of(propagation("redis", "a", 0, ALL), propagation("redis", "b", 0, BY_LABEL)),
            "b"),
        governs(
            "a policy's best selector counts",
            List.of(
                propagation("redis", "a", 0, BY_LABEL),
                propagation("redis", "b", 0, OTHER, ALL, BY_NAME)),
            "b"),
        governs(
            "at equal priorities the first name wins",
            List.of(propagation("redis", "b", 0, ALL), propagation("redis", "a", 0, ALL)),
            "a"),
        governs(
            "a negative priority loses to the default 0",
            List.of(propagation("redis", "a", -1, BY_NAME), propagation("redis", "z", 0, ALL)),
            "z"),
        governs(
            "a policy of another namespace never governs",
            List.of(propagation("kafka", "a", 100, BY_NAME), propagation("redis", "z", 0, ALL)),
            "z"),
        governs(
            "no policy that selects it: none governs",
            List.of(propagation("redis", "a", 0, OTHER), propagation("kafka", "b", 0, ALL)),
            ""));
  }

  @ParameterizedTest
  @MethodSource("governing")
  void theGoverningPolicyIsChosenAsKarmadaDoes(List<PropagationPolicy> policies, String winner) {
    assertThat(PolicyMatcher.governingPolicy(MASTER, policies).map(PropagationPolicy::name))
        .isEqualTo(winner.isEmpty() ? Optional.empty() : Optional.of(winner));
  }

  @Test
  void aClusterScopedTemplateIsSelectedByNoNamespacedPolicy() {
    KubeObject clusterScoped = KubeObject.create("v1", "Namespace", "", "redis");

    assertThat(
            PolicyMatcher.priority(
                propagation("default", "p", 0, ResourceSelector.ofKind("v1", "Namespace")),
                clusterScoped))
        .isEqualTo(ImplicitPriority.MISMATCH);
  }

  @Test
  void anOverridePolicyWithoutSelectorsSelectsEveryTemplateOfItsNamespaceOnly() {
    assertThat(PolicyMatcher.priority(override("redis", "o", 0), MASTER))
        .isEqualTo(ImplicitPriority.MATCH_ALL);
    assertThat(PolicyMatcher.priority(override("kafka", "o", 0), MASTER))
        .isEqualTo(ImplicitPriority.MISMATCH);
  }

  @Test
  void overridePoliciesApplyByPriorityThenSpecificityThenName() {
    List<OverridePolicy> policies =
        List.of(
            override("redis", "e-high", 5, ALL),
            override("redis", "d-name", 0, BY_NAME),
            override("redis", "c-label", 0, BY_LABEL),
            override("redis", "b-all", 0, ALL),
            override("redis", "a-all", 0),
            override("redis", "x-low", -3, BY_NAME),
            override("redis", "y-other-kind", 9, OTHER),
            override("kafka", "z-other-namespace", 9));

    assertThat(PolicyMatcher.overridePoliciesInOrder(MASTER, policies))
        .extracting(OverridePolicy::name)
        .containsExactly("x-low", "a-all", "b-all", "c-label", "d-name", "e-high");
  }

  private static final List<ClusterInfo> CLUSTERS =
      List.of(
          ClusterInfo.of("dc3", Map.of("zone", "south")),
          ClusterInfo.of("dc1", Map.of("zone", "north")),
          ClusterInfo.of("dc2", Map.of("zone", "south")));

  private static Arguments targets(String name, ClusterAffinity affinity, List<String> expected) {
    return arguments(named(name, affinity), expected);
  }

  static Stream<Arguments> affinities() {
    return Stream.of(
        targets(
            "no affinity: every cluster, sorted",
            ClusterAffinity.ANY,
            List.of("dc1", "dc2", "dc3")),
        targets(
            "cluster names, of those given, sorted",
            new ClusterAffinity(Optional.empty(), List.of("dc3", "dc9", "dc1")),
            List.of("dc1", "dc3")),
        targets(
            "a label selector on the clusters' labels",
            new ClusterAffinity(Optional.of(labels("zone", "south")), List.of()),
            List.of("dc2", "dc3")),
        targets(
            "names and labels must both match",
            new ClusterAffinity(Optional.of(labels("zone", "south")), List.of("dc1", "dc2")),
            List.of("dc2")),
        targets(
            "names of clusters that are not given: none",
            new ClusterAffinity(Optional.empty(), List.of("dc7")),
            List.of()));
  }

  @ParameterizedTest
  @MethodSource("affinities")
  void thePolicyPropagatesToItsClusters(ClusterAffinity affinity, List<String> expected) {
    PropagationPolicy p =
        new PropagationPolicy(
            ObjectMeta.named("p"),
            new PropagationPolicySpec(List.of(ALL), 0, affinity, false),
            PolicyStatus.EMPTY);

    assertThat(PolicyMatcher.targetClusters(p, CLUSTERS)).isEqualTo(expected);
  }
}
