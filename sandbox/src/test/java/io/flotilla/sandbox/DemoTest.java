package io.flotilla.sandbox;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
  @TempDir Path dir;

  @Test
  void aDirectoryThatIsNotASandboxsIsNeverCleared() throws Exception {
    Path mine = Files.writeString(dir.resolve("notes.txt"), "keep me");
    Demo demo =
        new Demo(
            new Demo.Options(dir, "zookeeper", false, Duration.ofSeconds(1), Duration.ofSeconds(1)),
            new PrintStream(new ByteArrayOutputStream()));
    assertThatThrownBy(demo::run)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not a sandbox's directory");
    org.assertj.core.api.Assertions.assertThat(mine).hasContent("keep me");
  }

  @Test
  void anUnknownTypeIsRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> new Demo.Options(dir, "mongodb", false, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--type mongodb is not one of default, zookeeper, redis, kafka, rocketmq, elasticsearch");
  }
}
