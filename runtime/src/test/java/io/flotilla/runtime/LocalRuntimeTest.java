package io.flotilla.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.middleware.LocalLaunch;
import io.flotilla.middleware.LocalLaunch.Program;
import io.flotilla.middleware.LocalLaunch.Readiness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime against real processes: a shell script stands in for a server. */
class LocalRuntimeTest {
  @TempDir Path home;
  @TempDir Path dir;

  private LocalRuntime runtime() {
    return new LocalRuntime(Distributions.at(home));
  }

  /** Runs {@code sh -c script} in the instance's directory. */
  private static LocalLaunch shell(
      String script, Map<String, String> files, Map<String, String> seeds, Readiness readiness) {
    return new LocalLaunch(
        new Program.Native("sh", "dash"),
        List.of("-c", script),
        Map.of("GREETING", "hello"),
        new TreeMap<>(files),
        new TreeMap<>(seeds),
        List.of(),
        readiness,
        Duration.ofSeconds(20));
  }

  @Test
  void configurationIsRewrittenEveryStartButSeedsOnlyWhenAbsent() throws IOException {
    LocalRuntime runtime = runtime();
    LocalLaunch first =
        shell(
            "echo up; exec sleep 60",
            Map.of("conf/app.conf", "v1"),
            Map.of("state", "seed-1"),
            new Readiness.LogLine("^up$"));
    runtime.start("app", first, dir).awaitReady().kill();
    Files.writeString(dir.resolve("state"), "owned by the server");
    LocalLaunch second =
        shell(
            "echo up; exec sleep 60",
            Map.of("conf/app.conf", "v2"),
            Map.of("state", "seed-2"),
            new Readiness.LogLine("^up$"));
    runtime.start("app", second, dir).awaitReady().kill();
    assertThat(dir.resolve("conf/app.conf")).hasContent("v2");
    assertThat(dir.resolve("state")).hasContent("owned by the server");
  }

  @Test
  void aLogLineCountsOnlyWhenThisProcessWroteIt() {
    LocalRuntime runtime = runtime();
    runtime
        .start("app", shell("echo ready; exec sleep 60", Map.of(), Map.of(), readyLine()), dir)
        .awaitReady()
        .kill();
    RunningInstance silent =
        runtime.start(
            "app", shell("echo starting; exec sleep 60", Map.of(), Map.of(), readyLine()), dir);
    try {
      assertThat(silent.ready()).as("the earlier process's line does not count").isFalse();
    } finally {
      silent.kill();
    }
  }

  private static Readiness readyLine() {
    return new Readiness.LogLine("^ready$");
  }

  @Test
  void theProcessGetsACleanEnvironmentWithItsOwnVariables() throws IOException {
    RunningInstance i =
        runtime()
            .start(
                "app",
                shell(
                    "echo \"$GREETING $HOME\" > env.txt; echo ready; exec sleep 60",
                    Map.of(),
                    Map.of(),
                    readyLine()),
                dir);
    i.awaitReady().kill();
    assertThat(Files.readString(dir.resolve("env.txt")).strip()).isEqualTo("hello " + dir);
  }

  @Test
  void killTakesTheWholeProcessTreeAtOnce() {
    RunningInstance i =
        runtime()
            .start(
                "app", shell("sleep 60 & echo ready; wait", Map.of(), Map.of(), readyLine()), dir)
            .awaitReady();
    List<ProcessHandle> children = ProcessHandle.of(i.pid()).orElseThrow().descendants().toList();
    assertThat(children).isNotEmpty();
    i.kill();
    assertThat(i.alive()).isFalse();
    assertThat(children).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void stopAsksPolitelyFirst() throws IOException {
    RunningInstance i =
        runtime()
            .start(
                "app",
                shell(
                    "trap 'echo bye > stopped.txt; exit 0' TERM; echo ready; while :; do sleep 0.1; done",
                    Map.of(),
                    Map.of(),
                    readyLine()),
                dir)
            .awaitReady();
    i.stop();
    assertThat(i.alive()).isFalse();
    assertThat(Files.readString(dir.resolve("stopped.txt")).strip()).isEqualTo("bye");
  }

  @Test
  void anInstanceThatExitsEarlyIsReportedWithItsLog() {
    RunningInstance i =
        runtime()
            .start(
                "app",
                shell("echo 'bad config line 3' >&2; exit 3", Map.of(), Map.of(), readyLine()),
                dir);
    assertThatThrownBy(i::awaitReady)
        .isInstanceOf(LocalRuntimeException.class)
        .hasMessageContaining("app exited with code 3 before it was ready")
        .hasMessageContaining("bad config line 3");
  }

  @Test
  void aMissingNativeServerNamesThePackageToInstall() {
    LocalLaunch launch =
        new LocalLaunch(
            new Program.Native("flotilla-no-such-server", "flotilla-no-such-package"),
            List.of(),
            Map.of(),
            new TreeMap<>(),
            new TreeMap<>(),
            List.of(),
            readyLine(),
            Duration.ofSeconds(1));
    assertThatThrownBy(() -> runtime().start("app", launch, dir))
        .isInstanceOf(LocalRuntimeException.class)
        .hasMessage(
            "app: flotilla-no-such-server is not installed: apt-get install -y"
                + " flotilla-no-such-package");
  }

  @Test
  void aFileOutsideTheInstanceDirectoryIsRefused() {
    LocalLaunch launch = shell("exit 0", Map.of("../escape.conf", "x"), Map.of(), readyLine());
    assertThatThrownBy(() -> runtime().start("app", launch, dir))
        .isInstanceOf(LocalRuntimeException.class)
        .hasMessageContaining("file ../escape.conf would be outside the instance's directory");
    assertThat(dir.resolveSibling("escape.conf")).doesNotExist();
  }

  @Test
  void anUnbuiltDistributionNamesTheCommandThatBuildsIt() {
    assertThatThrownBy(() -> Distributions.at(home).classpath("kafka"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "the kafka distribution is not built: run mvn -q -pl servers/kafka -am package");
  }
}
