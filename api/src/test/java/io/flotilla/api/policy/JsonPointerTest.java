package io.flotilla.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** JSON pointers (RFC 6901): parsing, escaping, and the reasons a text is none. */
class JsonPointerTest {
  static Stream<Arguments> pointers() {
    return Stream.of(
        arguments(named("the empty pointer is the whole document", ""), List.of()),
        arguments(named("a slash alone is the member named \"\"", "/"), List.of("")),
        arguments(named("a plain path", "/spec/replicas"), List.of("spec", "replicas")),
        arguments(
            named("an array index is a token like any other", "/spec/containers/0/image"),
            List.of("spec", "containers", "0", "image")),
        arguments(
            named("~1 is a slash inside a token", "/metadata/labels/app.kubernetes.io~1name"),
            List.of("metadata", "labels", "app.kubernetes.io/name")),
        arguments(named("~0 is a tilde", "/a~0b"), List.of("a~b")),
        arguments(named("~01 is a tilde then 1, not a slash", "/~01"), List.of("~1")),
        arguments(named("an empty token in the middle", "/a//b"), List.of("a", "", "b")));
  }

  @ParameterizedTest
  @MethodSource("pointers")
  void parsesAndWritesBack(String text, List<String> tokens) {
    JsonPointer p = JsonPointer.parse(text);

    assertThat(p.tokens()).isEqualTo(tokens);
    assertThat(p.toString()).isEqualTo(text);
    assertThat(new JsonPointer(tokens)).isEqualTo(p);
  }

  static Stream<Arguments> notPointers() {
    return Stream.of(
        arguments(
            named("no leading slash", "spec/replicas"),
            "must be a JSON pointer starting with \"/\", got \"spec/replicas\""),
        arguments(
            named("a tilde at the end", "/a~"),
            "\"/a~\" has a \"~\" not followed by 0 or 1 at position 2: write \"~\" as ~0 and \"/\" as"
                + " ~1"),
        arguments(
            named("a tilde followed by 2", "/a~2"),
            "\"/a~2\" has a \"~\" not followed by 0 or 1 at position 2: write \"~\" as ~0 and \"/\" as"
                + " ~1"));
  }

  @ParameterizedTest
  @MethodSource("notPointers")
  void refusesTextThatIsNoPointer(String text, String reason) {
    assertThat(JsonPointer.check(text)).hasValue(reason);
    assertThatThrownBy(() -> JsonPointer.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  @Test
  void navigatesByParentLastAndAppend() {
    JsonPointer image = JsonPointer.of("spec", "containers").append(1).append("image");

    assertThat(image.toString()).isEqualTo("/spec/containers/1/image");
    assertThat(image.last()).isEqualTo("image");
    assertThat(image.parent().toString()).isEqualTo("/spec/containers/1");
    assertThat(JsonPointer.parse("/a").parent()).isEqualTo(JsonPointer.ROOT);
    assertThat(JsonPointer.ROOT.isRoot()).isTrue();
    assertThatThrownBy(JsonPointer.ROOT::parent).isInstanceOf(IllegalStateException.class);
  }
}
