package io.flotilla.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.KubeObject;
import io.flotilla.api.Problem;
import io.flotilla.api.io.Decoded;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading policies from files, and reading them from stored objects. */
class PolicyLoaderTest {
  private static String override(String namespace, String name) {
    return """
        apiVersion: flotilla.io/v1alpha1
        kind: OverridePolicy
        metadata: {name: %s, namespace: %s}
        spec:
          overrideRules:
            - overriders:
                plaintext: [{path: /spec/replicas, operator: replace, value: 1}]
        """
        .formatted(name, namespace);
  }

  private static String propagation(String name) {
    return """
        apiVersion: flotilla.io/v1alpha1
        kind: PropagationPolicy
        metadata: {name: %s}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: StatefulSet}]
        """
        .formatted(name);
  }

  private static InvalidInputException loadingFails(Runnable load) {
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class, load::run);
    assertThat(e).as("InvalidInputException").isNotNull();
    return e;
  }

  @Test
  void loadsSeveralPoliciesInOrder() {
    List<OverridePolicy> policies =
        PolicyLoader.overridePolicies(
            "overrides.yaml",
            override("redis", "b")
                + "---\n"
                + override("redis", "a")
                + "---\n"
                + override("kafka", "a"));

    assertThat(policies)
        .extracting(p -> p.ref().toString())
        .containsExactly(
            "OverridePolicy redis/b", "OverridePolicy redis/a", "OverridePolicy kafka/a");
  }

  @Test
  void reportsEveryBadPolicyWithWhereItIs() {
    InvalidInputException e =
        loadingFails(
            () ->
                PolicyLoader.overridePolicies(
                    "overrides.yaml",
                    override("redis", "a")
                        + "---\n"
                        + override("redis", "a")
                        + "---\n"
                        + propagation("p")
                        + "---\n"
                        + override("redis", "c").replace("operator: replace", "operator: set")));

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "document 2 (OverridePolicy a): metadata.name: duplicate of the policy in document 1",
            "document 3 (PropagationPolicy p): kind: expected OverridePolicy, got kind"
                + " PropagationPolicy",
            "document 4 (OverridePolicy c):"
                + " spec.overrideRules[0].overriders.plaintext[0].operator: must be one of add,"
                + " remove, replace, got \"set\"");
    assertThat(e.getMessage()).startsWith("overrides.yaml: 3 problems");
  }

  @Test
  void aFileWithoutPoliciesIsAnError() {
    InvalidInputException e =
        loadingFails(() -> PolicyLoader.propagationPolicies("policies.yaml", "---\n"));

    assertThat(e.problems())
        .extracting(Problem::message)
        .containsExactly("holds no PropagationPolicy object");
  }

  @Test
  void loadsPropagationPolicies() {
    assertThat(
            PolicyLoader.propagationPolicies(
                "p.yaml", propagation("a") + "---\n" + propagation("b")))
        .extracting(PropagationPolicy::name)
        .containsExactly("a", "b");
  }

  @Test
  void aStoredPolicyReadsLikeAFileAndABrokenOneYieldsItsProblems() {
    KubeObject stored =
        KubeObject.parse(
            """
            {"apiVersion": "flotilla.io/v1alpha1", "kind": "PropagationPolicy",
             "metadata": {"name": "redis-ha", "namespace": "redis", "resourceVersion": "7"},
             "spec": {"resourceSelectors": [{"apiVersion": "apps/v1", "kind": "StatefulSet"}],
                      "placement": {"clusterAffinity": {"clusterNames": ["dc1", "dc2"]}}}}
            """);
    Decoded<PropagationPolicy> ok = PolicyObjects.propagationPolicy(stored);

    assertThat(ok.problems()).isEmpty();
    assertThat(ok.value().orElseThrow().spec().clusterAffinity().clusterNames())
        .containsExactly("dc1", "dc2");

    KubeObject broken = stored.edit(n -> n.withObjectProperty("spec").put("priority", "high"));
    Decoded<PropagationPolicy> bad = PolicyObjects.propagationPolicy(broken);

    assertThat(bad.value()).isEmpty();
    assertThat(bad.problems())
        .extracting(Problem::toString)
        .containsExactly("spec.priority: must be an integer, got string \"high\"");
  }

  @Test
  void aStoredOverridePolicyReads() {
    KubeObject stored =
        KubeObject.parse(
            """
            {"apiVersion": "flotilla.io/v1alpha1", "kind": "OverridePolicy",
             "metadata": {"name": "o", "namespace": "redis"},
             "spec": {"overrideRules": [{"overriders": {"imageOverrider":
               [{"component": "Registry", "operator": "replace", "value": "mirror.dc1"}]}}]}}
            """);

    assertThat(PolicyObjects.overridePolicy(stored).value().orElseThrow().ref().toString())
        .isEqualTo("OverridePolicy redis/o");
    assertThat(
            PolicyObjects.overridePolicy(
                    stored.edit(n -> n.put("kind", "OverridePolicy").put("apiVersion", "v1")))
                .problems())
        .extracting(Problem::toString)
        .containsExactly("apiVersion: must be flotilla.io/v1alpha1, got \"v1\"");
  }
}
