package io.flotilla.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.api.ClusterAffinity;
import io.flotilla.api.KubeObject;
import io.flotilla.api.LabelSelector;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.ManifestReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reading and validating an OverridePolicy: Karmada's shapes, and every kind of bad input. */
class OverridePolicyReaderTest {
  private static final String HEADER =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: OverridePolicy
      metadata:
        name: dc-mirrors
        namespace: redis
      """;

  private static Decoded<OverridePolicy> read(String yaml) {
    List<Manifest> manifests = ManifestReader.read("policy.yaml", yaml);
    assertThat(manifests).hasSize(1);
    return OverridePolicyReader.read(manifests.get(0));
  }

  private static OverridePolicy valid(String yaml) {
    Decoded<OverridePolicy> d = read(yaml);
    assertThat(d.problems()).isEmpty();
    return d.value().orElseThrow();
  }

  private static String withSpec(String specBody) {
    return HEADER + "spec:\n" + specBody.indent(2);
  }

  /** A policy with one rule for every cluster, holding these overriders. */
  private static String withOverriders(String overridersBody) {
    return withSpec("overrideRules:\n  - overriders:\n" + overridersBody.indent(6));
  }

  @Test
  void readsEveryOverriderInKarmadasShape() {
    OverridePolicy p =
        valid(
            withSpec(
                """
                resourceSelectors:
                  - apiVersion: apps/v1
                    kind: StatefulSet
                    name: redis
                  - apiVersion: apps/v1
                    kind: Deployment
                    labelSelector:
                      matchLabels: {app: sentinel}
                priority: 10
                overrideRules:
                  - targetCluster:
                      clusterNames: [dc1, dc2]
                    overriders:
                      imageOverrider:
                        - component: Registry
                          operator: replace
                          value: registry.dc1.example:5000
                        - predicate:
                            path: /spec/template/spec/initContainers/0/image
                          component: Tag
                          operator: remove
                      commandOverrider:
                        - containerName: redis
                          operator: add
                          value: [--cluster-announce-ip, 10.0.0.1]
                      argsOverrider:
                        - containerName: redis
                          operator: remove
                          value: ["--protected-mode=no"]
                      labelsOverrider:
                        - operator: add
                          value: {flotilla.io/cluster: dc1}
                      annotationsOverrider:
                        - operator: replace
                          value: {note: "set by dc1"}
                      plaintext:
                        - path: /spec/replicas
                          operator: replace
                          value: 2
                        - path: /metadata/annotations/old~1key
                          operator: remove
                  - targetCluster:
                      labelSelector:
                        matchExpressions:
                          - {key: zone, operator: In, values: [south]}
                    overriders:
                      plaintext:
                        - path: /spec/template/spec/nodeSelector
                          operator: add
                          value: {disk: ssd}
                """));

    assertThat(p.name()).isEqualTo("dc-mirrors");
    assertThat(p.namespace()).isEqualTo("redis");
    assertThat(p.ref().toString()).isEqualTo("OverridePolicy redis/dc-mirrors");
    OverridePolicySpec spec = p.spec();
    assertThat(spec.priority()).isEqualTo(10);
    assertThat(spec.resourceSelectors())
        .containsExactly(
            ResourceSelector.named("apps/v1", "StatefulSet", "redis"),
            ResourceSelector.labelled(
                "apps/v1",
                "Deployment",
                new LabelSelector(new TreeMap<>(Map.of("app", "sentinel")), List.of())));
    assertThat(spec.overrideRules()).hasSize(2);

    OverrideRule first = spec.overrideRules().get(0);
    assertThat(first.targetCluster())
        .hasValue(new ClusterAffinity(Optional.empty(), List.of("dc1", "dc2")));
    Overriders o = first.overriders();
    assertThat(o.imageOverrider())
        .containsExactly(
            new ImageOverrider(
                Optional.empty(),
                ImageComponent.Registry,
                OverriderOperator.REPLACE,
                "registry.dc1.example:5000"),
            new ImageOverrider(
                Optional.of(
                    JsonPointer.of("spec", "template", "spec", "initContainers", "0", "image")),
                ImageComponent.Tag,
                OverriderOperator.REMOVE,
                ""));
    assertThat(o.commandOverrider())
        .containsExactly(
            new CommandArgsOverrider(
                "redis", OverriderOperator.ADD, List.of("--cluster-announce-ip", "10.0.0.1")));
    assertThat(o.argsOverrider())
        .containsExactly(
            new CommandArgsOverrider(
                "redis", OverriderOperator.REMOVE, List.of("--protected-mode=no")));
    assertThat(o.labelsOverrider())
        .containsExactly(
            new LabelAnnotationOverrider(
                OverriderOperator.ADD, new TreeMap<>(Map.of("flotilla.io/cluster", "dc1"))));
    assertThat(o.annotationsOverrider())
        .containsExactly(
            new LabelAnnotationOverrider(
                OverriderOperator.REPLACE, new TreeMap<>(Map.of("note", "set by dc1"))));
    assertThat(o.plaintext()).hasSize(2);
    assertThat(o.plaintext().get(0).path()).isEqualTo(JsonPointer.of("spec", "replicas"));
    assertThat(o.plaintext().get(0).operator()).isEqualTo(OverriderOperator.REPLACE);
    assertThat(o.plaintext().get(0).value().orElseThrow().intValue()).isEqualTo(2);
    assertThat(o.plaintext().get(1))
        .isEqualTo(
            new PlaintextOverrider(
                JsonPointer.of("metadata", "annotations", "old/key"),
                OverriderOperator.REMOVE,
                Optional.empty()));

    OverrideRule second = spec.overrideRules().get(1);
    assertThat(second.targetCluster().orElseThrow().labelSelector().orElseThrow().toString())
        .isEqualTo("zone in (south)");
    assertThat(second.overriders().plaintext().get(0).value().orElseThrow())
        .isEqualTo(JsonNodeFactory.instance.objectNode().put("disk", "ssd"));
  }

  @Test
  void defaultsAreEveryTemplateOfTheNamespacePriorityZeroAndEveryCluster() {
    OverridePolicy p =
        valid(
            """
            apiVersion: flotilla.io/v1alpha1
            kind: OverridePolicy
            metadata:
              name: everywhere
            spec:
              overrideRules:
                - overriders:
                    labelsOverrider:
                      - operator: add
                        value: {managed-by: flotilla}
            """);

    assertThat(p.namespace()).isEqualTo("default");
    assertThat(p.spec().resourceSelectors()).isEmpty();
    assertThat(p.spec().priority()).isZero();
    assertThat(p.spec().overrideRules().get(0).targetCluster()).isEmpty();
    assertThat(p.status()).isEqualTo(PolicyStatus.EMPTY);
  }

  @Test
  void theValueOfAPlaintextOverriderIsCopiedInAndOut() {
    OverridePolicy p =
        valid(
            withOverriders(
                """
                plaintext:
                  - {path: /data, operator: add, value: {a: "1"}}
                """));
    PlaintextOverrider plaintext = p.spec().overrideRules().get(0).overriders().plaintext().get(0);

    ((ObjectNode) plaintext.value().orElseThrow()).put("b", "2");

    assertThat(plaintext.value().orElseThrow().size()).isEqualTo(1);
  }

  @Test
  void plaintextValuesEqualTheSameJsonReadFromTheStore() {
    OverridePolicy p =
        valid(withOverriders("plaintext: [{path: /spec/replicas, operator: replace, value: 3}]"));

    JsonNode value = p.spec().overrideRules().get(0).overriders().plaintext().get(0).value().get();
    JsonNode stored =
        KubeObject.parse("{\"kind\":\"K\",\"metadata\":{\"name\":\"n\"},\"v\":3}").at("/v");
    assertThat(KubeObject.sameJson(value, stored)).isTrue();
  }

  /** A bad input, where its one problem is, and a phrase the problem's message must hold. */
  record BadInput(String yaml, String path, String phrase) {}

  private static Arguments bad(String name, String yaml, String path, String phrase) {
    return arguments(named(name, new BadInput(yaml, path, phrase)));
  }

  private static final String O = "spec.overrideRules[0].overriders.";

  static Stream<Arguments> badInputs() {
    return Stream.of(
        bad(
            "a plaintext operator written Add (operators are lower case)",
            withOverriders("plaintext: [{path: /spec/replicas, operator: Add, value: 3}]"),
            O + "plaintext[0].operator",
            "must be one of add, remove, replace, got \"Add\""),
        bad(
            "a plaintext path without its leading slash",
            withOverriders("plaintext: [{path: spec/replicas, operator: replace, value: 3}]"),
            O + "plaintext[0].path",
            "must be a JSON pointer starting with \"/\", got \"spec/replicas\""),
        bad(
            "a plaintext path with a ~ that escapes nothing",
            withOverriders("plaintext: [{path: /metadata/annotations/a~b, operator: remove}]"),
            O + "plaintext[0].path",
            "has a \"~\" not followed by 0 or 1 at position 23"),
        bad(
            "a plaintext add without a value",
            withOverriders("plaintext: [{path: /spec/replicas, operator: add}]"),
            O + "plaintext[0].value",
            "required when operator is add"),
        bad(
            "a plaintext replace with a null value",
            withOverriders("plaintext: [{path: /spec/replicas, operator: replace, value: null}]"),
            O + "plaintext[0].value",
            "required when operator is replace"),
        bad(
            "a plaintext remove with a value",
            withOverriders("plaintext: [{path: /spec/replicas, operator: remove, value: 3}]"),
            O + "plaintext[0].value",
            "must not be set when operator is remove"),
        bad(
            "a misspelt overrider suggests the known one",
            withOverriders("imageOverider: [{component: Tag, operator: remove}]"),
            O + "imageOverider",
            "unknown field; did you mean imageOverrider?"),
        bad(
            "an image component written registry (components are capitalised)",
            withOverriders("imageOverrider: [{component: registry, operator: remove}]"),
            O + "imageOverrider[0].component",
            "must be one of Registry, Repository, Tag, got \"registry\""),
        bad(
            "an image replace without a value",
            withOverriders("imageOverrider: [{component: Tag, operator: replace}]"),
            O + "imageOverrider[0].value",
            "required when operator is replace"),
        bad(
            "an image remove with a value",
            withOverriders("imageOverrider: [{component: Tag, operator: remove, value: v1}]"),
            O + "imageOverrider[0].value",
            "must not be set when operator is remove"),
        bad(
            "an image predicate written as a bare path",
            withOverriders(
                """
                imageOverrider:
                  - predicate: /spec/template/spec/initContainers/0/image
                    component: Registry
                    operator: replace
                    value: registry.example
                """),
            O + "imageOverrider[0].predicate",
            "must be an object {path: <JSON pointer>}, got string"),
        bad(
            "an image predicate path that is no JSON pointer",
            withOverriders(
                """
                imageOverrider:
                  - predicate: {path: spec/containers/0/image}
                    component: Registry
                    operator: remove
                """),
            O + "imageOverrider[0].predicate.path",
            "must be a JSON pointer starting with \"/\""),
        bad(
            "an image tag replaced by text that is neither a tag nor a digest",
            withOverriders("imageOverrider: [{component: Tag, operator: replace, value: v1 beta}]"),
            O + "imageOverrider[0].value",
            "\"v1 beta\" is neither a tag (such as v1.2.3) nor a digest"),
        bad(
            "an image registry replaced by text that is no host name",
            withOverriders(
                "imageOverrider: [{component: Registry, operator: replace, value: my registry}]"),
            O + "imageOverrider[0].value",
            "the registry \"my registry\" is not a host name"),
        bad(
            "an image repository replaced by an upper-case name",
            withOverriders(
                "imageOverrider: [{component: Repository, operator: replace, value: Redis}]"),
            O + "imageOverrider[0].value",
            "the repository \"Redis\" must be lower case"),
        bad(
            "a command overrider with replace (it only adds and removes)",
            withOverriders(
                "commandOverrider: [{containerName: redis, operator: replace, value: [x]}]"),
            O + "commandOverrider[0].operator",
            "must be one of add, remove, got \"replace\""),
        bad(
            "an args overrider without containerName",
            withOverriders("argsOverrider: [{operator: add, value: [--verbose]}]"),
            O + "argsOverrider[0].containerName",
            "required"),
        bad(
            "an args overrider with an empty value",
            withOverriders("argsOverrider: [{containerName: redis, operator: add, value: []}]"),
            O + "argsOverrider[0].value",
            "must not be empty"),
        bad(
            "an args overrider whose value is a string, not a list",
            withOverriders(
                "argsOverrider: [{containerName: redis, operator: add, value: --verbose}]"),
            O + "argsOverrider[0].value",
            "must be a list, got string \"--verbose\""),
        bad(
            "a labels overrider adding an invalid label value",
            withOverriders("labelsOverrider: [{operator: add, value: {tier: cache!}}]"),
            O + "labelsOverrider[0].value.tier",
            "\"cache!\" is not a valid label value"),
        bad(
            "an annotations overrider with a key that is no qualified name",
            withOverriders("annotationsOverrider: [{operator: add, value: {bad key: x}}]"),
            O + "annotationsOverrider[0].value[\"bad key\"]",
            "\"bad key\" is not a valid key"),
        bad(
            "a labels overrider without a value",
            withOverriders("labelsOverrider: [{operator: remove}]"),
            O + "labelsOverrider[0].value",
            "required: the labels to change"),
        bad(
            "a rule without overriders",
            withSpec("overrideRules: [{targetCluster: {clusterNames: [dc1]}}]"),
            "spec.overrideRules[0].overriders",
            "required"),
        bad(
            "a rule whose overriders are empty",
            withSpec("overrideRules: [{overriders: {}}]"),
            "spec.overrideRules[0].overriders",
            "must hold at least one overrider"),
        bad(
            "no overrideRules",
            withSpec("priority: 1"),
            "spec.overrideRules",
            "required: at least one rule"),
        bad(
            "Karmada's deprecated spec.overriders beside overrideRules",
            withSpec(
                """
                overriders: {plaintext: [{path: /a, operator: remove}]}
                overrideRules: [{overriders: {plaintext: [{path: /a, operator: remove}]}}]
                """),
            "spec.overriders",
            "is deprecated since Karmada v1.0 and not read"),
        bad(
            "a target cluster with Karmada's exclude",
            withSpec(
                """
                overrideRules:
                  - targetCluster: {exclude: [dc3]}
                    overriders: {plaintext: [{path: /a, operator: remove}]}
                """),
            "spec.overrideRules[0].targetCluster.exclude",
            "is a Karmada field Flotilla does not support"),
        bad(
            "a target cluster naming a cluster twice",
            withSpec(
                """
                overrideRules:
                  - targetCluster: {clusterNames: [dc1, dc1]}
                    overriders: {plaintext: [{path: /a, operator: remove}]}
                """),
            "spec.overrideRules[0].targetCluster.clusterNames[1]",
            "duplicate cluster name \"dc1\""),
        bad(
            "a target cluster with an empty list of names",
            withSpec(
                """
                overrideRules:
                  - targetCluster: {clusterNames: []}
                    overriders: {plaintext: [{path: /a, operator: remove}]}
                """),
            "spec.overrideRules[0].targetCluster.clusterNames",
            "must not be empty; leave it out to allow every cluster"),
        bad(
            "a resource selector without kind",
            withSpec(
                """
                resourceSelectors: [{apiVersion: apps/v1}]
                overrideRules: [{overriders: {plaintext: [{path: /a, operator: remove}]}}]
                """),
            "spec.resourceSelectors[0].kind",
            "required"),
        bad(
            "a resource selector kind in lower case",
            withSpec(
                """
                resourceSelectors: [{apiVersion: apps/v1, kind: deployment}]
                overrideRules: [{overriders: {plaintext: [{path: /a, operator: remove}]}}]
                """),
            "spec.resourceSelectors[0].kind",
            "\"deployment\" is not a kind"),
        bad(
            "a resource selector in another namespace",
            withSpec(
                """
                resourceSelectors: [{apiVersion: v1, kind: ConfigMap, namespace: kafka}]
                overrideRules: [{overriders: {plaintext: [{path: /a, operator: remove}]}}]
                """),
            "spec.resourceSelectors[0].namespace",
            "must be the policy's own namespace \"redis\" or left out, got \"kafka\""),
        bad(
            "a resource selector with a malformed apiVersion",
            withSpec(
                """
                resourceSelectors: [{apiVersion: apps/V1, kind: Deployment}]
                overrideRules: [{overriders: {plaintext: [{path: /a, operator: remove}]}}]
                """),
            "spec.resourceSelectors[0].apiVersion",
            "\"apps/V1\" is not an apiVersion such as v1 or apps/v1"),
        bad(
            "an explicitly empty list of resource selectors",
            withSpec(
                """
                resourceSelectors: []
                overrideRules: [{overriders: {plaintext: [{path: /a, operator: remove}]}}]
                """),
            "spec.resourceSelectors",
            "must not be empty; leave it out to select every template of the namespace"),
        bad(
            "a selector expression In without values",
            withSpec(
                """
                resourceSelectors:
                  - apiVersion: apps/v1
                    kind: Deployment
                    labelSelector:
                      matchExpressions: [{key: app, operator: In}]
                overrideRules: [{overriders: {plaintext: [{path: /a, operator: remove}]}}]
                """),
            "spec.resourceSelectors[0].labelSelector.matchExpressions[0].values",
            "must not be empty when operator is In"),
        bad(
            "a priority written as a string",
            withSpec(
                """
                priority: "10"
                overrideRules: [{overriders: {plaintext: [{path: /a, operator: remove}]}}]
                """),
            "spec.priority",
            "must be an integer, got string \"10\""),
        bad(
            "Karmada's apiVersion",
            withSpec("overrideRules: [{overriders: {plaintext: [{path: /a, operator: remove}]}}]")
                .replace("flotilla.io/v1alpha1", "policy.karmada.io/v1alpha1"),
            "apiVersion",
            "must be flotilla.io/v1alpha1, got \"policy.karmada.io/v1alpha1\" (a Karmada policy:"
                + " change only its apiVersion)"),
        bad(
            "a status condition with status Yes",
            withSpec("overrideRules: [{overriders: {plaintext: [{path: /a, operator: remove}]}}]")
                + "status:\n  conditions: [{type: Applied, status: \"Yes\"}]\n",
            "status.conditions[0].status",
            "must be one of True, False, Unknown, got \"Yes\""));
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void reportsTheProblemWithItsFieldPath(BadInput input) {
    Decoded<OverridePolicy> d = read(input.yaml());

    assertThat(d.isValid()).isFalse();
    assertThat(d.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo(input.path());
              assertThat(p.message()).contains(input.phrase());
            });
  }

  @Test
  void everyProblemOfAPolicyIsReportedAtOnce() {
    Decoded<OverridePolicy> d =
        read(
            withSpec(
                """
                priority: high
                overrideRules:
                  - targetCluster: {clusterNames: [DC1]}
                    overriders:
                      plaintext:
                        - {path: spec/replicas, operator: add}
                      imageOverrider:
                        - {component: Digest, operator: remove}
                """));

    assertThat(d.value()).isEmpty();
    assertThat(d.problems())
        .extracting(p -> p.path() + ": " + p.message())
        .containsExactlyInAnyOrder(
            "spec.priority: must be an integer, got string \"high\"",
            "spec.overrideRules[0].targetCluster.clusterNames[0]: \"DC1\" is not a DNS subdomain:"
                + " use lower-case letters, digits, '-' and '.', starting and ending with a letter"
                + " or digit",
            O
                + "plaintext[0].path: must be a JSON pointer starting with \"/\", got"
                + " \"spec/replicas\"",
            O + "plaintext[0].value: required when operator is add (any JSON value except null)",
            O
                + "imageOverrider[0].component: must be one of Registry, Repository, Tag, got"
                + " \"Digest\"");
  }

  @Test
  void aRemoveOfLabelsNeedsNoValidLabelValues() {
    OverridePolicy p =
        valid(withOverriders("labelsOverrider: [{operator: remove, value: {tier: anything!}}]"));

    assertThat(p.spec().overrideRules().get(0).overriders().labelsOverrider().get(0).value())
        .containsOnlyKeys("tier");
  }
}
