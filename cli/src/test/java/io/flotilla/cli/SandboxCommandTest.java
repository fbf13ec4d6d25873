package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.sandbox.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flotilla sandbox up, fail, recover and down against a real sandbox of one local cluster (no
 * middleware, so no process to start): the commands find it through sandbox.json and its token.
 */
class SandboxCommandTest {
  @TempDir Path dir;

  @Test
  void upFailRecoverAndDownDriveTheRunningSandbox() {
    String d = dir.toString();
    CompletableFuture<Cli> up =
        CompletableFuture.supplyAsync(
            () -> Cli.run("sandbox", "up", "--dir", d, "--clusters", "1", "--port", "0"));
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> Sandbox.SandboxInfo.read(dir).isPresent() || up.isDone());
    assertThat(up).isNotDone();

    Cli fail = Cli.run("sandbox", "fail", "dc1", "--dir", d);
    assertThat(fail.exit()).as(fail.err()).isZero();
    assertThat(fail.out()).contains("local cluster dc1 failed");

    Cli again = Cli.run("sandbox", "fail", "dc1", "--dir", d);
    assertThat(again.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(again.err()).contains("local cluster dc1 has failed already");

    Cli unknown = Cli.run("sandbox", "recover", "dc9", "--dir", d);
    assertThat(unknown.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(unknown.err()).contains("no local cluster dc9");

    Cli recover = Cli.run("sandbox", "recover", "dc1", "--dir", d);
    assertThat(recover.exit()).as(recover.err()).isZero();
    assertThat(recover.out()).contains("local cluster dc1 recovered");

    Cli down = Cli.run("sandbox", "down", "--dir", d);
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(up.join().exit()).isZero();
    assertThat(up.join().out()).contains("1 local clusters (dc1)").contains("stopped");
    assertThat(Sandbox.SandboxInfo.read(dir)).isEmpty();

    Cli none = Cli.run("sandbox", "fail", "dc1", "--dir", d);
    assertThat(none.exit()).isEqualTo(Main.UNREACHABLE);
    assertThat(none.err()).contains("no sandbox runs in " + d);
  }
}
