package io.flotilla.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A child JVM on this test's classpath running one of its main classes, for tests that kill it. Its
 * stdout goes to a file, not a pipe: what the child wrote before a SIGKILL is in the file (the
 * kernel's page cache outlives the process), whereas the JDK may drop what is still in a pipe when
 * the process dies. {@link #lines} are the whole lines (a line cut short by a kill is not one).
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path stdout;

  private ChildJvm(Process process, Path stdout) {
    this.process = process;
    this.stdout = stdout;
  }

  /**
   * Starts {@code main} with {@code args}; its stdout goes to {@code output + ".out"}, its stderr
   * to {@code output + ".err"}.
   */
  static ChildJvm start(Class<?> main, Path output, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName()));
    command.addAll(List.of(args));
    Path out = output.resolveSibling(output.getFileName() + ".out");
    Path err = output.resolveSibling(output.getFileName() + ".err");
    try {
      Files.deleteIfExists(out);
      return new ChildJvm(
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
              .start(),
          out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole lines printed so far. */
  List<String> lines() {
    String text;
    try {
      text = Files.readString(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : Arrays.asList(text.substring(0, end).split("\n", -1));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, then waits until the child is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
