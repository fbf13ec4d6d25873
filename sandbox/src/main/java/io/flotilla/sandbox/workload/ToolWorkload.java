package io.flotilla.sandbox.workload;

import io.flotilla.runtime.LocalRuntimeException;
import io.flotilla.runtime.Tools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Workload} run by a middleware's admin tool in a child JVM (so that no client library of
 * a middleware is on the control plane's classpath): the tool's {@code workload} subcommand writes
 * and reads until its standard input closes, printing {@code ack N}, {@code read} and {@code fail N
 * REASON} lines that feed the {@link Counters}; its {@code verify} subcommand reads the
 * acknowledged sequence numbers on standard input and prints the missing ones. The per-type
 * factories are {@link ZooKeeperWorkload}, {@link KafkaWorkload} and {@link RocketMqWorkload}.
 */
public final class ToolWorkload implements Workload {
  private static final Logger LOG = LoggerFactory.getLogger(ToolWorkload.class);

  /** Time for the writes in flight to be acknowledged or failed once the tool is told to stop. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);

  /**
   * How to run one type's tool.
   *
   * @param description what {@link #describe} returns
   * @param distribution the server distribution holding the tool
   * @param mainClass the tool's main class
   * @param workload the arguments of its {@code workload} subcommand
   * @param verify the arguments of its {@code verify} subcommand
   * @param environment extra environment (secrets go here, never in the arguments)
   */
  public record Command(
      String description,
      String distribution,
      String mainClass,
      List<String> workload,
      List<String> verify,
      Map<String, String> environment) {
    public Command {
      workload = List.copyOf(workload);
      verify = List.copyOf(verify);
      environment = Map.copyOf(environment);
    }

    /** Names the environment's variables, never their values (secrets). */
    @Override
    public String toString() {
      return "Command["
          + description
          + ": "
          + distribution
          + " "
          + mainClass
          + " "
          + workload
          + ", environment "
          + environment.keySet()
          + "]";
    }
  }

  private final Tools tools;
  private final Command command;
  private final Counters counters;
  // written under the lock by start and stop; read without it by stats
  private volatile Tools.Running running;
  private volatile boolean stopped;
  private volatile String exitError = "";

  public ToolWorkload(Tools tools, Command command, LongSupplier nanoTime) {
    this.tools = tools;
    this.command = command;
    this.counters = new Counters(nanoTime);
  }

  @Override
  public String describe() {
    return command.description();
  }

  @Override
  public synchronized void start() {
    if (running != null) {
      throw new IllegalStateException(describe() + " was started already");
    }
    try {
      running =
          tools.start(
              command.distribution(),
              command.mainClass(),
              command.workload(),
              command.environment(),
              line -> apply(line, counters));
    } catch (LocalRuntimeException | IllegalStateException e) {
      // IllegalStateException: the distribution is not built
      throw new WorkloadException("cannot start " + describe() + ": " + e.getMessage(), e);
    }
    LOG.atInfo()
        .addKeyValue("workload", describe())
        .addKeyValue("pid", running.pid())
        .log("workload started");
  }

  /**
   * Feeds one line of the tool's output to the counters: {@code ack N}, {@code read} or {@code fail
   * N REASON}; anything else (a library's chatter) is ignored.
   */
  static void apply(String line, Counters counters) {
    String[] parts = line.strip().split(" ", 3);
    switch (parts[0]) {
      case "ack" -> {
        Long n = sequence(parts);
        if (n != null) {
          counters.acknowledged(n);
          return;
        }
      }
      case "read" -> {
        if (parts.length == 1) {
          counters.read();
          return;
        }
      }
      case "fail" -> {
        Long n = sequence(parts);
        if (n != null) {
          counters.failed("write " + n + ": " + (parts.length > 2 ? parts[2] : "failed"));
          return;
        }
      }
      default -> {
        // not ours
      }
    }
    LOG.atDebug().addKeyValue("line", line).log("not a workload line; ignored");
  }

  private static Long sequence(String[] parts) {
    if (parts.length < 2) {
      return null;
    }
    try {
      long n = Long.parseLong(parts[1]);
      return n >= 0 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Every acknowledged sequence number so far, sorted. */
  List<Long> acknowledgedSequences() {
    return counters.acknowledgedSequences();
  }

  @Override
  public Stats stats() {
    Stats s = counters.stats();
    String error = exitError();
    return error.isEmpty()
        ? s
        : new Stats(s.acknowledged(), s.failed(), s.reads(), s.longestGap(), s.currentGap(), error);
  }

  /** Why the tool stopped on its own, or "" while it runs (or was stopped as asked). */
  private String exitError() {
    Tools.Running r = running;
    if (r != null && !stopped && !r.alive()) {
      return describe() + ": the workload tool exited: " + lastLine(r.stderr());
    }
    return exitError;
  }

  @Override
  public synchronized void stop() {
    if (running == null || stopped) {
      return;
    }
    stopped = true;
    int code = running.close(STOP_TIMEOUT);
    Stats s = counters.stats();
    if (code != 0) {
      exitError =
          describe()
              + ": the workload tool exited with "
              + code
              + ": "
              + lastLine(running.stderr());
      LOG.atWarn()
          .addKeyValue("workload", describe())
          .addKeyValue("exitCode", code)
          .addKeyValue("stderr", lastLine(running.stderr()))
          .log("the workload tool did not stop cleanly");
    }
    LOG.atInfo()
        .addKeyValue("workload", describe())
        .addKeyValue("acknowledged", s.acknowledged())
        .addKeyValue("failed", s.failed())
        .addKeyValue("reads", s.reads())
        .addKeyValue("longestGapMillis", s.longestGap().toMillis())
        .log("workload stopped");
  }

  @Override
  public Verification verify(Duration timeout) {
    stop();
    List<Long> acknowledged = counters.acknowledgedSequences();
    Tools.Result r;
    try {
      r =
          tools.run(
              command.distribution(),
              command.mainClass(),
              command.verify(),
              command.environment(),
              acknowledged.stream()
                  .map(String::valueOf)
                  .collect(Collectors.joining("\n", "", "\n")),
              timeout);
    } catch (LocalRuntimeException | IllegalStateException e) {
      throw new WorkloadException("cannot verify " + describe() + ": " + e.getMessage(), e);
    }
    if (!r.ok()) {
      throw new WorkloadException(
          "cannot verify "
              + describe()
              + ": the tool exited with "
              + r.exitCode()
              + ": "
              + lastLine(r.stderr()));
    }
    List<Long> missing = missing(r.lines(), describe());
    LOG.atInfo()
        .addKeyValue("workload", describe())
        .addKeyValue("acknowledged", acknowledged.size())
        .addKeyValue("missing", missing.size())
        .log("workload verified");
    return new Verification(acknowledged.size(), missing);
  }

  /** The sequence numbers the {@code verify} subcommand printed, sorted. */
  static List<Long> missing(List<String> lines, String description) {
    List<Long> missing = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        missing.add(Long.parseLong(line.strip()));
      } catch (NumberFormatException e) {
        throw new WorkloadException(
            "cannot verify " + description + ": unexpected output line \"" + line + "\"", e);
      }
    }
    missing.sort(null);
    return missing;
  }

  @Override
  public void close() {
    stop();
  }

  private static String lastLine(String text) {
    List<String> lines = text.strip().lines().toList();
    return lines.isEmpty() ? "(nothing on standard error)" : lines.get(lines.size() - 1);
  }
}
