package io.flotilla.propagation.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flotilla.api.Condition;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectMeta;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.api.policy.ImageComponent;
import io.flotilla.api.policy.ImageOverrider;
import io.flotilla.api.policy.JsonPointer;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.OverridePolicyReader;
import io.flotilla.api.policy.OverridePolicySpec;
import io.flotilla.api.policy.OverrideRule;
import io.flotilla.api.policy.OverriderOperator;
import io.flotilla.api.policy.Overriders;
import io.flotilla.api.policy.PlaintextOverrider;
import io.flotilla.api.policy.PolicyStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Rendering a template for a cluster: order within a rule, failures, isolation, conditions. */
class OverrideRendererTest {
  private static final KubeObject WEB =
      KubeObject.parse(
          """
          {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
           "spec": {"replicas": 2,
                    "template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}}
          """);
  private static final ClusterInfo DC1 = ClusterInfo.of("dc1", Map.of("zone", "north"));
  private static final ClusterInfo DC2 = ClusterInfo.of("dc2", Map.of("zone", "south"));

  /** An OverridePolicy of namespace shop, its spec given as YAML. */
  private static OverridePolicy policy(String name, String spec) {
    String yaml =
        """
        apiVersion: flotilla.io/v1alpha1
        kind: OverridePolicy
        metadata: {name: %s, namespace: shop}
        spec:
        """
                .formatted(name)
            + spec.indent(2);
    var d = OverridePolicyReader.read(ManifestReader.read(name, yaml).get(0));
    assertThat(d.problems()).isEmpty();
    return d.value().orElseThrow();
  }

  private static OverridePolicy plaintext(String name, String path, String op, String value) {
    return policy(
        name,
        "overrideRules: [{overriders: {plaintext: [{path: %s, operator: %s%s}]}}]"
            .formatted(path, op, value == null ? "" : ", value: " + value));
  }

