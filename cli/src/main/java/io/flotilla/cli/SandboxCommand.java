package io.flotilla.cli;

import io.flotilla.api.Resources;
import io.flotilla.controller.ControlPlane;
import io.flotilla.runtime.Distributions;
import io.flotilla.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla sandbox up|down|fail|recover}: local member clusters on this machine. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = {
      "Runs local member clusters on this machine, each pod a real process on its own loopback"
          + " address, with the control plane in embedded mode over them (docs/sandbox.md)."
    },
    subcommands = {
      SandboxCommand.Up.class,
      SandboxCommand.Down.class,
      SandboxCommand.Fail.class,
      SandboxCommand.Recover.class
    },
    footer = {
      "",
      "Examples:",
      "  flotilla sandbox up --clusters 3",
      "  flotilla apply -f examples/sandbox/zookeeper.yaml --server http://127.0.0.1:8080 \\",
      "      --token-file .flotilla/sandbox/control-plane/token",
      "  flotilla sandbox fail dc1",
      "  flotilla sandbox recover dc1",
      "  flotilla sandbox down"
    })
final class SandboxCommand implements Runnable {
  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = {
        "Starts the local clusters and the control plane, registers the clusters as"
            + " MemberClusters, and stays in the foreground until Ctrl-C (or --detach). Every"
            + " process it starts dies with it; one left by a crash is killed by the next start."
      },
      footer = {"", "Example:", "  flotilla sandbox up --clusters 3 --port 8080"})
  static final class Up implements Callable<Integer> {
    @Spec private picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin private DirOptionMixin dir;

    @Option(
        names = "--clusters",
        defaultValue = "3",
        description = "How many local clusters, named dc1, dc2, ... (default: ${DEFAULT-VALUE}).")
    private int clusters;

    @Option(
        names = "--port",
        defaultValue = "8080",
        description = "The API's port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free one).")
    private int port;

    @Option(
        names = "--cpu",
        paramLabel = "MILLICORES",
        description =
            "What each cluster offers pods, in millicores (default: the machine's cores).")
    private Long cpu;

    @Option(
        names = "--memory-mib",
        paramLabel = "MIB",
        description = "What each cluster offers pods, in MiB (default: the machine's memory / N).")
    private Long memoryMib;

    @Option(
        names = "--detach",
        description = "Start in the background (stop it with flotilla sandbox down).")
    private boolean detach;

    @picocli.CommandLine.Mixin private LogFormatOption logFormat = new LogFormatOption();

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Path d = dir.dir.toAbsolutePath().normalize();
      try {
        logFormat.apply();
      } catch (io.flotilla.api.InvalidInputException e) {
        err.println("flotilla sandbox up: " + e.getMessage());
        return Main.BAD_INPUT;
      }
      if (detach) {
        return detach(d, out, err);
      }
      Resources share = Sandbox.Options.machineShare(Math.max(1, clusters));
      Resources each =
          new Resources(
              cpu != null ? cpu : share.cpuMillis(),
              memoryMib != null ? memoryMib << 20 : share.memoryBytes());
      Sandbox sandbox;
      try {
        sandbox =
            Sandbox.start(
                new Sandbox.Options(d, clusters, port, each, ControlPlane.Settings.defaults()),
                Distributions.locate(),
                Clock.systemUTC());
      } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
        err.println("flotilla sandbox up: " + e.getMessage());
        return Main.BAD_INPUT;
      }
      Thread hook = new Thread(sandbox::close, "sandbox-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      out.println(
          "flotilla sandbox: "
              + clusters
              + " local clusters ("
              + String.join(", ", sandbox.clusters().keySet())
              + "), API on http://127.0.0.1:"
              + sandbox.port()
              + ", token in "
              + d.resolve("control-plane/token")
              + ", pod logs under "
              + d.resolve("clusters"));
      out.println(
          "Web console: http://127.0.0.1:"
              + sandbox.port()
              + "/ (sign in with the token in "
              + d.resolve("control-plane/token")
              + ")");
      out.println("Ctrl-C (or flotilla sandbox down) stops it and every process it started.");
      out.flush();
      sandbox.awaitDown();
      sandbox.close();
      Runtime.getRuntime().removeShutdownHook(hook);
      out.println("flotilla sandbox: stopped");
      return 0;
    }

    private Integer detach(Path d, PrintWriter out, PrintWriter err) throws Exception {
      Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      List<String> command = new ArrayList<>();
      command.add("setsid");
      command.add(Distributions.java().toString());
      command.add("-jar");
      command.add(jar.toString());
      command.addAll(
          List.of(
              "sandbox",
              "up",
              "--dir",
              d.toString(),
              "--clusters",
              "" + clusters,
              "--port",
              "" + port,
              "--log-format",
              logFormat.format().value()));
      if (cpu != null) {
        command.addAll(List.of("--cpu", cpu.toString()));
      }
      if (memoryMib != null) {
        command.addAll(List.of("--memory-mib", memoryMib.toString()));
      }
      Files.createDirectories(d);
      Path log = d.resolve("sandbox.log");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (System.nanoTime() < deadline) {
        Optional<Sandbox.SandboxInfo> info = Sandbox.SandboxInfo.read(d);
        if (info.isPresent() && info.get().alive()) {
          out.println(
              "flotilla sandbox: started in the background (pid "
                  + info.get().pid()
                  + "), API on http://127.0.0.1:"
                  + info.get().port()
                  + ", log "
                  + log
                  + "; stop it with flotilla sandbox down --dir "
                  + dir.dir);
          out.println(
              "Web console: http://127.0.0.1:"
                  + info.get().port()
                  + "/ (sign in with the token in "
                  + d.resolve("control-plane/token")
                  + ")");
          return 0;
        }
        if (!p.isAlive()) {
          err.println("flotilla sandbox up: the sandbox exited; its log " + log + " ends:");
          List<String> lines = Files.readAllLines(log);
          lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(err::println);
          return Main.BAD_INPUT;
        }
        Thread.sleep(200);
      }
      err.println("flotilla sandbox up: not up within 2 minutes; see " + log);
      return Main.BAD_INPUT;
    }
  }

  /** The sandbox's directory, shared by every subcommand. */
  static final class DirOptionMixin {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        defaultValue = ".flotilla/sandbox",
        description = "The sandbox's directory (default: ${DEFAULT-VALUE}).")
    Path dir;
  }

  /** A request to the running sandbox could not be sent or answered. */
  private static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(message);
    }
  }

  /**
   * Sends one request to the running sandbox in a directory; prints {@code done} on 200, the
   * sandbox's message otherwise.
   *
   * @throws Unreachable when no sandbox runs there or it does not answer
   */
  static int call(
      Path dir, String method, String path, PrintWriter out, PrintWriter err, String done)
      throws Unreachable {
    Optional<Sandbox.SandboxInfo> info = Sandbox.SandboxInfo.read(dir);
    if (info.isEmpty() || !info.get().alive()) {
      throw new Unreachable("no sandbox runs in " + dir + " (flotilla sandbox up)");
    }
    HttpResponse<String> r;
    try {
      r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + info.get().port() + path))
                      .header("Authorization", "Bearer " + info.get().token())
                      .method(method, HttpRequest.BodyPublishers.noBody())
                      .timeout(Duration.ofSeconds(60))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Unreachable("cannot reach the sandbox in " + dir + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted");
    }
    if (r.statusCode() != 200) {
      String message =
          tools.jackson.databind.json.JsonMapper.builder()
              .build()
              .readTree(r.body())
              .path("message")
              .asString(r.body());
      err.println("flotilla sandbox: " + message);
      return Main.BAD_INPUT;
    }
    out.println(done);
    return 0;
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stops the running sandbox and every process it started.",
      footer = {"", "Example:", "  flotilla sandbox down"})
  static final class Down implements Callable<Integer> {
    @Spec private picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin private DirOptionMixin dir;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        int code = SandboxCommand.call(dir.dir, "POST", "/sandbox/v1/down", out, err, "stopping");
        if (code != 0) {
          return code;
        }
      } catch (Unreachable e) {
        if (Sandbox.SandboxInfo.read(dir.dir).isEmpty()) {
          err.println("flotilla sandbox down: " + e.getMessage());
          return Main.UNREACHABLE;
        }
        // the sandbox may stop its API before the answer is out: wait for it to go either way
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (Sandbox.SandboxInfo.read(dir.dir).map(Sandbox.SandboxInfo::alive).orElse(false)) {
        if (System.nanoTime() > deadline) {
          err.println("flotilla sandbox down: still running after 1 min");
          return Main.UNREACHABLE;
        }
        Thread.sleep(200);
      }
      out.println("flotilla sandbox: stopped");
      return 0;
    }
  }

  /** What fail and recover share: one local cluster, one request. */
  abstract static class ClusterAction implements Callable<Integer> {
    @Spec private picocli.CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin private DirOptionMixin dir;

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The local cluster, e.g. dc1.")
    private String cluster;

    /** The request's last path segment: fail or recover. */
    abstract String action();

    /** What is printed once done. */
    abstract String done(String cluster);

    @Override
    public Integer call() {
      try {
        return SandboxCommand.call(
            dir.dir,
            "POST",
            "/sandbox/v1/clusters/" + cluster + "/" + action(),
            spec.commandLine().getOut(),
            spec.commandLine().getErr(),
            done(cluster));
      } catch (Unreachable e) {
        spec.commandLine().getErr().println("flotilla sandbox " + action() + ": " + e.getMessage());
        return Main.UNREACHABLE;
      }
    }
  }

  @Command(
      name = "fail",
      mixinStandardHelpOptions = true,
      description = {
        "Loses a local cluster, as a data centre is lost: every process of it killed at once,"
            + " its API refusing every call (its heartbeats stop)."
      },
      footer = {"", "Example:", "  flotilla sandbox fail dc1"})
  static final class Fail extends ClusterAction {
    @Override
    String action() {
      return "fail";
    }

    @Override
    String done(String cluster) {
      return "local cluster " + cluster + " failed: its processes killed, its API cut";
    }
  }

  @Command(
      name = "recover",
      mixinStandardHelpOptions = true,
      description = {
        "Brings a failed local cluster back, empty-handed: reachable again with its objects, but"
            + " running none of its old pods until the control plane writes them again (it fences"
            + " them instead)."
      },
      footer = {"", "Example:", "  flotilla sandbox recover dc1"})
  static final class Recover extends ClusterAction {
    @Override
    String action() {
      return "recover";
    }

    @Override
    String done(String cluster) {
      return "local cluster " + cluster + " recovered, empty-handed";
    }
  }
}
