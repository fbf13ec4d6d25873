package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the command line: every case exits 1 with a message naming the file, the field
 * and the reason, and never a stack trace.
 */
class BadInputTest {
  @TempDir static Path dir;

  /**
   * One bad input: the clusters file, the middleware file, an optional previous file, extra
   * arguments, and the phrases the error must contain.
   */
  record Case(
      String clusters, String middleware, String previous, List<String> extra, List<String> says) {}

  private static Case mw(String middleware, String... says) {
    return new Case(Fixtures.THREE_CLUSTERS, middleware, null, List.of(), List.of(says));
  }

  private static Case clusters(String clusters, String... says) {
    return new Case(clusters, Fixtures.ZOOKEEPER_5, null, List.of(), List.of(says));
  }

  private static Case previous(String previous, String... says) {
    return new Case(
        Fixtures.THREE_CLUSTERS, Fixtures.ZOOKEEPER_5, previous, List.of(), List.of(says));
  }

  private static Case args(List<String> extra, String... says) {
    return new Case(Fixtures.THREE_CLUSTERS, Fixtures.ZOOKEEPER_5, null, extra, List.of(says));
  }

  private static String role(String yaml) {
    return Fixtures.zookeeper(yaml);
  }

  private static Arguments named(String name, Case c) {
    return Arguments.of(Named.of(name, c));
  }

