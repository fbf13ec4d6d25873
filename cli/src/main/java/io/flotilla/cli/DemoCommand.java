package io.flotilla.cli;

import io.flotilla.sandbox.Demo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla demo}: the failover drill on a fresh sandbox. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The failover drill: a fresh sandbox of 3 local clusters, middleware deployed from"
          + " examples/sandbox (by default ZooKeeper and Redis), a client per middleware that"
          + " keeps writing and reading, the loss of the cluster that holds the most voters,"
          + " failover progress as it happens, and a summary (the longest gap each client saw,"
          + " the time to full strength, writes acknowledged and lost). Exit 0 only when all"
          + " are back at full strength and nothing acknowledged was lost where the type"
          + " promises it. With --drain the cluster is drained instead (a planned move off it,"
          + " as 'flotilla cluster drain' does) while it keeps serving."
    },
    footer = {
      "",
      "Examples:",
      "  flotilla demo",
      "  flotilla demo --kill-control-plane",
      "  flotilla demo --type kafka",
      "  flotilla demo --drain"
    })
final class DemoCommand implements Callable<Integer> {
  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--type",
      defaultValue = Demo.DEFAULT,
      description = "Which middleware: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      completionCandidates = Types.class)
  private String type;

  @Option(
      names = "--kill-control-plane",
      description = "Also stop the control plane for a while in the steady state.")
  private boolean killControlPlane;

  @Option(
      names = "--drain",
      description =
          "Drain the cluster that holds the most voters (taint flotilla.io/drained:NoExecute)"
              + " instead of failing it: its instances move off with the failover's rolling rules"
              + " while it keeps serving; then it is uncordoned.")
  private boolean drain;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = ".flotilla/demo",
      description = "The drill's sandbox directory, cleared first (default: ${DEFAULT-VALUE}).")
  private Path dir;

  /** The drills there are. */
  static final class Types implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Demo.types().iterator();
    }
  }

  @Override
  public Integer call() {
    Demo.Options options;
    try {
      options =
          new Demo.Options(
              dir.toAbsolutePath().normalize(),
              type,
              killControlPlane,
              drain,
              Duration.ofSeconds(10),
              Duration.ofMinutes(4));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("flotilla demo: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    try {
      return new Demo(options, new PrintStream(System.out, true)).run();
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("flotilla demo: " + e.getMessage());
      return 1;
    }
  }
}
