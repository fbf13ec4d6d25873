package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code flotilla schedule} with valid input: output forms, exit codes, --previous. */
class ScheduleCommandTest {
  @TempDir Path dir;

  private String file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p.toString();
  }

  private static JsonNode json(String text) {
    return JsonMapper.builder().build().readTree(text);
  }

  @Test
  void talkExampleIsScheduledWithSlavesOutsideTheirMastersCluster() {
    Cli r =
        Cli.run(
            "schedule",
            "--clusters",
            "../examples/clusters.yaml",
            "--middleware",
            "../examples/redis-talk.yaml",
            "-o",
            "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode out = json(r.out());
    assertThat(out.get("scheduled").booleanValue()).isTrue();
    assertThat(out.get("placement").get("master").toString())
        .isEqualTo("{\"user1\":2,\"user2\":1}");
    assertThat(out.get("placement").get("slave").toString()).isEqualTo("{\"user1\":1,\"user2\":2}");
    for (JsonNode shard : out.get("shards")) {
      String primary = shard.get("primary").stringValue();
      assertThat(shard.get("replicas").toString()).doesNotContain("\"" + primary + "\"");
    }
    JsonNode masters = out.get("survivability").get("master");
    assertThat(masters.get("survivesAnyClusterLoss").booleanValue()).isFalse();
    assertThat(masters.get("breakingClusters").toString()).isEqualTo("[\"user1\"]");
  }

  @Test
  void tableShowsTheRoleByClusterMatrixWithHeadroom() {
    Cli r =
        Cli.run(
            "schedule",
            "--clusters",
            "../examples/clusters.yaml",
            "--middleware",
            "../examples/zookeeper.yaml");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("default/zk (zookeeper): scheduled")
        .containsPattern("participant \\(voters\\)\\s+2\\s+1\\s+2\\s+5")
        .contains("headroom after")
        .containsPattern("participant\\s+yes\\s+3 of 5");
  }

  @Test
  void previousOutputDrivesFailoverAndHealthyReplicasStay() throws IOException {
    Cli before =
        Cli.run(
            "schedule",
            "--clusters",
            "../examples/clusters.yaml",
            "--middleware",
            "../examples/zookeeper.yaml",
            "-o",
            "json");
    String previous = file("before.json", before.out());
    Cli after =
        Cli.run(
            "schedule",
            "--clusters",
            "../examples/clusters-user2-lost.yaml",
            "--middleware",
            "../examples/zookeeper.yaml",
            "--previous",
            previous,
            "-o",
            "json");
    assertThat(after.exit()).as(after.err()).isZero();
    JsonNode out = json(after.out());
    JsonNode placed = out.get("placement").get("participant");
    JsonNode was = json(before.out()).get("placement").get("participant");
    assertThat(placed.get("user1").intValue()).isGreaterThanOrEqualTo(was.get("user1").intValue());
    assertThat(placed.get("user3").intValue()).isGreaterThanOrEqualTo(was.get("user3").intValue());
    assertThat(placed.has("user2")).isFalse();
    assertThat(out.get("displaced").get("participant").toString()).isEqualTo("{\"user2\":1}");
  }

  @Test
  void unschedulableExitsTwoWithReasonsPerRoleAndCluster() throws IOException {
    String clusters = file("c.yaml", Fixtures.cluster("small", "1", "1Gi"));
    String mw = file("m.yaml", Fixtures.ZOOKEEPER_5);
    Cli r = Cli.run("schedule", "--clusters", clusters, "--middleware", mw, "-o", "json");
    assertThat(r.exit()).isEqualTo(Main.UNSCHEDULABLE);
    JsonNode out = json(r.out());
    assertThat(out.get("scheduled").booleanValue()).isFalse();
    assertThat(out.get("placement").isEmpty()).isTrue();
    assertThat(r.err())
        .contains("zk cannot be scheduled")
        .contains("role participant, cluster small");
    assertThat(out.get("unschedulable").toString())
        .contains("room for 0 more (each needs 1 cpu, 2Gi memory; free: 1 cpu, 1Gi memory)");
  }

  @Test
  void yamlOutputCanBeReadBackAsPrevious() throws IOException {
    String clusters = file("c.yaml", Fixtures.THREE_CLUSTERS);
    String mw = file("m.yaml", Fixtures.ZOOKEEPER_5);
    Cli first = Cli.run("schedule", "--clusters", clusters, "--middleware", mw, "-o", "yaml");
    assertThat(first.exit()).isZero();
    assertThat(first.out()).contains("placement:").contains("participant:");
    String previous = file("prev.yaml", first.out());
    Cli again =
        Cli.run(
            "schedule",
            "--clusters",
            clusters,
            "--middleware",
            mw,
            "--previous",
            previous,
            "-o",
            "json");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(json(again.out()).get("placement").get("participant").toString())
        .isEqualTo("{\"dc1\":2,\"dc2\":2,\"dc3\":1}");
  }

  @Test
  void readsJsonAndKindListAndStandardInput() throws IOException {
    String list =
        """
        {"apiVersion": "v1", "kind": "List", "items": [
          {"apiVersion": "flotilla.io/v1alpha1", "kind": "MemberCluster", "metadata": {"name": "a"},
           "status": {"conditions": [{"type": "Ready", "status": "True"}],
                      "resourceSummary": {"allocatable": {"cpu": 8, "memory": "32Gi"}}}},
          {"apiVersion": "flotilla.io/v1alpha1", "kind": "MemberCluster", "metadata": {"name": "b"},
           "status": {"conditions": [{"type": "Ready", "status": "True"}],
                      "resourceSummary": {"allocatable": {"cpu": "8", "memory": "32Gi"}}}}]}
        """;
    String clusters = file("c.json", list);
    java.io.InputStream stdin = System.in;
    System.setIn(new java.io.ByteArrayInputStream(Fixtures.ZOOKEEPER_5.getBytes()));
    try {
      Cli r = Cli.run("schedule", "--clusters", clusters, "--middleware", "-", "-o", "json");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(json(r.out()).get("placement").get("participant").toString())
          .isEqualTo("{\"a\":3,\"b\":2}");
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void helpShowsAnExample() {
    Cli r = Cli.run("schedule", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Examples:").contains("--previous").contains("Exit codes");
  }
}
