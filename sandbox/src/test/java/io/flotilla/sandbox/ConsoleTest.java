package io.flotilla.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.Middleware;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Resources;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.controller.ControlPlane;
import io.flotilla.runtime.Distributions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The web console in headless Chromium against a sandbox of three clusters running a three-voter
 * ZooKeeper: {@code console-test/console.mjs} (playwright-core driving Debian's {@code
 * /usr/bin/chromium}) logs in, opens the global view, the Middleware's page and a cluster's page,
 * relocates one participant from dc2 to dc3 and waits until the page shows it ready there, and
 * cordons and uncordons dc3, drains and uncordons dc2. The screenshots are written to {@code
 * sandbox/target/console/}, and copied to {@code docs/console/} with {@code
 * -Dconsole.screenshots=true}. Chromium, Node.js and npm must be there ({@code
 * scripts/install-deps}): the test fails, it does not skip, without them.
 */
@Tag("e2e")
class ConsoleTest {
  /** Three voters, one per cluster; no minClusters, so two clusters may hold them after a move. */
  static final String ZK =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: Middleware
      metadata: {name: zk, namespace: default}
      spec:
        type: zookeeper
        version: "3.9.5"
        replicaRequirements:
          - role: participant
            replicas: 3
            resourceRequest:
              requests: {cpu: 100m, memory: 256Mi}
              limits: {cpu: 500m, memory: 512Mi}
        clusterAffinity:
          labelSelector:
            matchLabels: {cluster: compute}
      """;

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** Kept when the test fails: every pod's log is in it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void aPersonLogsInSeesEveryPageAndRelocatesAnInstance() throws Exception {
    Distributions distributions = Distributions.locate();
    Path home = distributions.home();
    Path script = home.resolve("console-test/console.mjs");
    assertThat(CHROMIUM)
        .as(
            "the console test drives Debian's Chromium at %s: run scripts/install-deps (apt-get"
                + " install -y chromium)",
            CHROMIUM)
        .isExecutable();
    String node = onPath("node");
    String npm = onPath("npm");
    Path out = home.resolve("sandbox/target/console");
    deleteTree(out);
    Files.createDirectories(out);
    if (!Files.isDirectory(home.resolve("console-test/node_modules/playwright-core"))) {
      int npmExit =
          run(
              List.of(npm, "ci", "--no-audit", "--no-fund"),
              home.resolve("console-test"),
              out.resolve("npm.log"),
              Duration.ofMinutes(5));
      assertThat(npmExit).as("npm ci in console-test (log: %s)", out.resolve("npm.log")).isZero();
    }

    Sandbox.Options options =
        new Sandbox.Options(
            dir, 3, 0, new Resources(2000, 8L << 30), ControlPlane.Settings.defaults());
    try (Sandbox s = Sandbox.start(options, distributions, Clock.systemUTC())) {
      s.store().create(KubeObject.of(ManifestReader.read("zk", ZK).get(0).node()));
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> SandboxTest.available(s, "zk"));
      assertThat(placement(s))
          .containsExactly(Map.entry("dc1", 1), Map.entry("dc2", 1), Map.entry("dc3", 1));

      long start = System.nanoTime();
      int exit =
          run(
              List.of(
                  node,
                  script.toString(),
                  "http://127.0.0.1:" + s.port(),
                  out.toString(),
                  "default/zk",
                  "participant",
                  "dc2",
                  "dc3"),
              Map.of("FLOTILLA_TOKEN", s.token()),
              home,
              out.resolve("console.log"),
              Duration.ofMinutes(8));
      String log = Files.readString(out.resolve("console.log"));
      System.out.println(log);
      System.out.printf(
          "console.mjs took %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
      assertThat(exit).as(log).isZero();
      assertThat(log).contains("PASSED").doesNotContain(s.token());

      assertThat(placement(s))
          .as("the relocation the page made is the Middleware's placement")
          .containsExactly(Map.entry("dc1", 1), Map.entry("dc3", 2));
      JsonNode pinned = s.store().get(ZK_REF).orElseThrow().at("/spec/pinnedPlacement/participant");
      assertThat(pinned.toString()).isEqualTo("{\"dc1\":1,\"dc3\":2}");
      assertThat(SandboxTest.processes(s)).containsEntry("dc2", 0).containsEntry("dc3", 2);
      for (String c : List.of("dc2", "dc3")) {
        KubeObject cluster =
            s.store()
                .get(new ObjectRef(ApiVersion.API_VERSION, "MemberCluster", "", c))
                .orElseThrow();
        assertThat(cluster.at("/spec/taints").toString())
            .as(c + ": cordoned or drained, then uncordoned")
            .doesNotContain("flotilla.io/cordoned", "flotilla.io/drained");
      }
      assertThat(s.events().all())
          .extracting(e -> e.involved().name() + " " + e.reason())
          .as("the console's actions, as the controller saw them")
          .contains("dc3 Cordoned", "dc3 Uncordoned", "dc2 Draining", "dc2 Undrained");
    }

    List<String> shots =
        List.of(
            "login.png",
            "global.png",
            "middleware.png",
            "relocate-check.png",
            "middleware-relocated.png",
            "cluster.png");
    for (String shot : shots) {
      assertThat(out.resolve(shot)).as(shot).isNotEmptyFile();
    }
    // the documentation's copies are refreshed on request only: a test run leaves the tree alone
    if (Boolean.getBoolean("console.screenshots")) {
      Path docs = home.resolve("docs/console");
      Files.createDirectories(docs);
      for (String shot : shots) {
        Files.copy(out.resolve(shot), docs.resolve(shot), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static final ObjectRef ZK_REF =
      new ObjectRef(ApiVersion.API_VERSION, Middleware.KIND, "default", "zk");

  private static Map<String, Integer> placement(Sandbox s) {
    Map<String, Integer> out = new TreeMap<>();
    s.store()
        .get(ZK_REF)
        .orElseThrow()
        .at("/status/placement/participant")
        .properties()
        .forEach(e -> out.put(e.getKey(), e.getValue().asInt()));
    return out;
  }

  /** The command's path, or a failure naming what to install. */
  private static String onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, command);
      if (!d.isEmpty() && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new AssertionError(
        "the console test needs "
            + command
            + " on the PATH (Node.js 18 or later): run scripts/install-deps (apt-get install -y"
            + " nodejs npm)");
  }

  /** Runs a command with its output in {@code log}; its exit code, or a failure on timeout. */
  private static int run(List<String> command, Path cwd, Path log, Duration timeout)
      throws IOException, InterruptedException {
    return run(command, Map.of(), cwd, log, timeout);
  }

  private static int run(
      List<String> command, Map<String, String> env, Path cwd, Path log, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder b =
        new ProcessBuilder(new ArrayList<>(command))
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    b.environment().putAll(env);
    Process p = b.start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          command.get(0)
              + " did not finish within "
              + timeout.toSeconds()
              + " s; its output: "
              + Files.readString(log));
    }
    return p.exitValue();
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
