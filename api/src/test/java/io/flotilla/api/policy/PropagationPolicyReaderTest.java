package io.flotilla.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.api.ClusterAffinity;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.ManifestReader;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading and validating a PropagationPolicy in Karmada's shape. */
class PropagationPolicyReaderTest {
  private static final String HEADER =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: PropagationPolicy
      metadata:
        name: redis-ha
        namespace: redis
      """;

  private static Decoded<PropagationPolicy> read(String yaml) {
    List<Manifest> manifests = ManifestReader.read("policy.yaml", yaml);
    assertThat(manifests).hasSize(1);
    return PropagationPolicyReader.read(manifests.get(0));
  }

  private static PropagationPolicy valid(String yaml) {
    Decoded<PropagationPolicy> d = read(yaml);
    assertThat(d.problems()).isEmpty();
    return d.value().orElseThrow();
  }

  private static String withSpec(String specBody) {
    return HEADER + "spec:\n" + specBody.indent(2);
  }

  @Test
  void readsKarmadasShapeWithStatus() {
    PropagationPolicy p =
        valid(
            withSpec(
                    """
                    resourceSelectors:
                      - apiVersion: apps/v1
                        kind: StatefulSet
                        name: redis-master
                      - apiVersion: v1
                        kind: ConfigMap
                        namespace: redis
                        labelSelector:
                          matchLabels: {app: redis}
                    priority: -5
                    preserveResourcesOnDeletion: true
                    placement:
                      clusterAffinity:
                        clusterNames: [dc1, dc2, dc3]
                        labelSelector:
                          matchLabels: {cluster: compute}
                    """)
                + """
                status:
                  conditions:
                    - type: Applied
                      status: "True"
                      reason: Applied
                      lastTransitionTime: "2026-11-26T12:00:00Z"
                """);

    assertThat(p.ref().toString()).isEqualTo("PropagationPolicy redis/redis-ha");
    assertThat(p.spec().resourceSelectors()).hasSize(2);
    assertThat(p.spec().resourceSelectors().get(0))
        .isEqualTo(ResourceSelector.named("apps/v1", "StatefulSet", "redis-master"));
    ResourceSelector configMaps = p.spec().resourceSelectors().get(1);
    assertThat(configMaps.namespace()).isEqualTo("redis");
    assertThat(configMaps.labelSelector().orElseThrow().toString()).isEqualTo("app=redis");
    assertThat(p.spec().priority()).isEqualTo(-5);
    assertThat(p.spec().preserveResourcesOnDeletion()).isTrue();
    ClusterAffinity affinity = p.spec().clusterAffinity();
    assertThat(affinity.clusterNames()).containsExactly("dc1", "dc2", "dc3");
    assertThat(affinity.labelSelector().orElseThrow().toString()).isEqualTo("cluster=compute");
    assertThat(p.status().condition(PolicyStatus.APPLIED).orElseThrow().status())
        .isEqualTo(ConditionStatus.True);
    assertThat(p.status().condition(PolicyStatus.APPLIED).orElseThrow().lastTransitionTime())
        .hasValue(Instant.parse("2026-11-26T12:00:00Z"));
  }

  @Test
  void withoutPlacementEveryClusterAndWithoutPriorityZero() {
    PropagationPolicy p =
        valid(
            withSpec(
                """
                resourceSelectors: [{apiVersion: apps/v1, kind: StatefulSet}]
                """));

    assertThat(p.spec().clusterAffinity()).isEqualTo(ClusterAffinity.ANY);
    assertThat(p.spec().priority()).isZero();
    assertThat(p.spec().preserveResourcesOnDeletion()).isFalse();
    assertThat(p.spec().resourceSelectors())
        .containsExactly(ResourceSelector.ofKind("apps/v1", "StatefulSet"));
  }

  /** A bad input, where its one problem is, and a phrase the problem's message must hold. */
  record BadInput(String yaml, String path, String phrase) {}

  private static Arguments bad(String name, String yaml, String path, String phrase) {
    return arguments(named(name, new BadInput(yaml, path, phrase)));
  }

  private static final String SELECTORS =
      "resourceSelectors: [{apiVersion: apps/v1, kind: StatefulSet}]\n";

  static Stream<Arguments> badInputs() {
    return Stream.of(
        bad("no spec", HEADER, "spec", "required"),
        bad(
            "no resource selectors",
            withSpec("placement: {clusterAffinity: {clusterNames: [dc1]}}"),
            "spec.resourceSelectors",
            "required: at least one selector"),
        bad(
            "an empty list of resource selectors",
            withSpec("resourceSelectors: []"),
            "spec.resourceSelectors",
            "must not be empty: at least one selector"),
        bad(
            "a selector without apiVersion",
            withSpec("resourceSelectors: [{kind: StatefulSet}]"),
            "spec.resourceSelectors[0].apiVersion",
            "required"),
        bad(
            "a cluster name that is no DNS subdomain",
            withSpec(SELECTORS + "placement: {clusterAffinity: {clusterNames: [dc1, DC2]}}"),
            "spec.placement.clusterAffinity.clusterNames[1]",
            "\"DC2\" is not a DNS subdomain"),
        bad(
            "a misspelt clusterAffinity suggests the known one",
            withSpec(SELECTORS + "placement: {clusterAfinity: {clusterNames: [dc1]}}"),
            "spec.placement.clusterAfinity",
            "unknown field; did you mean clusterAffinity?"),
        bad(
            "Karmada's spreadConstraints (Flotilla's scheduler spreads replicas)",
            withSpec(SELECTORS + "placement: {spreadConstraints: [{maxGroups: 2}]}"),
            "spec.placement.spreadConstraints",
            "unknown field"),
        bad(
            "a cluster label selector with a bad value",
            withSpec(
                SELECTORS
                    + "placement: {clusterAffinity: {labelSelector: {matchLabels: {zone: a b}}}}"),
            "spec.placement.clusterAffinity.labelSelector.matchLabels.zone",
            "\"a b\" is not a valid label value"),
        bad(
            "preserveResourcesOnDeletion written as a string",
            withSpec(SELECTORS + "preserveResourcesOnDeletion: \"yes\""),
            "spec.preserveResourcesOnDeletion",
            "must be true or false, got string \"yes\""),
        bad(
            "a fractional priority",
            withSpec(SELECTORS + "priority: 1.5"),
            "spec.priority",
            "must be an integer, got number 1.5"),
        bad(
            "the kind of the other policy",
            withSpec(SELECTORS).replace("kind: PropagationPolicy", "kind: OverridePolicy"),
            "kind",
            "must be PropagationPolicy, got \"OverridePolicy\""),
        bad(
            "a policy name that is no DNS subdomain",
            withSpec(SELECTORS).replace("name: redis-ha", "name: Redis_HA"),
            "metadata.name",
            "\"Redis_HA\" is not a DNS subdomain"),
        bad(
            "a selector name that is no object name",
            withSpec("resourceSelectors: [{apiVersion: apps/v1, kind: StatefulSet, name: Redis}]"),
            "spec.resourceSelectors[0].name",
            "\"Redis\" is not a DNS subdomain"));
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void reportsTheProblemWithItsFieldPath(BadInput input) {
    Decoded<PropagationPolicy> d = read(input.yaml());

    assertThat(d.isValid()).isFalse();
    assertThat(d.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo(input.path());
              assertThat(p.message()).contains(input.phrase());
            });
  }
}
