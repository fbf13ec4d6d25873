package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code flotilla render}, and the adapters' rules as {@code schedule} and {@code render} apply
 * them.
 */
class RenderCommandTest {
  @TempDir Path dir;

  private String file(String text) throws IOException {
    Path p = dir.resolve("mw.yaml");
    Files.writeString(p, text);
    return p.toString();
  }

  @ParameterizedTest(name = "examples/{0} schedules and renders a StatefulSet in {1}")
  @CsvSource({
    "elasticsearch.yaml, user1 user2 user3",
    "kafka.yaml, user1 user2 user3",
    "redis-talk.yaml, user1 user2",
    "rocketmq.yaml, user1 user2 user3",
    "zookeeper.yaml, user1 user2 user3"
  })
  void everyExampleSchedulesAndRenders(String example, String clusters) {
    String mw = "../examples/" + example;
    Cli scheduled =
        Cli.run("schedule", "--clusters", "../examples/clusters.yaml", "--middleware", mw);
    assertThat(scheduled.exit()).as(scheduled.err()).isZero();
    assertThat(scheduled.err()).as("no warnings").isEmpty();
    Cli rendered =
        Cli.run(
            "render", "--clusters", "../examples/clusters.yaml", "--middleware", mw, "-o", "json");
    assertThat(rendered.exit()).as(rendered.err()).isZero();
    JsonNode out = JsonMapper.builder().build().readTree(rendered.out());
    assertThat(out.propertyNames()).containsExactly(clusters.split(" "));
    for (String c : out.propertyNames()) {
      List<String> kinds = new ArrayList<>();
      out.get(c).forEach(o -> kinds.add(o.get("kind").stringValue()));
      assertThat(kinds).as(c).contains("Service", "ConfigMap", "StatefulSet");
    }
  }

  @Test
  void eachClustersShareIsAServiceAConfigMapAndAStatefulSetStartingAtItsBaseId() {
    Cli r =
        Cli.run(
            "render",
            "--clusters",
            "../examples/clusters.yaml",
            "--middleware",
            "../examples/zookeeper.yaml",
            "-o",
            "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode out = JsonMapper.builder().build().readTree(r.out());
    List<String> clusters = new ArrayList<>(out.propertyNames());
    assertThat(clusters).containsExactly("user1", "user2", "user3");
    int next = 1;
    for (String c : clusters) {
      JsonNode share = out.get(c);
      assertThat(share)
          .extracting(o -> o.get("kind").stringValue())
          .containsExactly("Service", "ConfigMap", "StatefulSet");
      JsonNode sts = share.get(2);
      assertThat(sts.at("/spec/ordinals/start").intValue()).as(c).isEqualTo(next);
      next += sts.at("/spec/replicas").intValue();
    }
    assertThat(next - 1).as("every voter is rendered once").isEqualTo(5);
  }

  @Test
  void yamlIntroducesEachObjectWithItsCluster() {
    Cli r =
        Cli.run(
            "render",
            "--clusters",
            "../examples/clusters.yaml",
            "--middleware",
            "../examples/zookeeper.yaml",
            "--cluster",
            "user3");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("---\n# member cluster user3\napiVersion: v1\nkind: Service\n");
    assertThat(r.out()).doesNotContain("user1\n").contains("kind: StatefulSet");
  }

  @Test
  void aClusterWithoutAShareIsNamedWithTheClustersThatHaveOne() {
    Cli r =
        Cli.run(
            "render",
            "--clusters",
            "../examples/clusters.yaml",
            "--middleware",
            "../examples/zookeeper.yaml",
            "--cluster",
            "lab");
    assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err())
        .isEqualTo(
            "flotilla: --cluster lab: zk has no share there; it runs in user1, user2, user3\n");
  }

  @Test
  void aMiddlewareBreakingItsTypesRulesIsBadInputNamingFieldAndRule() throws IOException {
    String mw =
        file(
            """
            apiVersion: flotilla.io/v1alpha1
            kind: Middleware
            metadata: {name: cache, namespace: db}
            spec:
              type: redis
              replicaRequirements:
                - {role: slave, replicas: 3}
            """);
    for (String command : List.of("schedule", "render")) {
      Cli r = Cli.run(command, "--clusters", "../examples/clusters.yaml", "--middleware", mw);
      assertThat(r.exit()).as(command).isEqualTo(Main.BAD_INPUT);
      assertThat(r.err())
          .as(command)
          .isEqualTo(
              "flotilla: "
                  + mw
                  + ": 1 problem\n"
                  + "  Middleware db/cache: spec.replicaRequirements[0].role: redis slaves need"
                  + " masters: there is no master role\n");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void whatIsOnlyUnwiseIsAWarningAndTheCommandGoesOn() throws IOException {
    String mw =
        file(
            """
            apiVersion: flotilla.io/v1alpha1
            kind: Middleware
            metadata: {name: zk, namespace: db}
            spec:
              type: zookeeper
              replicaRequirements:
                - {role: participant, replicas: 4}
            """);
    Cli r = Cli.run("schedule", "--clusters", "../examples/clusters.yaml", "--middleware", mw);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err())
        .isEqualTo(
            "flotilla: warning: Middleware db/zk: spec.replicaRequirements: 4 participants"
                + " tolerate no more failures than 3: an odd number of voters is better\n");
  }

  @Test
  void renderPrintsYamlOrJsonNotATable() {
    Cli r =
        Cli.run(
            "render",
            "--clusters",
            "../examples/clusters.yaml",
            "--middleware",
            "../examples/zookeeper.yaml",
            "-o",
            "table");
    assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).isEqualTo("flotilla: render prints yaml or json, not table\n");
  }
}
