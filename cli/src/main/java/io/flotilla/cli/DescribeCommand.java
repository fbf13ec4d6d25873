package io.flotilla.cli;

import io.flotilla.api.Taint;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.MemberClusterReader;
import io.flotilla.server.ApiResource;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

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
          + " Available, SurvivesClusterLoss, FailingOver) with their reasons; then its recent"
          + " events. A MemberCluster: its labels, taints (cordoned, drained), readiness and"
          + " heartbeat, capacity, and its recent events."
    },
    footer = {
      "",
      "Exit codes: 0 described, 1 bad input or refused (not found, say), 3 server unreachable.",
      "",
      "Examples:",
      "  flotilla describe middleware zk",
      "  flotilla describe mw orders-kafka -n payments",
      "  flotilla describe cluster dc1"
    })
final class DescribeCommand implements Callable<Integer> {
  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Mixin private ServerOptions server;

  @Parameters(
      index = "0",
      paramLabel = "KIND",
      description = "middleware (mw) or membercluster (cluster).")
  private String kind;

  @Parameters(index = "1", paramLabel = "NAME", description = "The object's name.")
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
          if (resource == ApiResource.MIDDLEWARES) {
            print(client.get(resource.objectPath(namespace, name)), out);
            events(client, "Middleware", namespace, name, Instant.now(), out);
            return 0;
          }
          if (resource == ApiResource.MEMBERCLUSTERS) {
            printCluster(client.get(resource.objectPath("", name)), Instant.now(), out);
            events(client, "MemberCluster", "", name, Instant.now(), out);
            return 0;
          }
          err.println(
              "flotilla: describe shows Middleware and MemberCluster objects; for "
                  + resource.plural()
                  + " use 'flotilla get "
                  + resource.plural()
                  + " NAME -o yaml'");
          return Main.BAD_INPUT;
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

  /** A MemberCluster: labels, taints, readiness and heartbeat, capacity. */
  static void printCluster(JsonNode c, Instant now, PrintWriter out) {
    Table head = new Table();
    head.row("Name:", Client.text(c, "/metadata/name"));
    List<String> labels = new ArrayList<>();
    c.at("/metadata/labels")
        .properties()
        .forEach(e -> labels.add(e.getKey() + "=" + e.getValue().asString("")));
    head.row("Labels:", labels.isEmpty() ? "-" : String.join(",", labels));
    // as the model writes them (key=value:Effect); an object the reader refuses is shown raw
    Optional<List<String>> decoded =
        MemberClusterReader.read(new Manifest("api", Client.text(c, "/metadata/name"), c))
            .value()
            .map(m -> m.spec().taints().stream().map(Taint::toString).toList());
    List<String> taints = decoded.orElse(List.of());
    head.row(
        "Taints:",
        decoded.isEmpty()
            ? c.at("/spec/taints").toString()
            : taints.isEmpty() ? "-" : String.join(", ", taints));
    String state = "schedulable";
    if (taints.contains(ClusterCommand.DRAINED + ":NoExecute")) {
      state = "drained (every share moves off it)";
    } else if (taints.contains(ClusterCommand.CORDONED + ":NoSchedule")) {
      state = "cordoned (keeps what it runs, gets nothing new)";
    }
    head.row("Scheduling:", state);
    JsonNode ready = MissingNode.getInstance();
    for (JsonNode cond : c.at("/status/conditions")) {
      if (cond.path("type").asString("").equals("Ready")) {
        ready = cond;
      }
    }
    head.row(
        "Ready:",
        ready.isMissingNode()
            ? "unknown (no status yet)"
            : Client.text(ready, "/status")
                + (ready.path("reason").asString("").isEmpty()
                    ? ""
                    : " (" + ready.path("reason").asString("") + ")"));
    String beat = ready.path("lastHeartbeatTime").asString("");
    head.row("Last heartbeat:", beat.isEmpty() ? "never" : beat + " (" + age(beat, now) + " ago)");
    head.print(out);
    JsonNode summary = c.at("/status/resourceSummary");
    if (!summary.isMissingNode()) {
      Table t = new Table().row("RESOURCE", "ALLOCATABLE", "ALLOCATED");
      TreeSet<String> names = new TreeSet<>();
      summary.path("allocatable").properties().forEach(e -> names.add(e.getKey()));
      summary.path("allocated").properties().forEach(e -> names.add(e.getKey()));
      for (String n : names) {
        t.row(
            n, Client.text(summary, "/allocatable/" + n), Client.text(summary, "/allocated/" + n));
      }
      out.println();
      out.println("Capacity:");
      indented(t, out);
    }
  }

  /**
   * The object's recent events, as kubectl shows them (TYPE, REASON, AGE "5s (x3 over 2m)", FROM,
   * MESSAGE), oldest first; "Events: <none>" when there is none.
   */
  static void events(
      ApiClient client, String kind, String namespace, String name, Instant now, PrintWriter out) {
    String query =
        "/api/v1/events?kind="
            + kind
            + (namespace.isEmpty() ? "" : "&namespace=" + encode(namespace))
            + "&name="
            + encode(name);
    printEvents(client.get(query), now, out);
  }

  static void printEvents(JsonNode events, Instant now, PrintWriter out) {
    out.println();
    JsonNode items = events.path("items");
    if (!items.isArray() || items.isEmpty()) {
      out.println("Events: <none>");
      return;
    }
    out.println("Events:");
    Table t = new Table().row("TYPE", "REASON", "AGE", "FROM", "MESSAGE");
    for (JsonNode e : items) {
      int count = e.path("count").asInt(1);
      String last = age(e.path("lastTimestamp").asString(""), now);
      String when =
          count > 1
              ? last
                  + " (x"
                  + count
                  + " over "
                  + age(e.path("firstTimestamp").asString(""), now)
                  + ")"
              : last;
      t.row(
          Client.text(e, "/type"),
          Client.text(e, "/reason"),
          when,
          Client.text(e, "/source"),
          Client.text(e, "/message"));
    }
    indented(t, out);
  }

  /**
   * How long ago {@code timestamp} was, as kubectl writes ages: 45s, 3m, 2h, 5d; "?" if unknown.
   */
  static String age(String timestamp, Instant now) {
    Instant then;
    try {
      then = Instant.parse(timestamp);
    } catch (java.time.format.DateTimeParseException e) {
      return "?";
    }
    long s = Math.max(0, java.time.Duration.between(then, now).toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 2 * 3600) {
      return s / 60 + "m";
    }
    if (s < 2 * 86400) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
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
