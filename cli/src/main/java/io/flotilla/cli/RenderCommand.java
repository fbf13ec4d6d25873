package io.flotilla.cli;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.KubeObject;
import io.flotilla.api.Middleware;
import io.flotilla.middleware.Adapters;
import io.flotilla.middleware.Addressing;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Topology;
import io.flotilla.scheduler.ScheduleResult;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.scheduler.Unschedulable;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** {@code flotilla render}: the Kubernetes objects each member cluster would run. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Schedules a Middleware over a set of MemberClusters and prints each cluster's share as"
          + " the plain Kubernetes objects its adapter renders: a headless Service, a ConfigMap"
          + " per role with each instance's configuration, a StatefulSet per role whose ordinals"
          + " start at the share's base id. Nothing is changed anywhere.",
      "Ids are numbered afresh from 1 over the placement; a running resource keeps its ids"
          + " (the controller records them). Secrets are not printed."
    },
    footer = {
      "",
      "Exit codes: 0 rendered, 1 bad input (file, field and reason printed), 2 unschedulable.",
      "",
      "Examples:",
      "  flotilla render --clusters examples/clusters.yaml --middleware examples/zookeeper.yaml",
      "  flotilla render --clusters examples/clusters.yaml --middleware examples/redis-talk.yaml"
          + " --cluster user1 -o json"
    })
final class RenderCommand implements Callable<Integer> {
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
      names = "--cluster",
      paramLabel = "NAME",
      description = "Print only this member cluster's share.")
  private String cluster;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "yaml",
      description =
          "yaml (documents, each cluster's introduced by a comment) or json (an object of"
              + " clusters) (default: ${DEFAULT-VALUE}).")
  private OutputFormat output;

  private final InputStream stdin;

  RenderCommand() {
    this(System.in);
  }

  RenderCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (output == OutputFormat.table) {
      err.println("flotilla: render prints yaml or json, not table");
      return Main.BAD_INPUT;
    }
    ScheduleInputs in;
    try {
      in = ScheduleInputs.read(clustersFile, middlewareFile, previousFile, stdin);
    } catch (InvalidInputException e) {
      err.println("flotilla: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    in.printWarnings(err);
    Middleware mw = in.middleware();
    ScheduleResult result =
        Scheduler.withDefaultPlugins().schedule(mw, in.clusters(), in.previous());
    if (!result.scheduled()) {
      err.println("flotilla: " + mw.name() + " cannot be scheduled:");
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
    Topology topology =
        Topology.of(
            mw,
            result.placement(),
            BaseIds.contiguous(result.placement(), 1),
            result.shards(),
            Addressing.kubernetes(),
            Map.of());
    SortedMap<String, List<KubeObject>> shares = Adapters.of(mw.spec().type()).render(topology);
    if (cluster != null) {
      if (!shares.containsKey(cluster)) {
        err.println(
            "flotilla: --cluster "
                + cluster
                + ": "
                + mw.name()
                + " has no share there; it runs in "
                + String.join(", ", shares.keySet()));
        return Main.BAD_INPUT;
      }
      shares = new TreeMap<>(Map.of(cluster, shares.get(cluster)));
    }
    if (output == OutputFormat.json) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      shares.forEach(
          (c, objects) -> {
            var array = root.putArray(c);
            objects.forEach(o -> array.add(o.json()));
          });
      out.println(
          JsonMapper.builder()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .build()
              .writeValueAsString(root));
    } else {
      YAMLMapper yaml =
          YAMLMapper.builder()
              .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
              .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
              .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
              .build();
      shares.forEach(
          (c, objects) -> {
            for (KubeObject o : objects) {
              out.println("---");
              out.println("# member cluster " + c);
              out.print(yaml.writeValueAsString(o.json()));
            }
          });
    }
    return 0;
  }
}