  static Stream<Arguments> cases() {
    String okRole = "- role: participant\n  replicas: 3\n";
    return Stream.of(
        named(
            "bad YAML is refused with its line",
            mw("spec: [unclosed\n", "m.yaml", "not valid YAML or JSON", "line")),
        named(
            "a duplicate YAML key is refused",
            mw(
                Fixtures.ZOOKEEPER_5.replace(
                    "metadata: {name: zk}", "metadata: {name: zk, name: x}"),
                "m.yaml",
                "Duplicate",
                "name")),
        named(
            "negative replicas",
            mw(
                role("- role: participant\n  replicas: -1\n"),
                "spec.replicaRequirements[0].replicas: must be >= 0, got -1")),
        named(
            "maxSkew 0",
            mw(
                role(okRole + "  maxSkew: 0\n"),
                "spec.replicaRequirements[0].maxSkew: must be >= 1, got 0")),
        named(
            "duplicate roles",
            mw(
                role(okRole + okRole),
                "spec.replicaRequirements[1]: duplicate role \"participant\"")),
        named(
            "unknown type",
            mw(
                Fixtures.ZOOKEEPER_5.replace("type: zookeeper", "type: mongodb"),
                "spec.type: must be one of redis, elasticsearch, kafka, rocketmq, zookeeper, got \"mongodb\"")),
        named(
            "a role the type does not have",
            mw(
                role("- role: leader\n  replicas: 3\n"),
                "spec.replicaRequirements[0].role",
                "not a role of zookeeper",
                "participant, observer")),
        named(
            "unparsable quantity",
            mw(
                role(okRole + "  resourceRequest: {requests: {cpu: 2cores}}\n"),
                "spec.replicaRequirements[0].resourceRequest.requests.cpu",
                "unknown suffix \"cores\"")),
        named(
            "requests above limits",
            mw(
                role(
                    okRole + "  resourceRequest: {requests: {cpu: \"2\"}, limits: {cpu: \"1\"}}\n"),
                "requests.cpu: must be <= limits.cpu (2 > 1)")),
        named(
            "a quantity too large to schedule by",
            mw(
                role(okRole + "  resourceRequest: {requests: {memory: 1Ei}}\n"),
                "requests.memory: is too large")),
        named(
            "replicas given as a string",
            mw(
                role("- role: participant\n  replicas: \"3\"\n"),
                "replicas: must be an integer, got string \"3\"")),
        named(
            "a misspelt field gets a suggestion",
            mw(
                role(okRole + "  maxskew: 1\n"),
                "spec.replicaRequirements[0].maxskew: unknown field; did you mean maxSkew?")),
        named(
            "wrong apiVersion",
            mw(
                Fixtures.ZOOKEEPER_5.replace("flotilla.io/v1alpha1", "flotilla.io/v1"),
                "apiVersion: must be flotilla.io/v1alpha1, got \"flotilla.io/v1\"")),
        named(
            "shard replicas that do not match the shards",
            mw(
                Fixtures.ZOOKEEPER_5
                        .replace("type: zookeeper", "type: redis")
                        .replace("role: participant", "role: master")
                    + "    - {role: slave, replicas: 4, shard: 1}\n",
                "spec.replicaRequirements[1].replicas: must be shards × replicas per shard = 5 × 1 = 5")),
        named(
            "clusterNames given twice, once by its alias",
            mw(
                Fixtures.ZOOKEEPER_5 + "  clusterNames: [dc1]\n  clustersNames: [dc1]\n",
                "spec.clustersNames: is an alias of clusterNames; give only one of them")),
        named(
            "an unknown label selector operator",
            mw(
                Fixtures.ZOOKEEPER_5
                    + "  clusterAffinity:\n    labelSelector:\n      matchExpressions:\n"
                    + "        - {key: zone, operator: Gt, values: [\"1\"]}\n",
                "spec.clusterAffinity.labelSelector.matchExpressions[0].operator: must be one of In,"
                    + " NotIn, Exists, DoesNotExist")),
        named(
            "a toleration with Exists and a value",
            mw(
                Fixtures.ZOOKEEPER_5 + "  tolerations: [{key: a, operator: Exists, value: b}]\n",
                "spec.tolerations[0].value: must be empty when operator is Exists")),
        named(
            "two Middleware in one file",
            mw(
                Fixtures.ZOOKEEPER_5
                    + "---\n"
                    + Fixtures.ZOOKEEPER_5.replace("name: zk", "name: zk2"),
                "m.yaml",
                "must hold exactly one Middleware, found 2")),
        named(
            "no spec",
            mw(
                "apiVersion: flotilla.io/v1alpha1\nkind: Middleware\nmetadata: {name: zk}\n",
                "spec: required")),
        named(
            "an unknown taint effect",
            clusters(
                Fixtures.cluster("dc1", "8", "8Gi")
                    .replace(
                        "\nstatus:\n",
                        "\nspec:\n  taints: [{key: a, effect: Sometimes}]\nstatus:\n"),
                "c.yaml",
                "document 1 (MemberCluster dc1): spec.taints[0].effect: must be one of"
                    + " NoSchedule, NoExecute, got \"Sometimes\"")),
        named(
            "an empty cluster list",
            clusters("# nothing here\n", "c.yaml", "holds no MemberCluster object")),
        named(
            "duplicate cluster names",
            clusters(
                Fixtures.cluster("dc1", "8", "8Gi") + "---\n" + Fixtures.cluster("dc1", "8", "8Gi"),
                "document 2 (MemberCluster dc1): metadata.name: duplicate of the object in document 1")),
        named(
            "a Middleware where clusters belong",
            clusters(
                Fixtures.ZOOKEEPER_5,
                "document 1 (Middleware zk): kind: expected MemberCluster, got kind Middleware")),
        named(
            "a cluster name that is no DNS name",
            clusters(
                Fixtures.cluster("DC_1", "8", "8Gi"), "metadata.name", "is not a DNS subdomain")),
        named(
            "a negative allocatable quantity",
            clusters(
                Fixtures.cluster("dc1", "8", "-8Gi"),
                "status.resourceSummary.allocatable.memory: must not be negative, got -8Gi")),
        named(
            "allocatable cpu of zero",
            clusters(
                Fixtures.cluster("dc1", "0", "8Gi"),
                "status.resourceSummary.allocatable.cpu: must be greater than 0")),
        named(
            "a condition status that is not True, False or Unknown",
            clusters(
                Fixtures.cluster("dc1", "8", "8Gi").replace("status: \"True\"", "status: \"Yes\""),
                "status.conditions[0].status: must be one of True, False, Unknown, got \"Yes\"")),
        named(
            "a namespace on a cluster-scoped object",
            clusters(
                Fixtures.cluster("dc1", "8", "8Gi")
                    .replace("name: dc1", "name: dc1\n  namespace: x"),
                "metadata.namespace: must not be set: this kind is cluster-scoped")),
        named(
            "a previous placement with a negative count",
            previous(
                "{\"placement\": {\"participant\": {\"dc1\": -1}}}",
                "p.json",
                "placement.participant.dc1: must be >= 0, got -1")),
        named(
            "a previous placement that is not an object",
            previous("[1, 2]", "p.json", "document 1: must be an object, got number 1")),
        named(
            "a previous placement without a placement",
            previous("{\"shards\": []}", "p.json", "placement: required")),
        named(
            "a missing option",
            args(List.of("--drop-clusters"), "Unknown option: '--drop-clusters'")),
        named(
            "an unknown output format",
            args(List.of("-o", "xml"), "Invalid value for option '--output'", "json, yaml, table")),
        named(
            "a file that does not exist",
            args(
                List.of("--previous", "/no/such/file.json"),
                "/no/such/file.json: 1 problem",
                "no such file")),
        named(
            "a directory instead of a file",
            args(List.of("--previous", "/tmp"), "/tmp", "is a directory, not a file")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exitsOneNamingFileFieldAndReason(Case c) throws IOException {
    Path clusters = dir.resolve("c.yaml");
    Path middleware = dir.resolve("m.yaml");
    Files.writeString(clusters, c.clusters());
    Files.writeString(middleware, c.middleware());
    List<String> argv = new ArrayList<>(List.of("schedule", "--clusters", clusters.toString()));
    argv.addAll(List.of("--middleware", middleware.toString()));
    if (c.previous() != null) {
      Path previous = dir.resolve("p.json");
      Files.writeString(previous, c.previous());
      argv.addAll(List.of("--previous", previous.toString()));
    }
    argv.addAll(c.extra());
    Cli r = Cli.run(argv.toArray(String[]::new));
    assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(Main.BAD_INPUT);
    for (String phrase : c.says()) {
      assertThat(r.err()).contains(phrase);
    }
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.out()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void coversAtLeastTwentyKindsOfBadInput() {
    assertThat(cases().count()).isGreaterThanOrEqualTo(20);
  }

  @org.junit.jupiter.api.Test
  void nonUtf8InputIsRefused() throws IOException {
    Path bad = dir.resolve("latin1.yaml");
    Files.write(bad, "name: caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
    Cli r = Cli.run("schedule", "--clusters", bad.toString(), "--middleware", bad.toString());
    assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).contains("latin1.yaml").contains("is not UTF-8 text");
  }

  @org.junit.jupiter.api.Test
  void everyProblemOfADocumentIsReportedAtOnce() throws IOException {
    Path clusters = dir.resolve("c3.yaml");
    Path middleware = dir.resolve("m3.yaml");
    Files.writeString(clusters, Fixtures.THREE_CLUSTERS);
    Files.writeString(
        middleware,
        Fixtures.zookeeper(
            "- role: participant\n  replicas: -1\n  maxSkew: 0\n- role: observer\n  replicas: x\n"));
    Cli r =
        Cli.run(
            "schedule", "--clusters", clusters.toString(), "--middleware", middleware.toString());
    assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err())
        .contains("3 problems")
        .contains("spec.replicaRequirements[0].replicas: must be >= 0")
        .contains("spec.replicaRequirements[0].maxSkew: must be >= 1")
        .contains("spec.replicaRequirements[1].replicas: must be an integer");
  }
}
