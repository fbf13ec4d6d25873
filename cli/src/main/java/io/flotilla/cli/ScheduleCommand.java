package io.flotilla.cli;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.Middleware;
import io.flotilla.scheduler.ScheduleResult;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.scheduler.Unschedulable;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** {@code flotilla schedule}: where would the scheduler put this middleware? */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = {
      "Decides where every replica of a Middleware goes over a set of MemberClusters, without"
          + " changing anything.",
      "Pass a previous run's JSON output as --previous to schedule a scale-up, scale-down or"
          + " failover: replicas on healthy clusters stay where they are."
    },
    footer = {
      "",
      "Exit codes: 0 scheduled, 1 bad input (the message names file, field and reason),"
          + " 2 unschedulable (reasons printed).",
      "",
      "Examples:",
      "  flotilla schedule --clusters examples/clusters.yaml --middleware examples/redis-talk.yaml",
      "  flotilla schedule --clusters examples/clusters.yaml --middleware examples/zookeeper.yaml"
          + " -o json > before.json",
      "  flotilla schedule --clusters examples/clusters-dc2-lost.yaml"
          + " --middleware examples/zookeeper.yaml --previous before.json -o table"
    })
final class ScheduleCommand implements Callable<Integer> {
  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--clusters",
      required = true,
      paramLabel = "FILE",
      description = "MemberCluster objects (YAML or JSON; '-' reads standard input).")
  private String clustersFile;

  @Option(
      names = "--middleware",
      required = true,
      paramLabel = "FILE",
      description = "One Middleware object (YAML or JSON; '-' reads standard input).")
  private String middlewareFile;

  @Option(
      names = "--previous",
      paramLabel = "FILE",
      description = "The placement before this decision: a previous 'schedule -o json' output.")
  private String previousFile;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "json, yaml or table (default: ${DEFAULT-VALUE}).")
  private OutputFormat output;

  private final InputStream stdin;

  ScheduleCommand() {
    this(System.in);
  }

  ScheduleCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ScheduleInputs in;
    try {
      in = ScheduleInputs.read(clustersFile, middlewareFile, previousFile, stdin);
    } catch (InvalidInputException e) {
      err.println("flotilla: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    in.printWarnings(err);
    Middleware middleware = in.middleware();
    ScheduleResult result =
        Scheduler.withDefaultPlugins().schedule(middleware, in.clusters(), in.previous());
    switch (output) {
      case json -> out.println(json().writeValueAsString(ScheduleJson.of(middleware, result)));
      case yaml -> out.print(yaml().writeValueAsString(ScheduleJson.of(middleware, result)));
      case table -> ScheduleTable.print(middleware, result, out);
    }
    if (!result.scheduled()) {
      err.println(
          "flotilla: "
              + middleware.name()
              + " cannot be scheduled; nothing is placed unless every role fits:");
      for (Unschedulable u : result.unschedulable()) {
        err.println(
            "  role "
                + u.role()
                + (u.cluster().isEmpty() ? "" : ", cluster " + u.cluster())
                + ": "
                + u.reason());
      }
      return Main.UNSCHEDULABLE;
    }
    return 0;
  }

  private static ObjectMapper json() {
    // "key": value, as kubectl and jq print JSON (Jackson's default is "key" : value)
    Separators separators =
        Separators.createDefaultInstance().withObjectNameValueSpacing(Separators.Spacing.AFTER);
    return JsonMapper.builder()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .defaultPrettyPrinter(new DefaultPrettyPrinter(separators))
        .build();
  }

  private static ObjectMapper yaml() {
    return YAMLMapper.builder()
        .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
        .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
        .build();
  }
}
