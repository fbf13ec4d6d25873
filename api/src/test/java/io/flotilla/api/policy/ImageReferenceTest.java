package io.flotilla.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Image references as the Docker distribution project's {@code reference} package reads them, and
 * Karmada's rule for where the registry ends ({@code imageparser.SplitHostname}).
 */
class ImageReferenceTest {
  private static final String SHA =
      "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";

  private static Arguments ref(
      String name, String image, String registry, String repository, String tag, String digest) {
    return arguments(named(name, image), new ImageReference(registry, repository, tag, digest));
  }

  static Stream<Arguments> references() {
    return Stream.of(
        ref("a bare repository", "nginx", "", "nginx", "", ""),
        ref("a repository and tag", "myapp:1.0.0", "", "myapp", "1.0.0", ""),
        ref(
            "a first component without . or : is part of the repository",
            "library/nginx:1.25",
            "",
            "library/nginx",
            "1.25",
            ""),
        ref(
            "a first component with a . is the registry",
            "registry.k8s.io/pause:3.9",
            "registry.k8s.io",
            "pause",
            "3.9",
            ""),
        ref(
            "a registry with a port, and a nested repository (Karmada's example)",
            "fictional.registry.example:10443/karmada/karmada-controller-manager:v1.0.0",
            "fictional.registry.example:10443",
            "karmada/karmada-controller-manager",
            "v1.0.0",
            ""),
        ref("localhost is a registry", "localhost/app", "localhost", "app", "", ""),
        ref(
            "localhost with a port",
            "localhost:5000/team/app:dev",
            "localhost:5000",
            "team/app",
            "dev",
            ""),
        ref(
            "a registry that is an IPv6 address",
            "[::1]:5000/app:v2",
            "[::1]:5000",
            "app",
            "v2",
            ""),
        ref("a digest", "redis@" + SHA, "", "redis", "", SHA),
        ref(
            "a tag and a digest",
            "docker.io/library/redis:7.2@" + SHA,
            "docker.io",
            "library/redis",
            "7.2",
            SHA),
        ref(
            "separators inside a path component",
            "quay.io/a.b_c__d--e/f:latest",
            "quay.io",
            "a.b_c__d--e/f",
            "latest",
            ""),
        ref(
            "without a slash, localhost:5000 is repository localhost with tag 5000",
            "localhost:5000",
            "",
            "localhost",
            "5000",
            ""));
  }

  @ParameterizedTest
  @MethodSource("references")
  void parsesAndWritesBack(String image, ImageReference expected) {
    ImageReference parsed = ImageReference.parse(image);

    assertThat(parsed).isEqualTo(expected);
    assertThat(parsed.toString()).isEqualTo(image);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments(named("an empty image", ""), "it has no repository"),
        arguments(named("upper case in the repository", "Nginx:1.25"), "must be lower case"),
        arguments(named("an empty tag", "nginx:"), "the tag \"\" is not a tag"),
        arguments(named("a tag and no name", ":1.25"), "it has no repository"),
        arguments(
            named("a tag starting with a dot", "nginx:.hidden"),
            "the tag \".hidden\" is not a tag"),
        arguments(named("a tag of 129 characters", "nginx:" + "a".repeat(129)), "is not a tag"),
        arguments(
            named("a short sha256 digest", "nginx@sha256:abc"),
            "the digest \"sha256:abc\" is not a digest"),
        arguments(
            named("a sha256 digest of 63 hex digits", "nginx@sha256:" + "a".repeat(63)),
            "must have 64 lower-case hex digits after \"sha256:\""),
        arguments(
            named("an upper-case sha256 digest", "nginx@sha256:" + "A".repeat(64)),
            "must have 64 lower-case hex digits"),
        arguments(
            named("an unknown digest algorithm", "nginx@md5:" + "a".repeat(32)),
            "uses the unsupported algorithm \"md5\""),
        arguments(
            named("a component starting with a separator", "library/-nginx"),
            "has the invalid component \"-nginx\""),
        arguments(
            named("an empty path component", "library//nginx"), "has an empty path component"),
        arguments(
            named("a registry and no repository", "registry.k8s.io/"), "the repository is empty"),
        arguments(
            named("a registry with an empty port", "registry.k8s.io:/pause"),
            "has no valid port number"),
        arguments(
            named("a registry with an underscore", "my_registry.example/app"),
            "is not a host name"),
        arguments(named("a space", "redis 7"), "has the invalid component \"redis 7\""),
        arguments(
            named("a name longer than 255 characters", "a/" + "b".repeat(254)),
            "its name is longer than 255 characters (256)"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void refusesWhatIsNoImageReference(String image, String reason) {
    assertThatThrownBy(() -> ImageReference.parse(image))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("\"" + image + "\" is not a valid image reference: ")
        .hasMessageContaining(reason);
    assertThat(ImageReference.check(image)).isPresent();
  }

  @Test
  void tagsAndDigestsAreTellableApart() {
    assertThat(ImageReference.isTag("v1.0.0")).isTrue();
    assertThat(ImageReference.isDigest("v1.0.0")).isFalse();
    assertThat(ImageReference.isDigest(SHA)).isTrue();
    assertThat(ImageReference.isTag(SHA)).isFalse();
    assertThat(ImageReference.checkTagOrDigest("v1.0.0" + SHA)).isPresent();
  }
}
