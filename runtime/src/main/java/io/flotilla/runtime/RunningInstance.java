package io.flotilla.runtime;

import io.flotilla.middleware.LocalLaunch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A local instance started by {@link LocalRuntime}. */
public final class RunningInstance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningInstance.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final String name;
  private final LocalLaunch launch;
  private final Path directory;
  private final Path log;
  private final long logStart;
  private final Process process;
  private final Consumer<RunningInstance> onExit;

  RunningInstance(
      String name,
      LocalLaunch launch,
      Path directory,
      Path log,
      long logStart,
      Process process,
      Consumer<RunningInstance> onExit) {
    this.name = name;
    this.launch = launch;
    this.directory = directory;
    this.log = log;
    this.logStart = logStart;
    this.process = process;
    this.onExit = onExit;
  }

  public String name() {
    return name;
  }

  public LocalLaunch launch() {
    return launch;
  }

  public Path directory() {
    return directory;
  }

  /**
   * The instance's log: the output (standard output and error together) of this process and of
   * earlier ones started in the same directory.
   */
  public Path log() {
    return log;
  }

  /** What this process has written so far (not earlier processes in the same directory). */
  public String output() throws IOException {
    if (!Files.exists(log)) {
      return "";
    }
    byte[] all = Files.readAllBytes(log);
    int from = (int) Math.min(logStart, all.length);
    return new String(all, from, all.length - from, StandardCharsets.UTF_8);
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** One readiness check now. */
  public boolean ready() {
    return alive() && ReadinessChecks.check(launch.readiness(), this);
  }

  /**
   * Waits until the instance is ready, for its start timeout.
   *
   * @throws LocalRuntimeException when it exits or is not ready in time, with its log's last lines
   */
  public RunningInstance awaitReady() {
    long deadline = System.nanoTime() + launch.startTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      if (!alive()) {
        throw new LocalRuntimeException(
            name
                + " exited with code "
                + process.exitValue()
                + " before it was ready; its log ends:\n"
                + tail(30));
      }
      if (ReadinessChecks.check(launch.readiness(), this)) {
        return this;
      }
      sleep(POLL);
    }
    throw new LocalRuntimeException(
        name
            + " was not ready within "
            + launch.startTimeout().toSeconds()
            + " s; its log ends:\n"
            + tail(30));
  }

  /** The last lines of the log, for messages. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Kills the instance and its children at once (SIGKILL): a lost machine, not a shutdown. */
  public void kill() {
    List<ProcessHandle> tree = process.descendants().toList();
    tree.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(10));
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        LOG.atWarn()
            .addKeyValue("instance", name)
            .addKeyValue("pid", p.pid())
            .log("a child process outlived SIGKILL for 10 s");
      }
    }
    onExit.accept(this);
  }

  /** Stops the instance (SIGTERM), killing it if it has not exited after a grace period. */
  public void stop() {
    if (alive()) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      if (!waitFor(STOP_GRACE)) {
        kill();
        return;
      }
    }
    onExit.accept(this);
  }

  private boolean waitFor(Duration d) {
    try {
      return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalRuntimeException("interrupted while waiting", e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
