package io.flotilla.propagation.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.api.policy.ImageComponent;
import io.flotilla.api.policy.ImageOverrider;
import io.flotilla.api.policy.JsonPointer;
import io.flotilla.api.policy.OverriderOperator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rewriting images: the cases of Karmada's {@code pkg/util/overridemanager/imageoverride_test.go}
 * (https://github.com/karmada-io/karmada/blob/master/pkg/util/overridemanager/imageoverride_test.go)
 * with Karmada's results, except where Karmada writes an invalid image or silently keeps the old
 * one (those fail here), and which images a rule without a predicate changes, per kind.
 */
class ImageOverridesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String SHA =
      "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";
  private static final String KARMADA_IMAGE = "fictional.registry.example/imagename:v1.0.0";
  private static final JsonPointer FIRST_IMAGE = JsonPointer.parse("/spec/containers/0/image");

  private static ImageOverrider overrider(ImageComponent c, OverriderOperator op, String value) {
    return new ImageOverrider(Optional.empty(), c, op, value);
  }

  private static JsonNode pod(String image) {
    return JSON.readTree(
        """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
         "spec": {"containers": [{"name": "c", "image": "%s"}]}}
        """
            .formatted(image));
  }

  private static Arguments rewrite(
      String name,
      String image,
      ImageComponent c,
      OverriderOperator op,
      String value,
      String expected) {
    return arguments(named(name, image), overrider(c, op, value), expected);
  }

  static Stream<Arguments> rewrites() {
    return Stream.of(
        rewrite(
            "Karmada: Registry add to an image without a registry",
            "perl:5.34.0",
            ImageComponent.Registry,
            OverriderOperator.ADD,
            "registry.k8s.io",
            "registry.k8s.io/perl:5.34.0"),
        rewrite(
            "Karmada: Registry add appends to the registry's text",
            KARMADA_IMAGE,
            ImageComponent.Registry,
            OverriderOperator.ADD,
            ".test",
            "fictional.registry.example.test/imagename:v1.0.0"),
        rewrite(
            "Karmada: Registry replace",
            KARMADA_IMAGE,
            ImageComponent.Registry,
            OverriderOperator.REPLACE,
            "fictional.registry.us",
            "fictional.registry.us/imagename:v1.0.0"),
        rewrite(
            "Karmada: Registry remove",
            KARMADA_IMAGE,
            ImageComponent.Registry,
            OverriderOperator.REMOVE,
            "",
            "imagename:v1.0.0"),
        rewrite(
            "Karmada: Repository add appends to the repository's text",
            KARMADA_IMAGE,
            ImageComponent.Repository,
            OverriderOperator.ADD,
            "/nginx",
            "fictional.registry.example/imagename/nginx:v1.0.0"),
        rewrite(
            "Karmada: Repository replace",
            KARMADA_IMAGE,
            ImageComponent.Repository,
            OverriderOperator.REPLACE,
            "nginx",
            "fictional.registry.example/nginx:v1.0.0"),
        rewrite(
            "Karmada: Tag replace by a digest drops the tag",
            KARMADA_IMAGE,
            ImageComponent.Tag,
            OverriderOperator.REPLACE,
            SHA,
            "fictional.registry.example/imagename@" + SHA),
        rewrite(
            "Karmada: Tag remove",
            KARMADA_IMAGE,
            ImageComponent.Tag,
            OverriderOperator.REMOVE,
            "",
            "fictional.registry.example/imagename"),
        rewrite(
            "Tag add appends to the tag",
            "redis:7.2",
            ImageComponent.Tag,
            OverriderOperator.ADD,
            "-alpine",
            "redis:7.2-alpine"),
        rewrite(
            "Tag add to an image without a tag sets one",
            "redis",
            ImageComponent.Tag,
            OverriderOperator.ADD,
            "7.2",
            "redis:7.2"),
        rewrite(
            "Tag replace of a pinned digest by a tag drops the digest",
            "redis@" + SHA,
            ImageComponent.Tag,
            OverriderOperator.REPLACE,
            "7.4",
            "redis:7.4"),
        rewrite(
            "Tag remove of an image with tag and digest removes the tag, keeping the digest",
            "redis:7.2@" + SHA,
            ImageComponent.Tag,
            OverriderOperator.REMOVE,
            "",
            "redis@" + SHA),
        rewrite(
            "Tag remove of a digest-only image removes the digest",
            "redis@" + SHA,
            ImageComponent.Tag,
            OverriderOperator.REMOVE,
            "",
            "redis"),
        rewrite(
            "Registry remove of an image without a registry changes nothing",
            "library/redis:7.2",
            ImageComponent.Registry,
            OverriderOperator.REMOVE,
            "",
            "library/redis:7.2"),
        rewrite(
            "Registry replace keeps a port",
            "localhost:5000/redis:7.2",
            ImageComponent.Registry,
            OverriderOperator.REPLACE,
            "registry.dc1.example:443",
            "registry.dc1.example:443/redis:7.2"));
  }

  @ParameterizedTest
  @MethodSource("rewrites")
  void rewritesTheImage(String image, ImageOverrider o, String expected) throws OverrideException {
    JsonNode out = ImageOverrides.apply(pod(image), "Pod", o);

    assertThat(out.at(FIRST_IMAGE.toString()).stringValue()).isEqualTo(expected);
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        rewrite(
            "Karmada: Repository remove (Karmada writes the invalid fictional.registry.example/:v1.0.0)",
            KARMADA_IMAGE,
            ImageComponent.Repository,
            OverriderOperator.REMOVE,
            "",
            "\"fictional.registry.example/:v1.0.0\" is not a valid image reference: the repository"
                + " is empty"),
        rewrite(
            "Karmada: Tag add of a digest to a tag (Karmada silently keeps the image)",
            KARMADA_IMAGE,
            ImageComponent.Tag,
            OverriderOperator.ADD,
            SHA,
            "cannot set the tag of \""
                + KARMADA_IMAGE
                + "\": \"v1.0.0"
                + SHA
                + "\" is neither a tag"),
        rewrite(
            "an image that does not parse",
            "Redis:7.2",
            ImageComponent.Tag,
            OverriderOperator.REPLACE,
            "7.4",
            "\"Redis:7.2\" is not a valid image reference: the repository \"Redis\" must be lower"
                + " case"),
        rewrite(
            "a repository add that leaves a trailing separator",
            "registry.k8s.io/pause:3.9",
            ImageComponent.Repository,
            OverriderOperator.ADD,
            "_",
            "\"registry.k8s.io/pause_:3.9\" is not a valid image reference"));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void failsAtTheImagePath(String image, ImageOverrider o, String reason) {
    OverrideException e =
        catchThrowableOfType(
            OverrideException.class, () -> ImageOverrides.apply(pod(image), "Pod", o));

    assertThat(e).isNotNull();
    assertThat(e.path()).isEqualTo(FIRST_IMAGE.toString());
    assertThat(e.reason()).startsWith(reason);
  }

  static Stream<Arguments> kinds() {
    String containers =
        """
        {"initContainers": [{"name": "init", "image": "busybox:1.36"}],
         "containers": [{"name": "a", "image": "redis:7.2"}, {"name": "b", "image": "exporter:1"}]}
        """;
    String template = "{\"template\": {\"spec\": " + containers + "}}";
    return Stream.of(
        arguments(named("Pod", "Pod"), "{\"spec\": " + containers + "}", "/spec"),
        arguments(
            named("Deployment", "Deployment"),
            "{\"spec\": " + template + "}",
            "/spec/template/spec"),
        arguments(
            named("StatefulSet", "StatefulSet"),
            "{\"spec\": " + template + "}",
            "/spec/template/spec"),
        arguments(
            named("DaemonSet", "DaemonSet"), "{\"spec\": " + template + "}", "/spec/template/spec"),
        arguments(
            named("ReplicaSet", "ReplicaSet"),
            "{\"spec\": " + template + "}",
            "/spec/template/spec"),
        arguments(named("Job", "Job"), "{\"spec\": " + template + "}", "/spec/template/spec"),
        arguments(
            named("CronJob", "CronJob"),
            "{\"spec\": {\"jobTemplate\": {\"spec\": " + template + "}}}",
            "/spec/jobTemplate/spec/template/spec"));
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void withoutAPredicateEveryContainerAndInitContainerImageChanges(
      String kind, String body, String podSpec) throws OverrideException {
    JsonNode doc = JSON.readTree(body);

    JsonNode out =
        ImageOverrides.apply(
            doc,
            kind,
            overrider(ImageComponent.Registry, OverriderOperator.REPLACE, "mirror.example"));

    assertThat(
            List.of(
                out.at(podSpec + "/containers/0/image").stringValue(),
                out.at(podSpec + "/containers/1/image").stringValue(),
                out.at(podSpec + "/initContainers/0/image").stringValue()))
        .containsExactly(
            "mirror.example/redis:7.2", "mirror.example/exporter:1", "mirror.example/busybox:1.36");
  }

  @Test
  void aKindWithoutPodSpecIsLeftAsItIsAsInKarmada() throws OverrideException {
    JsonNode configMap = JSON.readTree("{\"data\": {\"image\": \"redis:7.2\"}}");

    JsonNode out =
        ImageOverrides.apply(
            configMap.deepCopy(),
            "ConfigMap",
            overrider(ImageComponent.Registry, OverriderOperator.REPLACE, "mirror.example"));

    assertThat(out).isEqualTo(configMap);
  }

  @Test
  void aPredicateChangesOnlyTheImageAtItsPath() throws OverrideException {
    JsonNode doc =
        JSON.readTree(
            """
            {"spec": {"containers": [{"name": "a", "image": "redis:7.2"},
                                     {"name": "b", "image": "registry.k8s.io/nginx-slim:0.8"}]}}
            """);
    ImageOverrider second =
        new ImageOverrider(
            Optional.of(JsonPointer.parse("/spec/containers/1/image")),
            ImageComponent.Repository,
            OverriderOperator.REPLACE,
            "nginx");

    JsonNode out = ImageOverrides.apply(doc, "Pod", second);

    assertThat(out.at("/spec/containers/0/image").stringValue()).isEqualTo("redis:7.2");
    assertThat(out.at("/spec/containers/1/image").stringValue())
        .isEqualTo("registry.k8s.io/nginx:0.8");
  }

  @Test
  void aPredicateAtSomethingOtherThanAStringFails() {
    ImageOverrider atContainer =
        new ImageOverrider(
            Optional.of(JsonPointer.parse("/spec/containers/0")),
            ImageComponent.Tag,
            OverriderOperator.REMOVE,
            "");

    OverrideException e =
        catchThrowableOfType(
            OverrideException.class,
            () -> ImageOverrides.apply(pod("redis:7.2"), "Pod", atContainer));

    assertThat(e.reason()).isEqualTo("is an object, not an image");
    assertThat(e.path()).isEqualTo("/spec/containers/0");
  }
}
