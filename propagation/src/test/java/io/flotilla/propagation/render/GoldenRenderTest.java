package io.flotilla.propagation.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.api.KubeObject;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Golden files: each directory under {@code render/} holds a template, OverridePolicies, the member
 * clusters, and the object expected in each cluster ({@code expected/<cluster>.yaml}) with the
 * expected failures ({@code expected/failures.txt}, none when absent). The Karmada cases are the
 * examples of Karmada's override policy guide; each policies.yaml names its source.
 */
class GoldenRenderTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  static Stream<Named<String>> cases() {
    return Stream.of(
        named("Karmada: imageOverrider adds a registry", "karmada-image-add-registry"),
        named(
            "Karmada: imageOverrider replaces the repository", "karmada-image-replace-repository"),
        named("Karmada: imageOverrider removes the tag", "karmada-image-remove-tag"),
        named("Karmada: commandOverrider adds a flag", "karmada-command-add"),
        named("Karmada: commandOverrider removes a flag", "karmada-command-remove"),
        named("Karmada: argsOverrider adds and removes", "karmada-args-add-and-remove"),
        named(
            "Karmada: labelsOverrider adds, replaces and removes",
            "karmada-labels-add-replace-remove"),
        named(
            "Karmada: annotationsOverrider adds, replaces and removes",
            "karmada-annotations-add-replace-remove"),
        named(
            "Karmada: plaintext replaces a ConfigMap's data",
            "karmada-plaintext-replace-configmap-data"),
        named("Karmada: a rule targets clusters by label", "karmada-target-cluster-by-label"),
        named("Karmada: a rule targets clusters by name", "karmada-target-cluster-by-name"),
        named(
            "the higher explicit priority wins over a more specific selector",
            "precedence-explicit-priority"),
        named(
            "at equal priority name match beats label match beats an empty selector",
            "precedence-implicit-priority"),
        named("at equal priority and specificity the later name wins", "precedence-name-order"),
        named(
            "rules target clusters by names, by labels, by both, or all",
            "targeting-by-names-and-labels"),
        named(
            "a bad path on one cluster fails that policy there only; the others are rendered",
            "failure-bad-path-on-one-cluster"),
        named(
            "an image that cannot change fails on its cluster only",
            "failure-image-on-two-clusters"),
        named(
            "each data centre's registry mirror, init containers included",
            "flotilla-redis-mirror-per-datacentre"),
        named("a CronJob's container args and image", "cronjob-args"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void rendersAsExpected(String dir) {
    KubeObject template = KubeObject.of(single(dir + "/template.yaml").node());
    List<OverridePolicy> policies =
        PolicyLoader.overridePolicies(dir + "/policies.yaml", text(dir + "/policies.yaml"));
    List<ClusterInfo> clusters = clusters(dir + "/clusters.yaml");

    SortedMap<String, RenderResult> rendered =
        OverrideRenderer.renderEach(template, clusters, policies);

    for (ClusterInfo c : clusters) {
      JsonNode expected = single(dir + "/expected/" + c.name() + ".yaml").node();
      JsonNode actual = rendered.get(c.name()).object().json();
      assertThat(yaml(actual)).as("rendered for %s", c.name()).isEqualTo(yaml(expected));
    }
    List<String> failures = new ArrayList<>();
    rendered.values().forEach(r -> r.failures().forEach(f -> failures.add(f.toString())));
    assertThat(failures).isEqualTo(expectedFailures(dir));
  }

  @Test
  void everyCaseDirectoryIsListedAndHasAnExpectationForEachCluster()
      throws IOException, URISyntaxException {
    URL root = GoldenRenderTest.class.getResource("/render");
    assertThat(root).isNotNull();
    List<String> dirs;
    try (Stream<Path> s = Files.list(Path.of(root.toURI()))) {
      dirs = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(dirs).containsExactlyInAnyOrderElementsOf(cases().map(Named::getPayload).toList());
    for (String dir : dirs) {
      List<String> expected = new ArrayList<>();
      for (ClusterInfo c : clusters(dir + "/clusters.yaml")) {
        expected.add(c.name() + ".yaml");
      }
      if (GoldenRenderTest.class.getResource("/render/" + dir + "/expected/failures.txt") != null) {
        expected.add("failures.txt");
      }
      try (Stream<Path> s = Files.list(Path.of(root.toURI()).resolve(dir).resolve("expected"))) {
        assertThat(s.map(p -> p.getFileName().toString()))
            .as(dir)
            .containsExactlyInAnyOrderElementsOf(expected);
      }
    }
  }

  private static List<String> expectedFailures(String dir) {
    if (GoldenRenderTest.class.getResource("/render/" + dir + "/expected/failures.txt") == null) {
      return List.of();
    }
    return text(dir + "/expected/failures.txt").lines().filter(l -> !l.isBlank()).toList();
  }

  private static List<ClusterInfo> clusters(String resource) {
    JsonNode node = single(resource).node();
    List<ClusterInfo> out = new ArrayList<>();
    for (JsonNode c : node.get("clusters")) {
      Map<String, String> labels = new TreeMap<>();
      JsonNode l = c.get("labels");
      if (l != null) {
        l.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
      }
      out.add(ClusterInfo.of(c.get("name").stringValue(), labels));
    }
    return out;
  }

  private static Manifest single(String resource) {
    List<Manifest> manifests = ManifestReader.read(resource, text(resource));
    assertThat(manifests).as(resource).hasSize(1);
    return manifests.get(0);
  }

  private static String text(String resource) {
    try (InputStream in = GoldenRenderTest.class.getResourceAsStream("/render/" + resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(resource, e);
    }
  }

  /** YAML with every object's keys sorted and numbers normalised, for a readable comparison. */
  private static String yaml(JsonNode node) {
    return YAML.writeValueAsString(sorted(JSON.readTree(JSON.writeValueAsString(node))));
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      SortedMap<String, JsonNode> byKey = new TreeMap<>();
      node.properties().forEach(e -> byKey.put(e.getKey(), e.getValue()));
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      byKey.forEach((k, v) -> out.set(k, sorted(v)));
      return out;
    }
    if (node.isArray()) {
      var out = JsonNodeFactory.instance.arrayNode();
      node.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return node;
  }
}
