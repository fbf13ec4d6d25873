package io.flotilla.cli;

import io.flotilla.server.ApiResource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code flotilla get KIND [NAME]}: list objects, or show one, from the server. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the objects of a kind, or shows one, as the server stores them.",
      "KIND: middleware (mw), membercluster (mc), propagationpolicy (pp), overridepolicy (op),"
          + " resourcebinding (rb); singular, plural or short."
    },
    footer = {
      "",
      "Exit codes: 0 found, 1 bad input or refused by the server (its message printed),"
          + " 3 server unreachable.",
      "",
      "Examples:",
      "  flotilla get middlewares -A",
      "  flotilla get mw zk -n default -o yaml",
      "  flotilla get memberclusters"
    })
final class GetCommand implements Callable<Integer> {
  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Mixin private ServerOptions server;

  @Parameters(index = "0", paramLabel = "KIND", description = "The kind of object.")
  private String kind;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "NAME",
      description = "One object's name (default: every object).")
  private String name;

  @ArgGroup(exclusive = true)
  private Namespaces namespaces = new Namespaces();

  /** -n NS or -A. */
  static final class Namespaces {
    @Option(
        names = {"-n", "--namespace"},
        paramLabel = "NS",
        description = "The namespace (default: default).")
    String namespace = "default";

    @Option(
        names = {"-A", "--all-namespaces"},
        description = "Every namespace.")
    boolean all;
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, yaml or json (default: ${DEFAULT-VALUE}).")
  private OutputFormat output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return Client.run(
        server,
        err,
        client -> {
          ApiResource resource = KindArgument.resolve(kind);
          String ns = resource.namespaced() && !namespaces.all ? namespaces.namespace : "";
          if (name != null && resource.namespaced() && namespaces.all) {
            err.println("flotilla: a name needs one namespace: use -n, not -A");
            return Main.BAD_INPUT;
          }
          JsonNode answer =
              name == null
                  ? client.get(resource.collectionPath(ns))
                  : client.get(resource.objectPath(ns, name));
          if (output != OutputFormat.table) {
            Client.print(out, output, answer);
            return 0;
          }
          List<JsonNode> items = new ArrayList<>();
          if (name == null) {
            answer.path("items").forEach(items::add);
          } else {
            items.add(answer);
          }
          if (items.isEmpty()) {
            err.println(
                "No "
                    + resource.plural()
                    + " found"
                    + (resource.namespaced() && !namespaces.all ? " in namespace " + ns : "")
                    + ".");
            return 0;
          }
          table(resource, items, resource.namespaced() && namespaces.all).print(out);
          return 0;
        });
  }

  /** One row per object; the columns depend on the kind. */
  static Table table(ApiResource resource, List<JsonNode> items, boolean withNamespace) {
    Table t = new Table();
    List<String> header = new ArrayList<>();
    if (withNamespace) {
      header.add("NAMESPACE");
    }
    header.add("NAME");
    header.addAll(columns(resource));
    t.row(header);
    for (JsonNode o : items) {
      List<String> row = new ArrayList<>();
      if (withNamespace) {
        row.add(Client.text(o, "/metadata/namespace"));
      }
      row.add(Client.text(o, "/metadata/name"));
      row.addAll(cells(resource, o));
      t.row(row);
    }
    return t;
  }

  private static List<String> columns(ApiResource resource) {
    return switch (resource) {
      case MIDDLEWARES -> List.of("TYPE", "VERSION", "REPLICAS", "SCHEDULED", "AVAILABLE");
      case MEMBERCLUSTERS -> List.of("READY", "TAINTS", "LABELS");
      case PROPAGATIONPOLICIES -> List.of("PRIORITY", "SELECTS", "CLUSTERS");
      case OVERRIDEPOLICIES -> List.of("SELECTS", "RULES");
      case RESOURCEBINDINGS -> List.of("RESOURCE", "POLICY", "CLUSTERS", "READY");
    };
  }

  private static List<String> cells(ApiResource resource, JsonNode o) {
    return switch (resource) {
      case MIDDLEWARES -> {
        int replicas = 0;
        for (JsonNode r : o.at("/spec/replicaRequirements")) {
          replicas += r.path("replicas").asInt(0);
        }
        yield List.of(
            Client.text(o, "/spec/type"),
            Client.text(o, "/spec/version"),
            Integer.toString(replicas),
            Client.condition(o, "Scheduled"),
            Client.condition(o, "Available"));
      }
      case MEMBERCLUSTERS -> {
        List<String> taints = new ArrayList<>();
        for (JsonNode t : o.at("/spec/taints")) {
          taints.add(
              t.path("key").asString("")
                  + (t.path("value").asString("").isEmpty() ? "" : "=" + t.path("value").asString())
                  + ":"
                  + t.path("effect").asString(""));
        }
        List<String> labels = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : o.at("/metadata/labels").properties()) {
          labels.add(e.getKey() + "=" + e.getValue().asString(""));
        }
        yield List.of(Client.condition(o, "Ready"), orDash(taints), orDash(labels));
      }
      case PROPAGATIONPOLICIES ->
          List.of(
              Client.text(o, "/spec/priority").equals("-") ? "0" : Client.text(o, "/spec/priority"),
              selects(o),
              orDash(strings(o.at("/spec/placement/clusterAffinity/clusterNames"))));
      case OVERRIDEPOLICIES ->
          List.of(selects(o), Integer.toString(o.at("/spec/overrideRules").size()));
      case RESOURCEBINDINGS ->
          List.of(
              Client.text(o, "/spec/resource/kind") + "/" + Client.text(o, "/spec/resource/name"),
              Client.text(o, "/spec/policy"),
              orDash(strings(o.at("/spec/clusters"))),
              Client.condition(o, "Ready"));
    };
  }

  private static String selects(JsonNode o) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : o.at("/spec/resourceSelectors")) {
      String n = s.path("name").asString("");
      out.add(s.path("kind").asString("?") + "/" + (n.isEmpty() ? "*" : n));
    }
    return orDash(out);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asString("")));
    return out;
  }

  private static String orDash(List<String> values) {
    return values.isEmpty() ? "-" : values.stream().collect(Collectors.joining(","));
  }
}
