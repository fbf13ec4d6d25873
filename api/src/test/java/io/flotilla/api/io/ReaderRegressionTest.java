package io.flotilla.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.Names;
import io.flotilla.api.Problem;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bugs found in review of the readers, each pinned down so it cannot come back. */
class ReaderRegressionTest {
  private static final String HEADER =
      "apiVersion: flotilla.io/v1alpha1\nkind: Middleware\nmetadata: {name: m}\n";

  private static List<Problem> middlewareProblems(String yaml) {
    List<Manifest> docs = ManifestReader.read("m.yaml", yaml);
    return MiddlewareReader.read(docs.get(0)).problems();
  }

  private static Arguments named(String name, String spec, String path, String message) {
    return named(name, spec, 1, path, message);
  }

  private static Arguments named(
      String name, String spec, int problems, String path, String message) {
    return Arguments.of(Named.of(name, HEADER + spec), problems, path, message);
  }

  static Stream<Arguments> singleProblems() {
    return Stream.of(
        named(
            "YAML .inf as replicas is a problem, not a crash",
            "spec: {type: redis, replicaRequirements: [{role: master, replicas: .inf}]}",
            "spec.replicaRequirements[0].replicas",
            "must be an integer, got number .inf"),
        named(
            "YAML .nan as a quantity is a problem, not a crash",
            "spec: {type: redis, replicaRequirements: [{role: master, replicas: 1,"
                + " resourceRequest: {requests: {cpu: .nan}}}]}",
            "spec.replicaRequirements[0].resourceRequest.requests.cpu",
            "must be a finite number, got number .nan"),
        named(
            "a duplicate role is reported at its own index when an earlier role is invalid",
            "spec: {type: redis, replicaRequirements: [{role: master, replicas: 1},"
                + " {role: sentinel, replicas: x}, {role: master, replicas: 1}]}",
            2,
            "spec.replicaRequirements[2]",
            "duplicate role \"master\""),
        named(
            "pinned counts that would overflow an int are refused",
            "spec: {type: redis, replicaRequirements: [{role: master, replicas: 2}],"
                + " pinnedPlacement: {master: {a: 2147483647, b: 2147483647, c: 4}}}",
            2,
            "spec.pinnedPlacement.master.a",
            "must be a count from 0 to 100000"),
        named(
            "weights given as a list is one problem",
            "spec: {type: redis, replicaRequirements: [{role: master, replicas: 1, weights: [1]}]}",
            "spec.replicaRequirements[0].weights",
            "must be an object, got a list"),
        named(
            "an invalid role is not reported again by pinnedPlacement",
            "spec: {type: redis, replicaRequirements: [{role: master, replicas: \"3\"}],"
                + " pinnedPlacement: {master: {a: 3}}}",
            "spec.replicaRequirements[0].replicas",
            "must be an integer, got string \"3\""),
        named(
            "3.0 is reported as written",
            "spec: {type: redis, replicaRequirements: [{role: master, replicas: 3.0}]}",
            "spec.replicaRequirements[0].replicas",
            "must be an integer, got number 3.0"),
        named(
            "the type is case-sensitive like every other enum",
            "spec: {type: REDIS, replicaRequirements: [{role: master, replicas: 1}]}",
            "spec.type",
            "must be one of redis, elasticsearch, kafka, rocketmq, zookeeper, got \"REDIS\""),
        named(
            "minClusters above replicas cannot be met: each spanned cluster holds one",
            "spec: {type: kafka, replicaRequirements: [{role: broker, replicas: 2, minClusters: 3}]}",
            "spec.replicaRequirements[0].minClusters",
            "cannot exceed replicas (3 > 2): each cluster the role spans holds at least one"),
        named(
            "a swapped pair of letters gets a suggestion (and spec is still missing)",
            "spce: {}",
            2,
            "spce",
            "unknown field; did you mean spec?"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleProblems")
  void reportsTheProblemAndNothingSpurious(String yaml, int count, String path, String message) {
    List<Problem> problems = middlewareProblems(yaml);
    assertThat(problems).as("%s", problems).hasSize(count);
    assertThat(problems)
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.message()).contains(message);
            });
  }

  @Test
  void aRootSequenceDoesNotSwallowTheDocumentsAfterIt() {
    String yaml = "- {kind: MemberCluster, metadata: {name: a}}\n---\nkind: MemberCluster\n";
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class, () -> ManifestReader.read("c.yaml", yaml));
    assertThat(e).isNotNull();
    assertThat(e.problems()).extracting(Problem::path).containsExactly("document 1");
    assertThat(e.problems().get(0).message()).isEqualTo("must be an object, got a list");
  }

  @Test
  void documentsAfterADocumentAreAllRead() {
    List<Manifest> docs =
        ManifestReader.read("c.yaml", "kind: A\n---\nkind: B\n---\n---\nkind: C\n");
    assertThat(docs).extracting(Manifest::kind).containsExactly("A", "B", "C");
    assertThat(docs)
        .extracting(Manifest::location)
        .containsExactly("document 1", "document 2", "document 4");
  }

  @Test
  void yamlAliasesAreRefusedWithTheirPosition() {
    String yaml = "metadata:\n  labels: {zone: &z dc1, region: *z}\n";
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class, () -> ManifestReader.read("c.yaml", yaml));
    assertThat(e).isNotNull();
    assertThat(e.problems().get(0).message())
        .isEqualTo(
            "line 2, column 34: YAML alias *z is not supported; write the value out in full");
  }

  @Test
  void anObjectOfTheWrongKindIsLabelledWithItsOwnKind() {
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                ObjectLoader.memberClusters(
                    "c.yaml", HEADER + "spec: {type: zookeeper, replicaRequirements: []}"));
    assertThat(e.problems())
        .extracting(Problem::path)
        .containsExactly("document 1 (Middleware m): kind");
  }

  @Test
  void aSubdomainPartMayBeLongerThan63CharactersAsInKubernetes() {
    assertThat(Names.checkDnsSubdomain("a".repeat(70) + ".example.com")).isEmpty();
    assertThat(Names.checkDnsSubdomain("a".repeat(254))).isPresent();
  }
}
