package io.flotilla.cli;

import io.flotilla.server.ApiResource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code flotilla describe middleware NAME}: a Middleware's spec and everything its status says.
 */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description = {
      "Describes one Middleware for a person: a summary of its spec, then what the controller"
          + " reports in its status: the placement (role x cluster), the base id of every"
          + " cluster's share, one row per cluster, and the conditions (Scheduled, Propagated,"
          + " Available, SurvivesClusterLoss, FailingOver) with their reasons."
    },
    footer = {
      "",
      "Exit codes: 0 described, 1 bad input or refused (not found, say), 3 server unreachable.",
      "",
      "Examples:",
      "  flotilla describe middleware zk",
      "  flotilla describe mw orders-kafka -n payments"
    })
final class DescribeCommand implements Callable<Integer> {
  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Mixin private ServerOptions server;

  @Parameters(index = "0", paramLabel = "KIND", description = "middleware (mw).")
  private String kind;

  @Parameters(index = "1", paramLabel = "NAME", description = "The Middleware's name.")
  private String name;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      defaultValue = "default",
      description = "The namespace (default: ${DEFAULT-VALUE}).")
  private String namespace;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return Client.run(
        server,
        err,
        client -> {
          ApiResource resource = KindArgument.resolve(kind);
          if (resource != ApiResource.MIDDLEWARES) {
            err.println(
                "flotilla: describe shows Middleware objects; for "
                    + resource.plural()
                    + " use 'flotilla get "
                    + resource.plural()
                    + " NAME -o yaml'");
            return Main.BAD_INPUT;
          }
          print(client.get(resource.objectPath(namespace, name)), out);
          return 0;
        });
  }

  static void print(JsonNode mw, PrintWriter out) {
    Table head = new Table();
    head.row("Name:", Client.text(mw, "/metadata/name"));
    head.row("Namespace:", Client.text(mw, "/metadata/namespace"));
    head.row("Type:", Client.text(mw, "/spec/type"));
    head.row("Version:", Client.text(mw, "/spec/version"));
    head.row(
        "Generation:",
        Client.text(mw, "/metadata/generation")
            + " (observed: "
            + Client.text(mw, "/status/observedGeneration")
            + ")");
    head.row("Created:", Client.text(mw, "/metadata/creationTimestamp"));
    if (!mw.at("/metadata/deletionTimestamp").isMissingNode()) {
      head.row("Deleting since:", Client.text(mw, "/metadata/deletionTimestamp"));
    }
    head.row("Cluster affinity:", affinity(mw.at("/spec/clusterAffinity")));
    head.print(out);

    out.println();
    out.println("Roles:");
    Table roles = new Table().row("ROLE", "REPLICAS", "MAX SKEW", "SHARD OF", "REQUESTS");
    for (JsonNode r : mw.at("/spec/replicaRequirements")) {
      roles.row(
          Client.text(r, "/role"),
          Client.text(r, "/replicas"),
          Client.text(r, "/maxSkew"),
          Client.text(r, "/shard"),
          requests(r.at("/resourceRequest/requests")));
    }
    indented(roles, out);

    JsonNode status = mw.path("status");
    if (status.isMissingNode() || status.isEmpty()) {
      out.println();
      out.println("Status: none yet (the controller has not reconciled it)");
      return;
    }
    matrix("Placement (replicas per role and cluster):", status.path("placement"), out);
    matrix("Base ids (first id of each cluster's share):", status.path("baseIds"), out);
    rows(status.path("clusters"), out);
    conditions(status.path("conditions"), out);
  }

  /** A role → cluster → value object as a table: one row per role, one column per cluster. */
  private static void matrix(String title, JsonNode byRole, PrintWriter out) {
    if (!byRole.isObject() || byRole.isEmpty()) {
      return;
    }
    TreeSet<String> clusters = new TreeSet<>();
    for (Map.Entry<String, JsonNode> role : byRole.properties()) {
      role.getValue().propertyNames().forEach(clusters::add);
    }
    List<String> header = new ArrayList<>(List.of("ROLE"));
    header.addAll(clusters);
    Table t = new Table().row(header);
    for (Map.Entry<String, JsonNode> role : byRole.properties()) {
      List<String> row = new ArrayList<>(List.of(role.getKey()));
      for (String c : clusters) {
        row.add(Client.text(role.getValue(), "/" + c));
      }
      t.row(row);
    }
    out.println();
    out.println(title);
    indented(t, out);
  }

  /** The per-cluster rows: their fields as columns, in the order they first appear. */
  private static void rows(JsonNode rows, PrintWriter out) {
    if (!rows.isArray() || rows.isEmpty()) {
      return;
    }
    List<String> fields = new ArrayList<>();
    for (JsonNode r : rows) {
      r.propertyNames()
          .forEach(
              f -> {
                if (!fields.contains(f)) {
                  fields.add(f);
                }
              });
    }
    Table t = new Table().row(fields.stream().map(DescribeCommand::columnName).toList());
    for (JsonNode r : rows) {
      t.row(fields.stream().map(f -> Client.text(r, "/" + f)).toList());
    }
    out.println();
    out.println("Clusters:");
    indented(t, out);
  }

  private static void conditions(JsonNode conditions, PrintWriter out) {
    if (!conditions.isArray() || conditions.isEmpty()) {
      return;
    }
    Table t = new Table().row("TYPE", "STATUS", "REASON", "MESSAGE");
    for (JsonNode c : conditions) {
      t.row(
          Client.text(c, "/type"),
          Client.text(c, "/status"),
          Client.text(c, "/reason"),
          Client.text(c, "/message"));
    }
    out.println();
    out.println("Conditions:");
    indented(t, out);
  }

  /** "readyReplicas" → "READY REPLICAS". */
  static String columnName(String field) {
    return field.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toUpperCase(java.util.Locale.ROOT);
  }

  private static String affinity(JsonNode a) {
    List<String> parts = new ArrayList<>();
    JsonNode names = a.path("clusterNames");
    if (names.isArray() && !names.isEmpty()) {
      List<String> n = new ArrayList<>();
      names.forEach(v -> n.add(v.asString("")));
      parts.add("clusters " + String.join(",", n));
    }
    JsonNode selector = a.path("labelSelector");
    if (!selector.isMissingNode()) {
      JsonNode labels = selector.has("matchLabels") ? selector.path("matchLabels") : selector;
      List<String> l = new ArrayList<>();
      labels.properties().forEach(e -> l.add(e.getKey() + "=" + e.getValue().asString("")));
      if (!l.isEmpty()) {
        parts.add("labels " + String.join(",", l));
      }
      if (selector.has("matchExpressions")) {
        parts.add(selector.path("matchExpressions").size() + " label expressions");
      }
    }
    return parts.isEmpty() ? "any cluster" : String.join("; ", parts);
  }

  private static String requests(JsonNode requests) {
    List<String> out = new ArrayList<>();
    requests.properties().forEach(e -> out.add(e.getKey() + "=" + e.getValue().asString("")));
    return out.isEmpty() ? "-" : String.join(",", out);
  }

  private static void indented(Table t, PrintWriter out) {
    java.io.StringWriter buffer = new java.io.StringWriter();
    PrintWriter w = new PrintWriter(buffer);
    t.print(w);
    w.flush();
    buffer.toString().lines().forEach(l -> out.println("  " + l));
  }
}
