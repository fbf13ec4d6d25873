package io.flotilla.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.Problem;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading manifests: YAML documents, JSON objects and arrays, and {@code kind: List}. */
class ManifestReaderTest {
  private static final String SOURCE = "clusters.yaml";

  /** Where each object was found, and its name, in reading order. */
  private record Found(String location, String name) {}

  private static List<Found> found(List<Manifest> manifests) {
    return manifests.stream().map(m -> new Found(m.location(), m.name())).toList();
  }

  static Stream<Arguments> wellFormedInputs() {
    return Stream.of(
        arguments(
            named(
                "a single YAML document is document 1",
                """
                kind: MemberCluster
                metadata:
                  name: c1
                """),
            List.of(new Found("document 1", "c1"))),
        arguments(
            named(
                "YAML documents separated by --- are numbered in order",
                """
                kind: MemberCluster
                metadata:
                  name: c1
                ---
                kind: MemberCluster
                metadata:
                  name: c2
                """),
            List.of(new Found("document 1", "c1"), new Found("document 2", "c2"))),
        arguments(
            named(
                "an empty trailing YAML document is skipped",
                """
                kind: MemberCluster
                metadata:
                  name: c1
                ---
                kind: MemberCluster
                metadata:
                  name: c2
                ---
                """),
            List.of(new Found("document 1", "c1"), new Found("document 2", "c2"))),
        arguments(
            named(
                "a leading --- starts the first document",
                """
                ---
                kind: MemberCluster
                metadata:
                  name: c1
                """),
            List.of(new Found("document 1", "c1"))),
        arguments(
            named(
                "a kind: List yields its items, located in the list",
                """
                apiVersion: v1
                kind: List
                items:
                  - kind: MemberCluster
                    metadata: {name: c1}
                  - kind: MemberCluster
                    metadata: {name: c2}
                  - kind: MemberCluster
                    metadata: {name: c3}
                  - kind: MemberCluster
                    metadata: {name: c4}
                """),
            List.of(
                new Found("document 1, items[0]", "c1"),
                new Found("document 1, items[1]", "c2"),
                new Found("document 1, items[2]", "c3"),
                new Found("document 1, items[3]", "c4"))),
        arguments(
            named(
                "a kind: List as the second document is located in document 2",
                """
                kind: MemberCluster
                metadata: {name: c1}
                ---
                kind: List
                items:
                  - kind: MemberCluster
                    metadata: {name: c2}
                """),
            List.of(new Found("document 1", "c1"), new Found("document 2, items[0]", "c2"))),
        arguments(
            named("a kind: List without items yields nothing", "kind: List\nitems: []\n"),
            List.of()),
        arguments(
            named(
                "a JSON object is document 1",
                """
                {"kind": "MemberCluster", "metadata": {"name": "c1"}}
                """),
            List.of(new Found("document 1", "c1"))),
        arguments(
            named(
                "a JSON array's objects are documents 1, 2, ...",
                """
                [
                  {"kind": "MemberCluster", "metadata": {"name": "c1"}},
                  {"kind": "MemberCluster", "metadata": {"name": "c2"}}
                ]
                """),
            List.of(new Found("document 1", "c1"), new Found("document 2", "c2"))),
        arguments(
            named(
                "a JSON kind: List yields its items",
                """
                {"kind": "List", "items": [{"kind": "MemberCluster", "metadata": {"name": "c1"}}]}
                """),
            List.of(new Found("document 1, items[0]", "c1"))),
        arguments(named("an empty file holds nothing", ""), List.of()),
        arguments(named("a file of comments holds nothing", "# nothing here\n"), List.of()));
  }

