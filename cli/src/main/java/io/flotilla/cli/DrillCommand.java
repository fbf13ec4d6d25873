package io.flotilla.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code flotilla drill CLUSTER --dry-run}: what losing a cluster would do, changing nothing. */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description = {
      "A what-if for failure drills: from the live state, shows every Middleware that losing"
          + " CLUSTER would touch, the instances lost, where they would go, whether each voter"
          + " set keeps its quorum, and the capacity left in every other cluster afterwards."
          + " Nothing is changed."
    },
    footer = {
      "",
      "Exit codes: 0 shown, 1 bad input or refused (an unknown cluster, say),"
          + " 3 server unreachable.",
      "",
      "Examples:",
      "  flotilla drill dc2 --dry-run",
      "  flotilla drill dc2 --dry-run -o json > drill-dc2.json"
    })
final class DrillCommand implements Callable<Integer> {
  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Mixin private ServerOptions server;

  @Parameters(index = "0", paramLabel = "CLUSTER", description = "The member cluster to lose.")
  private String cluster;

  @Option(
      names = "--dry-run",
      description = "Only show what would happen (required: the only kind of drill offered).")
  private boolean dryRun;

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
    if (!dryRun) {
      err.println(
          "flotilla: only --dry-run drills are supported: run 'flotilla drill "
              + cluster
              + " --dry-run'");
      return Main.BAD_INPUT;
    }
    return Client.run(
        server,
        err,
        client -> {
          JsonNode drill =
              client.post(
                  "api/v1/drill/"
                      + URLEncoder.encode(cluster, StandardCharsets.UTF_8)
                      + "?dryRun=true",
                  null);
          if (output != OutputFormat.table) {
            Client.print(out, output, drill);
          } else {
            print(drill, out);
          }
          return 0;
        });
  }

  static void print(JsonNode drill, PrintWriter out) {
    String cluster = Client.text(drill, "/cluster");
    JsonNode middlewares = drill.path("middlewares");
    int lose = 0;
    int stuck = 0;
    Table moves =
        new Table().row("MIDDLEWARE", "ROLE", "LOST IDS", "MOVES TO", "SCHEDULABLE", "REASON");
    Table voters =
        new Table().row("MIDDLEWARE", "ROLE", "VOTERS BEFORE", "AFTER", "QUORUM", "KEEPS QUORUM");
    for (JsonNode m : middlewares) {
      String name = Client.text(m, "/namespace") + "/" + Client.text(m, "/name");
      boolean schedulable = m.path("schedulable").asBoolean(false);
      if (!schedulable) {
        stuck++;
      }
      List<String> roles = new ArrayList<>();
      m.path("lostInstances").forEach(i -> addOnce(roles, i.path("role").asString("")));
      m.path("moves").forEach(i -> addOnce(roles, i.path("role").asString("")));
      if (roles.isEmpty()) {
        roles.add("-");
      }
      for (String role : roles) {
        List<String> ids = new ArrayList<>();
        for (JsonNode i : m.path("lostInstances")) {
          if (role.equals(i.path("role").asString(""))) {
            ids.add(i.path("id").asString(""));
          }
        }
        List<String> to = new ArrayList<>();
        for (JsonNode mv : m.path("moves")) {
          if (role.equals(mv.path("role").asString(""))) {
            to.add(Client.text(mv, "/to") + " +" + Client.text(mv, "/count"));
          }
        }
        moves.row(
            name,
            role,
            ids.isEmpty() ? "-" : String.join(",", ids),
            to.isEmpty() ? "-" : String.join(", ", to),
            schedulable ? "yes" : "NO",
            Client.text(m, "/reason"));
      }
      for (JsonNode v : m.path("voters")) {
        boolean keeps = v.path("keepsQuorum").asBoolean(false);
        if (!keeps) {
          lose++;
        }
        voters.row(
            name,
            Client.text(v, "/role"),
            Client.text(v, "/before"),
            Client.text(v, "/after"),
            Client.text(v, "/quorum"),
            keeps ? "yes" : "NO");
      }
    }
    out.println(
        "Drill: losing cluster "
            + cluster
            + " (dry run, nothing changed): "
            + middlewares.size()
            + (middlewares.size() == 1 ? " middleware" : " middlewares")
            + " touched, "
            + lose
            + (lose == 1 ? " voter set loses" : " voter sets lose")
            + " quorum, "
            + stuck
            + " cannot be rescheduled.");
    if (!moves.isEmpty()) {
      out.println();
      moves.print(out);
    }
    if (!voters.isEmpty()) {
      out.println();
      voters.print(out);
    }
    Table capacity = new Table().row("CLUSTER", "CPU FREE AFTER", "MEMORY FREE AFTER");
    for (JsonNode c : drill.path("capacityAfter")) {
      capacity.row(
          Client.text(c, "/cluster"), Client.text(c, "/cpuFree"), Client.text(c, "/memoryFree"));
    }
    if (!capacity.isEmpty()) {
      out.println();
      capacity.print(out);
    }
  }

  private static void addOnce(List<String> list, String value) {
    if (!list.contains(value)) {
      list.add(value);
    }
  }
}
