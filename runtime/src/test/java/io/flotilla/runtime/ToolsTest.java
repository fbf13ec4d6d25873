package io.flotilla.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Tools' child processes, with shell scripts standing in for a tool's JVM. */
class ToolsTest {
  private static List<String> sh(String script) {
    return List.of("sh", "-c", script);
  }

  @Test
  void aRunningToolHandsOnEachLineAsItArrivesAndStopsWhenItsInputCloses() {
    List<String> lines = new CopyOnWriteArrayList<>();
    Tools.Running tool =
        Tools.start(
            sh(
                "echo \"hello $GREETING\"; while read l; do echo \"got $l\"; done;"
                    + " echo \"finished\"; echo bye >&2; exit 3"),
            Map.of("GREETING", "world"),
            lines::add);
    await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("hello world"));
    tool.send("one");
    await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("got one"));
    assertThat(tool.alive()).as("the tool waits for more input").isTrue();

    assertThat(tool.close(Duration.ofSeconds(20))).isEqualTo(3);
    assertThat(lines)
        .as("every line, in order, handed on before close returns")
        .containsExactly("hello world", "got one", "finished");
    assertThat(tool.stderr()).isEqualTo("bye\n");
    assertThat(tool.alive()).isFalse();
  }

  @Test
  void aToolThatIgnoresItsClosedInputIsKilledAfterTheTimeout() {
    List<String> lines = new CopyOnWriteArrayList<>();
    Tools.Running tool = Tools.start(sh("echo started; exec sleep 60"), Map.of(), lines::add);
    await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("started"));
    long began = System.nanoTime();
    assertThat(tool.close(Duration.ofMillis(500))).isEqualTo(-1);
    assertThat(tool.alive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void runPipesItsInputToTheTool() {
    Tools.Result r = Tools.exec(sh("sort -n"), Map.of(), "3\n1\n2\n", Duration.ofSeconds(20));
    assertThat(r.ok()).as(r.stderr()).isTrue();
    assertThat(r.lines()).containsExactly("1", "2", "3");
  }
}
