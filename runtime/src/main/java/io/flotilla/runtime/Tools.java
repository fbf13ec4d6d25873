package io.flotilla.runtime;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a middleware's own tools (an admin command, a test client) in a child JVM with its server
 * distribution's classpath, so that no server or client jar of a middleware is ever on the control
 * plane's classpath.
 */
public final class Tools {
  private static final Logger LOG = LoggerFactory.getLogger(Tools.class);

  /** How much of a long-running tool's standard error is kept for messages. */
  private static final int STDERR_KEPT = 8192;

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
    return exec(command(distribution, mainClass, args), environment, null, timeout);
  }

  /**
   * Runs {@code mainClass} of a distribution like {@link #run}, with {@code input} as its standard
   * input (which it reads to its end).
   *
   * @throws LocalRuntimeException when it cannot start or does not finish in time
   */
  public Result run(
      String distribution,
      String mainClass,
      List<String> args,
      Map<String, String> environment,
      String input,
      Duration timeout) {
    return exec(command(distribution, mainClass, args), environment, input, timeout);
  }

  /**
   * Starts {@code mainClass} of a distribution as a long-running child JVM: its standard input
   * stays open until {@link Running#close}, and each line it prints on standard output is handed to
   * {@code onLine} as it arrives, on one reader thread, in order. Secrets go in {@code
   * environment}, never in {@code args}.
   *
   * @throws LocalRuntimeException when it cannot start
   */
  public Running start(
      String distribution,
      String mainClass,
      List<String> args,
      Map<String, String> environment,
      Consumer<String> onLine) {
    return start(command(distribution, mainClass, args), environment, onLine);
  }

  private List<String> command(String distribution, String mainClass, List<String> args) {
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
    return command;
  }

  /** The last few arguments of a command, which name the tool and what it works on. */
  private static String name(List<String> command) {
    return String.join(" ", command.subList(Math.max(0, command.size() - 3), command.size()));
  }

  static Result exec(
      List<String> command, Map<String, String> environment, String input, Duration timeout) {
    Path out;
    Path err;
    Path in = null;
    try {
      out = Files.createTempFile("flotilla-tool", ".out");
      err = Files.createTempFile("flotilla-tool", ".err");
      if (input != null) {
        in = Files.writeString(Files.createTempFile("flotilla-tool", ".in"), input);
      }
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot create temporary files: " + e.getMessage(), e);
    }
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      if (in != null) {
        pb.redirectInput(in.toFile());
      }
      pb.environment().putAll(environment);
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new LocalRuntimeException(
            name(command) + " did not finish within " + timeout.toSeconds() + " s");
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
        if (in != null) {
          Files.deleteIfExists(in);
        }
      } catch (IOException e) {
        // temporary files; the OS cleans them
      }
    }
  }

  static Running start(
      List<String> command, Map<String, String> environment, Consumer<String> onLine) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(environment);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot start " + name(command) + ": " + e.getMessage(), e);
    }
    return new Running(name(command), p, onLine);
  }

  /**
   * A tool running in a child JVM. Its standard output goes line by line to a callback; the end of
   * its standard error is kept for messages.
   */
  public static final class Running implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Thread stdout;
    private final Thread stderr;
    private final StringBuilder errors = new StringBuilder();

    private Running(String name, Process process, Consumer<String> onLine) {
      this.name = name;
      this.process = process;
      this.stdout = reader("stdout", process.getInputStream(), onLine);
      this.stderr = reader("stderr", process.getErrorStream(), this::keepError);
    }

    private Thread reader(String stream, InputStream in, Consumer<String> onLine) {
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  for (String line = r.readLine(); line != null; line = r.readLine()) {
                    onLine.accept(line);
                  }
                } catch (IOException | UncheckedIOException e) {
                  // the process is gone and took its pipe with it
                } catch (RuntimeException e) {
                  LOG.atWarn()
                      .addKeyValue("tool", name)
                      .addKeyValue("stream", stream)
                      .setCause(e)
                      .log("a line handler failed; the tool's further output is dropped");
                }
              },
              "tool-" + stream + "-" + process.pid());
      t.setDaemon(true);
      t.start();
      return t;
    }

    private void keepError(String line) {
      synchronized (errors) {
        errors.append(line).append('\n');
        if (errors.length() > STDERR_KEPT) {
          errors.delete(0, errors.length() - STDERR_KEPT);
        }
      }
    }

    /** Sends one line to the tool's standard input. */
    public void send(String line) {
      try {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
      } catch (IOException e) {
        throw new LocalRuntimeException(
            "cannot write to " + name + " (pid " + process.pid() + "): " + e.getMessage(), e);
      }
    }

    public boolean alive() {
      return process.isAlive();
    }

    public long pid() {
      return process.pid();
    }

    /** The end of what the tool printed on standard error so far. */
    public String stderr() {
      synchronized (errors) {
        return errors.toString();
      }
    }

    /**
     * Closes the tool's standard input and waits up to {@code timeout} for it to exit, then kills
     * it (and its children); returns once every line it printed was handed on.
     *
     * @return its exit code; -1 when it had to be killed
     */
    public int close(Duration timeout) {
      try {
        process.getOutputStream().close();
      } catch (IOException e) {
        // already gone: its pipe is closed
      }
      boolean exited;
      try {
        exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
          LOG.atWarn()
              .addKeyValue("tool", name)
              .addKeyValue("pid", process.pid())
              .addKeyValue("timeoutSeconds", timeout.toSeconds())
              .log("the tool did not exit after its input was closed; killing it");
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
        stdout.join(TimeUnit.SECONDS.toMillis(10));
        stderr.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new LocalRuntimeException("interrupted while stopping " + name, e);
      }
      return exited ? process.exitValue() : -1;
    }

    /** {@link #close(Duration)} with 30 seconds to exit. */
    @Override
    public void close() {
      close(Duration.ofSeconds(30));
    }
  }
}
