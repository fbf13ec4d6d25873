package io.flotilla.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.Middleware;
import io.flotilla.api.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading every object of one kind from a file, with every problem of every object at once. */
class ObjectLoaderTest {
  private static final String SOURCE = "clusters.yaml";

  private static String cluster(String name) {
    return """
        apiVersion: flotilla.io/v1alpha1
        kind: MemberCluster
        metadata:
          name: %s
        status:
          conditions:
            - type: Ready
              status: "True"
          resourceSummary:
            allocatable: {cpu: "16", memory: 64Gi}
        """
        .formatted(name);
  }

  private static String middleware(String namespace, String name) {
    return """
        apiVersion: flotilla.io/v1alpha1
        kind: Middleware
        metadata:
          name: %s
          namespace: %s
        spec:
          type: zookeeper
          replicaRequirements:
            - role: participant
              replicas: 3
        """
        .formatted(name, namespace);
  }

  private static InvalidInputException loadingClustersFails(String text) {
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class, () -> ObjectLoader.memberClusters(SOURCE, text));
    assertThat(e).as("InvalidInputException").isNotNull();
    return e;
  }

  @Test
  void loadsSeveralClustersFromOneFileInOrder() {
    List<MemberCluster> clusters =
        ObjectLoader.memberClusters(
            SOURCE, cluster("dc1") + "---\n" + cluster("dc2") + "---\n" + cluster("dc3"));

    assertThat(clusters).extracting(MemberCluster::name).containsExactly("dc1", "dc2", "dc3");
  }

  @Test
  void loadsClustersFromAKindListAndFromJson() {
    String list =
        """
        kind: List
        items:
          - apiVersion: flotilla.io/v1alpha1
            kind: MemberCluster
            metadata: {name: dc1}
          - apiVersion: flotilla.io/v1alpha1
            kind: MemberCluster
            metadata: {name: dc2}
        """;
    String json =
        """
        [{"apiVersion": "flotilla.io/v1alpha1", "kind": "MemberCluster",
          "metadata": {"name": "dc3"}}]
        """;

    assertThat(ObjectLoader.memberClusters(SOURCE, list))
        .extracting(MemberCluster::name)
        .containsExactly("dc1", "dc2");
    assertThat(ObjectLoader.memberClusters("clusters.json", json))
        .extracting(MemberCluster::name)
        .containsExactly("dc3");
  }

  @Test
  void aDuplicateNameIsReportedWithBothLocations() {
    InvalidInputException e =
        loadingClustersFails(cluster("dc1") + "---\n" + cluster("dc2") + "---\n" + cluster("dc1"));

    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "document 3 (MemberCluster dc1): metadata.name",
                "duplicate of the object in document 1"));
  }

  @Test
  void aDocumentOfTheWrongKindIsReported() {
    InvalidInputException e =
        loadingClustersFails(cluster("dc1") + "---\n" + middleware("default", "zk"));

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).startsWith("document 2").endsWith(": kind");
              assertThat(p.message()).isEqualTo("expected MemberCluster, got kind Middleware");
            });
  }

  @Test
  void aDocumentWithoutKindIsReported() {
    InvalidInputException e = loadingClustersFails("metadata: {name: dc1}\n");

    assertThat(e.problems())
        .singleElement()
        .extracting(Problem::message)
        .isEqualTo("expected MemberCluster, got no kind");
  }

  @Test
  void anEmptyFileHoldsNoMemberCluster() {
    InvalidInputException e = loadingClustersFails("");

    assertThat(e.problems()).containsExactly(new Problem("", "holds no MemberCluster object"));
    assertThat(e).hasMessage("clusters.yaml: 1 problem\n  holds no MemberCluster object");
  }

  @Test
  void anEmptyKindListHoldsNoMemberCluster() {
    InvalidInputException e = loadingClustersFails("kind: List\nitems: []\n");

    assertThat(e.problems()).containsExactly(new Problem("", "holds no MemberCluster object"));
  }

  @Test
  void malformedYamlIsReportedForTheFile() {
    InvalidInputException e = loadingClustersFails("kind: [MemberCluster\n");

    assertThat(e.problems())
        .singleElement()
        .extracting(Problem::message)
        .asString()
        .startsWith("not valid YAML or JSON: line ");
    assertThat(e).hasMessageStartingWith("clusters.yaml: 1 problem\n  not valid YAML or JSON");
  }

  @Test
  void problemsOfSeveralDocumentsAreAllReportedAtOnceEachPrefixedByItsDocument() {
    String text =
        cluster("dc1").replace("cpu: \"16\"", "cpu: \"0\"")
            + "---\n"
            + cluster("dc2")
            + "---\n"
            + cluster("dc3")
                .replace("status: \"True\"", "status: \"Yes\"")
                .replace("  name: dc3\n", "  name: dc3\n  namespace: default\n");

    InvalidInputException e = loadingClustersFails(text);

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "document 1 (MemberCluster dc1): status.resourceSummary.allocatable.cpu: must be"
                + " greater than 0",
            "document 3 (MemberCluster dc3): metadata.namespace: must not be set: this kind is"
                + " cluster-scoped",
            "document 3 (MemberCluster dc3): status.conditions[0].status: must be one of True,"
                + " False, Unknown, got \"Yes\"");
    assertThat(e)
        .hasMessage(
            "clusters.yaml: 3 problems\n"
                + "  document 1 (MemberCluster dc1): status.resourceSummary.allocatable.cpu: must"
                + " be greater than 0\n"
                + "  document 3 (MemberCluster dc3): metadata.namespace: must not be set: this kind"
                + " is cluster-scoped\n"
                + "  document 3 (MemberCluster dc3): status.conditions[0].status: must be one of"
                + " True, False, Unknown, got \"Yes\"");
  }

  @Test
  void aProblemOfAnUnnamedDocumentIsPrefixedByItsLocationOnly() {
    InvalidInputException e =
        loadingClustersFails("apiVersion: flotilla.io/v1alpha1\nkind: MemberCluster\n");

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly("document 1: metadata: required");
  }

  @Test
  void loadsMiddlewaresUniqueByNamespaceAndName() {
    List<Middleware> middlewares =
        ObjectLoader.middlewares(
            "mw.yaml", middleware("team-a", "zk") + "---\n" + middleware("team-b", "zk"));

    assertThat(middlewares)
        .extracting(m -> m.metadata().namespace().orElseThrow() + "/" + m.name())
        .containsExactly("team-a/zk", "team-b/zk");
  }

  @Test
  void aMiddlewareWithoutNamespaceIsInDefaultAndClashesWithOneNamedThere() {
    String withoutNamespace = middleware("x", "zk").replace("  namespace: x\n", "");

    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                ObjectLoader.middlewares(
                    "mw.yaml", middleware("default", "zk") + "---\n" + withoutNamespace));

    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "document 2 (Middleware zk): metadata.name",
                "duplicate of the object in document 1"));
  }

  @Test
  void anEmptyMiddlewareFileHoldsNoMiddleware() {
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class, () -> ObjectLoader.middlewares("mw.yaml", "---\n"));

    assertThat(e).hasMessage("mw.yaml: 1 problem\n  holds no Middleware object");
  }
}
