package io.flotilla.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a middleware's own tools (an admin command, a test client) in a child JVM with its server
 * distribution's classpath, so that no server or client jar of a middleware is ever on the control
 * plane's classpath.
 */
public final class Tools {
  private final Distributions distributions;

  public Tools(Distributions distributions) {
    this.distributions = distributions;
  }

  /** What a tool printed and how it exited. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    public List<String> lines() {
      return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
    }
  }

  /**
   * Runs {@code mainClass} of a distribution with the arguments (and extra environment, which is
   * how secrets are passed: never on the command line), waiting up to {@code timeout}.
   *
   * @throws LocalRuntimeException when it cannot start or does not finish in time
   */
  public Result run(
      String distribution,
      String mainClass,
      List<String> args,
      Map<String, String> environment,
      Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(Distributions.java().toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(
        distributions.classpath(distribution).stream()
            .map(Path::toString)
            .collect(Collectors.joining(File.pathSeparator)));
    command.add(mainClass);
    command.addAll(args);
    return exec(command, environment, timeout);
  }

  static Result exec(List<String> command, Map<String, String> environment, Duration timeout) {
    Path out;
    Path err;
    try {
      out = Files.createTempFile("flotilla-tool", ".out");
      err = Files.createTempFile("flotilla-tool", ".err");
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot create temporary files: " + e.getMessage(), e);
    }
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().putAll(environment);
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new LocalRuntimeException(
            String.join(" ", command.subList(Math.max(0, command.size() - 3), command.size()))
                + " did not finish within "
                + timeout.toSeconds()
                + " s");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalRuntimeException("interrupted while running a tool", e);
    } finally {
      try {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      } catch (IOException e) {
        // temporary files; the OS cleans them
      }
    }
  }
}
