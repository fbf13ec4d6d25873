package io.flotilla.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flotilla} command. */
@Command(
    name = "flotilla",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs stateful middleware across several Kubernetes clusters.",
    subcommands = {
      ScheduleCommand.class,
      RenderCommand.class,
      ApplyCommand.class,
      GetCommand.class,
      DescribeCommand.class,
      DeleteCommand.class,
      ViewCommand.class,
      DrillCommand.class,
      ClusterCommand.class,
      ServerCommand.class,
      SandboxCommand.class,
      DemoCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 success, 1 bad input, 2 could not be scheduled, 3 server unreachable.",
      "Examples:",
      "  flotilla demo",
      "  flotilla schedule --clusters examples/clusters.yaml --middleware examples/redis-talk.yaml",
      "  flotilla server --data-dir .flotilla/server --port 8080",
      "  flotilla apply -f examples/zookeeper.yaml --server http://127.0.0.1:8080"
    })
public final class Main implements Runnable {
  /** Exit code for input that could not be read or is invalid. */
  public static final int BAD_INPUT = 1;

  /** Exit code when the input is valid but the middleware cannot be placed. */
  public static final int UNSCHEDULABLE = 2;

  /** Exit code when the Flotilla server cannot be reached. */
  public static final int UNREACHABLE = 3;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("flotilla: " + ex.getMessage());
          c.getErr().println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
          return BAD_INPUT;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          c.getErr().println("flotilla: internal error: " + ex);
          throw ex;
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