  @Test
  void aPolicyThatFailsLeavesNoneOfItsChangesAndTheOthersStillApply() {
    List<OverridePolicy> policies =
        List.of(
            policy(
                "a",
                "overrideRules: [{overriders: {labelsOverrider: [{operator: add, value: {a: 'yes'}}]}}]"),
            policy(
                "b",
                """
                overrideRules:
                  - overriders:
                      labelsOverrider: [{operator: add, value: {b: 'yes'}}]
                      plaintext: [{path: /spec/paused, operator: replace, value: true}]
                """),
            plaintext("c", "/spec/replicas", "replace", "5"));

    RenderResult r = OverrideRenderer.render(WEB, DC1, policies);

    assertThat(r.object().labels()).containsOnlyKeys("app", "a");
    assertThat(r.object().at("/spec/replicas").intValue()).isEqualTo(5);
    assertThat(r.isClean()).isFalse();
    assertThat(r.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.policy()).isEqualTo(policies.get(1).ref());
              assertThat(f.rule()).isZero();
              assertThat(f.overrider()).isEqualTo(new OverriderRef(OverriderKind.PLAINTEXT, 0));
              assertThat(f.template()).isEqualTo(WEB.ref());
              assertThat(f.cluster()).isEqualTo("dc1");
              assertThat(f.path()).isEqualTo("/spec/paused");
              assertThat(f.reason()).isEqualTo("the path does not exist: /spec has no \"paused\"");
              assertThat(f.overriderPath())
                  .isEqualTo("spec.overrideRules[0].overriders.plaintext[0]");
            });
  }

  @Test
  void aFailureForOneClusterLeavesTheOtherClustersUnaffected() {
    OverridePolicy p =
        policy(
            "p",
            """
            overrideRules:
              - overriders:
                  plaintext: [{path: /spec/replicas, operator: replace, value: 3}]
              - targetCluster: {labelSelector: {matchLabels: {zone: south}}}
                overriders:
                  commandOverrider: [{containerName: sidecar, operator: add, value: [x]}]
            """);

    SortedMap<String, RenderResult> r =
        OverrideRenderer.renderEach(WEB, List.of(DC2, DC1), List.of(p));

    assertThat(r.keySet()).containsExactly("dc1", "dc2");
    assertThat(r.get("dc1").isClean()).isTrue();
    assertThat(r.get("dc1").object().at("/spec/replicas").intValue()).isEqualTo(3);
    assertThat(r.get("dc2").object()).isEqualTo(WEB);
    assertThat(r.get("dc2").failures())
        .extracting(OverrideFailure::toString)
        .containsExactly(
            "OverridePolicy shop/p: cluster dc2, Deployment shop/web:"
                + " spec.overrideRules[1].overriders.commandOverrider[0] at"
                + " /spec/template/spec/containers: no container named \"sidecar\" (the pod has"
                + " web)");
  }

  @Test
  void withinARulePlaintextAppliesAfterTheOtherOverridersWhateverTheYamlOrder() {
    OverridePolicy p =
        policy(
            "p",
            """
            overrideRules:
              - overriders:
                  plaintext:
                    - {path: /spec/template/spec/containers/0/image, operator: replace, value: "nginx:1.28"}
                    - {path: /metadata/labels/tier, operator: add, value: from-plaintext}
                  labelsOverrider: [{operator: add, value: {tier: from-labels}}]
                  imageOverrider: [{component: Registry, operator: replace, value: mirror.example}]
            """);

    KubeObject out = OverrideRenderer.render(WEB, DC1, List.of(p)).object();

    assertThat(out.at("/spec/template/spec/containers/0/image").stringValue())
        .isEqualTo("nginx:1.28");
    assertThat(out.labels()).containsEntry("tier", "from-plaintext");
  }

  @Test
  void theImageOverriderSeesTheImageAsEarlierPoliciesLeftIt() {
    List<OverridePolicy> policies =
        List.of(
            policy(
                "a-tag",
                "overrideRules: [{overriders: {imageOverrider: [{component: Tag, operator: replace, value: '1.28'}]}}]"),
            policy(
                "b-registry",
                "overrideRules: [{overriders: {imageOverrider: [{component: Registry, operator: add, value: mirror.example}]}}]"));

    KubeObject out = OverrideRenderer.render(WEB, DC1, policies).object();

    assertThat(out.at("/spec/template/spec/containers/0/image").stringValue())
        .isEqualTo("mirror.example/nginx:1.28");
  }

  @Test
  void theRulesOfAPolicyApplyInOrderSoTheLaterOneWins() {
    OverridePolicy p =
        policy(
            "p",
            """
            overrideRules:
              - overriders: {plaintext: [{path: /spec/replicas, operator: replace, value: 4}]}
              - targetCluster: {clusterNames: [dc1]}
                overriders: {plaintext: [{path: /spec/replicas, operator: replace, value: 1}]}
            """);

    assertThat(
            OverrideRenderer.render(WEB, DC1, List.of(p)).object().at("/spec/replicas").intValue())
        .isEqualTo(1);
    assertThat(
            OverrideRenderer.render(WEB, DC2, List.of(p)).object().at("/spec/replicas").intValue())
        .isEqualTo(4);
  }

  @Test
  void anOverrideMayNotRenameTheObjectOrChangeItsKind() {
    RenderResult renamed =
        OverrideRenderer.render(
            WEB, DC1, List.of(plaintext("rename", "/metadata/name", "replace", "web2")));
    RenderResult unkinded =
        OverrideRenderer.render(WEB, DC1, List.of(plaintext("unkind", "/kind", "remove", null)));

    assertThat(renamed.object()).isEqualTo(WEB);
    assertThat(renamed.failures())
        .extracting(OverrideFailure::path, OverrideFailure::reason)
        .containsExactly(
            tuple(
                "/metadata/name",
                "an override must not change what names the object (apiVersion, kind, namespace,"
                    + " name): string \"web\" became string \"web2\""));
    assertThat(unkinded.object()).isEqualTo(WEB);
    assertThat(unkinded.failures()).extracting(OverrideFailure::path).containsExactly("/kind");
  }

  @Test
  void aCommandOnAKindWithoutPodTemplateFailsButAnImageOverriderLeavesItAlone() {
    KubeObject configMap =
        KubeObject.parse(
            "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\","
                + " \"namespace\": \"shop\"}, \"data\": {\"a\": \"1\"}}");
    OverridePolicy command =
        policy(
            "command",
            "overrideRules: [{overriders: {argsOverrider: [{containerName: c, operator: add, value: [x]}]}}]");
    OverridePolicy image =
        policy(
            "image",
            "overrideRules: [{overriders: {imageOverrider: [{component: Tag, operator: remove}]}}]");

    RenderResult r = OverrideRenderer.render(configMap, DC1, List.of(command, image));

    assertThat(r.object()).isEqualTo(configMap);
    assertThat(r.failures())
        .extracting(OverrideFailure::path, OverrideFailure::reason)
        .containsExactly(
            tuple(
                "/kind",
                "ConfigMap has no pod template, so no container \"c\" (kinds with one: Pod,"
                    + " Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob)"));
  }

  @Test
  void removingArgsFromAContainerWithoutArgsLeavesItWithoutAndAddingCreatesThem() {
    OverridePolicy remove =
        policy(
            "a-remove",
            "overrideRules: [{overriders: {argsOverrider: [{containerName: web, operator: remove, value: [-v]}]}}]");
    OverridePolicy add =
        policy(
            "b-add",
            "overrideRules: [{overriders: {commandOverrider: [{containerName: web, operator: add, value: [nginx, -g]}]}}]");

    KubeObject out = OverrideRenderer.render(WEB, DC1, List.of(remove, add)).object();

    assertThat(out.at("/spec/template/spec/containers/0/args").isMissingNode()).isTrue();
    assertThat(out.at("/spec/template/spec/containers/0/command").toString())
        .isEqualTo("[\"nginx\",\"-g\"]");
  }

  @Test
  void policiesOfAnotherNamespaceOrForOtherTemplatesDoNotApply() {
    OverridePolicy otherKind =
        policy(
            "other-kind",
            """
            resourceSelectors: [{apiVersion: apps/v1, kind: StatefulSet}]
            overrideRules: [{overriders: {plaintext: [{path: /spec/replicas, operator: replace, value: 9}]}}]
            """);
    OverridePolicy otherNamespace =
        new OverridePolicy(
            ObjectMeta.named("elsewhere"),
            plaintext("x", "/spec/replicas", "replace", "9").spec(),
            PolicyStatus.EMPTY);

    RenderResult r = OverrideRenderer.render(WEB, DC1, List.of(otherKind, otherNamespace));

    assertThat(r.object()).isEqualTo(WEB);
    assertThat(r.isClean()).isTrue();
  }

  @Test
  void renderingNeverChangesTheTemplate() {
    String before = WEB.toJson();

    OverrideRenderer.render(WEB, DC1, List.of(plaintext("p", "/spec/replicas", "replace", "7")));

    assertThat(WEB.toJson()).isEqualTo(before);
  }

  @Test
  void renderingNeverThrowsWhateverThePatches() {
    Random random = new Random(20261126);
    String[] tokens = {
      "spec",
      "template",
      "metadata",
      "labels",
      "annotations",
      "replicas",
      "containers",
      "initContainers",
      "0",
      "1",
      "-",
      "01",
      "name",
      "image",
      "kind",
      "",
      "a~b",
      "a/b"
    };
    String[] imageValues = {"x", ":", "/a", "-", "UP", ".io", "sha256:" + "a".repeat(64), "1.2"};
    JsonNode[] values = {
      JsonNodeFactory.instance.numberNode(1),
      JsonNodeFactory.instance.stringNode("x"),
      JsonNodeFactory.instance.objectNode(),
      JsonNodeFactory.instance.arrayNode(),
      JsonNodeFactory.instance.nullNode()
    };
    String[] known = {
      "/spec/replicas",
      "/metadata/labels/tier",
      "/metadata/annotations",
      "/spec/template/spec/containers/0/image",
      "/spec/template/spec/containers/-",
      "/spec/template/spec/containers/1",
      "/spec/template/spec/nodeSelector"
    };
    int failures = 0;
    for (int i = 0; i < 500; i++) {
      List<PlaintextOverrider> patches = new ArrayList<>();
      List<ImageOverrider> images = new ArrayList<>();
      if (random.nextInt(10) < 6) {
        JsonPointer path;
        if (random.nextBoolean()) {
          path = JsonPointer.parse(known[random.nextInt(known.length)]);
        } else {
          List<String> t = new ArrayList<>();
          for (int d = 1 + random.nextInt(5); d > 0; d--) {
            t.add(tokens[random.nextInt(tokens.length)]);
          }
          path = new JsonPointer(t);
        }
        OverriderOperator op = OverriderOperator.values()[random.nextInt(3)];
        patches.add(
            new PlaintextOverrider(
                path,
                op,
                op == OverriderOperator.REMOVE
                    ? Optional.empty()
                    : Optional.of(values[random.nextInt(values.length)])));
      } else {
        OverriderOperator op = OverriderOperator.values()[random.nextInt(3)];
        images.add(
            new ImageOverrider(
                Optional.empty(),
                ImageComponent.values()[random.nextInt(3)],
                op,
                op == OverriderOperator.REMOVE
                    ? ""
                    : imageValues[random.nextInt(imageValues.length)]));
      }
      OverridePolicy p =
          new OverridePolicy(
              new ObjectMeta("fuzz-" + i, Optional.of("shop"), new TreeMap<>(), new TreeMap<>()),
              new OverridePolicySpec(
                  List.of(),
                  0,
                  List.of(
                      OverrideRule.everywhere(
                          new Overriders(
                              images, List.of(), List.of(), List.of(), List.of(), patches)))),
              PolicyStatus.EMPTY);

      RenderResult r = OverrideRenderer.render(WEB, DC1, List.of(p));

      assertThat(r.object().ref()).isEqualTo(WEB.ref());
      if (!r.isClean()) {
        failures++;
        assertThat(r.object()).isEqualTo(WEB);
      }
    }
    assertThat(failures).as("the fuzzing reaches failures and successes").isBetween(50, 450);
  }

  @Test
  void theAppliedConditionIsTrueWithoutFailures() {
    Condition c = OverrideConditions.applied(WEB.ref(), List.of());

    assertThat(c.type()).isEqualTo(PolicyStatus.APPLIED);
    assertThat(c.status()).isEqualTo(ConditionStatus.True);
    assertThat(c.reason()).isEqualTo("Applied");
    assertThat(c.lastTransitionTime()).isEmpty();
  }

  @Test
  void theAppliedConditionNamesEachFailureSortedByClusterAndIgnoresOtherPolicies() {
    ObjectRef mine = new ObjectRef("flotilla.io/v1alpha1", "OverridePolicy", "shop", "mine");
    ObjectRef theirs = new ObjectRef("flotilla.io/v1alpha1", "OverridePolicy", "shop", "theirs");
    OverriderRef plaintext0 = new OverriderRef(OverriderKind.PLAINTEXT, 0);
    OverriderRef image1 = new OverriderRef(OverriderKind.IMAGE, 1);
    List<OverrideFailure> failures =
        List.of(
            new OverrideFailure(
                mine, 1, plaintext0, WEB.ref(), "dc3", "/spec/x", "the path does not exist"),
            new OverrideFailure(theirs, 0, plaintext0, WEB.ref(), "dc1", "/a", "elsewhere"),
            new OverrideFailure(
                mine,
                0,
                image1,
                WEB.ref(),
                "dc2",
                "/spec/template/spec/containers/0/image",
                "bad image"));

    Condition c = OverrideConditions.applied(mine, failures);

    assertThat(c.status()).isEqualTo(ConditionStatus.False);
    assertThat(c.reason()).isEqualTo("OverrideFailed");
    assertThat(c.message())
        .isEqualTo(
            "cluster dc2, Deployment shop/web: spec.overrideRules[0].overriders.imageOverrider[1]"
                + " at /spec/template/spec/containers/0/image: bad image; cluster dc3, Deployment"
                + " shop/web: spec.overrideRules[1].overriders.plaintext[0] at /spec/x: the path"
                + " does not exist");
  }

  @Test
  void theAppliedConditionSpellsOutTenFailuresAndCountsTheRest() {
    ObjectRef mine = new ObjectRef("flotilla.io/v1alpha1", "OverridePolicy", "shop", "mine");
    List<OverrideFailure> failures = new ArrayList<>();
    for (int i = 12; i >= 1; i--) {
      failures.add(
          new OverrideFailure(
              mine,
              0,
              new OverriderRef(OverriderKind.PLAINTEXT, 0),
              WEB.ref(),
              "dc%02d".formatted(i),
              "/x",
              "missing"));
    }

    String message = OverrideConditions.applied(mine, failures).message();

    assertThat(message).startsWith("cluster dc01, ").endsWith("; and 2 more");
    assertThat(message).contains("cluster dc10, ").doesNotContain("cluster dc11");
  }
}