  @ParameterizedTest
  @MethodSource("wellFormedInputs")
  void readsEveryObjectWithItsLocation(String text, List<Found> expected) {
    List<Manifest> manifests = ManifestReader.read(SOURCE, text);

    assertThat(found(manifests)).containsExactlyElementsOf(expected);
    assertThat(manifests).allSatisfy(m -> assertThat(m.source()).isEqualTo(SOURCE));
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        arguments(
            named(
                "a duplicate YAML key is refused, naming the key",
                """
                kind: MemberCluster
                metadata:
                  name: c1
                  name: c2
                """),
            "",
            "Duplicate Object property \"name\""),
        arguments(
            named(
                "a duplicate JSON key is refused, naming the key",
                """
                {"kind": "MemberCluster", "kind": "Middleware"}
                """),
            "",
            "Duplicate Object property \"kind\""),
        arguments(
            named(
                "malformed YAML is refused with its line",
                """
                kind: MemberCluster
                metadata:
                  name: [c1
                spec: {}
                """),
            "",
            "line "),
        arguments(
            named("malformed JSON is refused with its line", "{\"kind\": \"MemberCluster\",\n}"),
            "",
            "line 2"),
        arguments(
            named(
                "a List inside a List is refused",
                """
                kind: List
                items:
                  - kind: MemberCluster
                    metadata: {name: c1}
                  - kind: List
                    items: []
                """),
            "document 1, items[1]",
            "a List inside a List is not supported"),
        arguments(
            named(
                "a scalar document is refused",
                """
                kind: MemberCluster
                metadata: {name: c1}
                ---
                hello
                """),
            "document 2",
            "must be an object, got string \"hello\""),
        arguments(
            named(
                "a list as the second YAML document is refused",
                "kind: MemberCluster\n---\n- a\n- b\n"),
            "document 2",
            "must be an object, got a list"),
        arguments(
            named("a scalar in a JSON array is refused", "[{\"kind\": \"MemberCluster\"}, 3]"),
            "document 2",
            "must be an object, got number 3"),
        arguments(
            named("a List whose items are no list is refused", "kind: List\nitems: {a: 1}\n"),
            "document 1: items",
            "must be a list, got an object"),
        arguments(
            named(
                "a List item that is no object is refused",
                """
                kind: List
                items:
                  - kind: MemberCluster
                  - 42
                """),
            "document 1, items[1]",
            "must be an object, got number 42"));
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void refusesBadInputNamingWhereAndWhy(String text, String path, String reason) {
    InvalidInputException e =
        catchThrowableOfType(InvalidInputException.class, () -> ManifestReader.read(SOURCE, text));

    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSize(1);
    Problem p = e.problems().get(0);
    assertThat(p.path()).isEqualTo(path);
    assertThat(p.message()).contains(reason);
    assertThat(e).hasMessageStartingWith(SOURCE + ": 1 problem");
  }

  @Test
  void malformedYamlNamesTheLineAndColumnOfTheError() {
    String text =
        """
        kind: MemberCluster
        metadata:
          name: c1
          labels: {zone: dc1
        """;

    InvalidInputException e =
        catchThrowableOfType(InvalidInputException.class, () -> ManifestReader.read(SOURCE, text));

    assertThat(e.problems())
        .singleElement()
        .extracting(Problem::message)
        .isEqualTo("not valid YAML or JSON: line 4, column 21: while parsing a flow mapping");
  }

  @Test
  void everyBadDocumentIsReportedAtOnce() {
    String text =
        """
        hello
        ---
        kind: MemberCluster
        ---
        - 1
        ---
        kind: List
        items: [7]
        """;

    InvalidInputException e =
        catchThrowableOfType(InvalidInputException.class, () -> ManifestReader.read(SOURCE, text));

    assertThat(e.problems())
        .extracting(Problem::path)
        .containsExactly("document 1", "document 3", "document 4, items[0]");
    assertThat(e).hasMessageStartingWith(SOURCE + ": 3 problems\n  document 1: must be an object");
  }

  @Test
  void numbersAreKeptExactly() {
    List<Manifest> manifests =
        ManifestReader.read(
            SOURCE, "cpu: 0.1\nbig: 123456789012345678901234567890\nsmall: 1e-30\n");

    Manifest m = manifests.get(0);
    assertThat(m.node().get("cpu").decimalValue()).isEqualTo(new BigDecimal("0.1"));
    assertThat(m.node().get("big").bigIntegerValue())
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(m.node().get("small").decimalValue()).isEqualByComparingTo("1e-30");
  }

  @Test
  void describesAnObjectByKindAndName() {
    List<Manifest> manifests =
        ManifestReader.read(
            SOURCE,
            """
            kind: MemberCluster
            metadata: {name: c1}
            ---
            kind: MemberCluster
            ---
            metadata: {name: c3}
            ---
            kind: 7
            metadata: {name: 8}
            """);

    assertThat(manifests)
        .extracting(Manifest::describe)
        .containsExactly(
            "clusters.yaml: document 1 (MemberCluster c1)",
            "clusters.yaml: document 2 (MemberCluster)",
            "clusters.yaml: document 3",
            "clusters.yaml: document 4");
    assertThat(manifests.get(3).kind()).isEmpty();
    assertThat(manifests.get(3).name()).isEmpty();
  }

  @Test
  void nullTextIsRefused() {
    assertThatThrownBy(() -> ManifestReader.read(SOURCE, null))
        .isInstanceOf(NullPointerException.class);
  }
}
