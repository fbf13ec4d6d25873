package io.flotilla.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code flotilla view}: the global view, every instance of every Middleware. */
@Command(
    name = "view",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the global view: every instance of every Middleware with its cluster, id, pod,"
          + " address and readiness, then every member cluster's health."
    },
    footer = {
      "",
      "Exit codes: 0 shown, 1 refused by the server (its message printed), 3 server unreachable.",
      "",
      "Examples:",
      "  flotilla view",
      "  flotilla view -o json | jq '.middlewares[].instances[] | select(.ready | not)'"
    })
final class ViewCommand implements Callable<Integer> {
  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Mixin private ServerOptions server;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, yaml or json (default: ${DEFAULT-VALUE}).")
  private OutputFormat output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return Client.run(
        server,
        spec.commandLine().getErr(),
        client -> {
          JsonNode view = client.get("api/v1/view");
          if (output != OutputFormat.table) {
            Client.print(out, output, view);
          } else {
            print(view, out);
          }
          return 0;
        });
  }

  static void print(JsonNode view, PrintWriter out) {
    Table instances =
        new Table().row("MIDDLEWARE", "TYPE", "ROLE", "CLUSTER", "ID", "POD", "ADDRESS", "READY");
    for (JsonNode m : view.path("middlewares")) {
      String name = Client.text(m, "/namespace") + "/" + Client.text(m, "/name");
      if (m.path("instances").isEmpty()) {
        instances.row(name, Client.text(m, "/type"), "-", "-", "-", "-", "-", "-");
      }
      for (JsonNode i : m.path("instances")) {
        instances.row(
            name,
            Client.text(m, "/type"),
            Client.text(i, "/role"),
            Client.text(i, "/cluster"),
            Client.text(i, "/id"),
            Client.text(i, "/pod"),
            Client.text(i, "/address"),
            Client.text(i, "/ready"));
      }
    }
    if (instances.isEmpty()) {
      out.println("No middlewares.");
    } else {
      instances.print(out);
    }
    out.println();
    Table clusters = new Table().row("CLUSTER", "READY", "LAST HEARTBEAT");
    for (JsonNode c : view.path("clusters")) {
      JsonNode age = c.path("heartbeatAgeSeconds");
      clusters.row(
          Client.text(c, "/name"),
          Client.text(c, "/ready"),
          age.isNumber() ? age.asLong() + "s ago" : "never");
    }
    if (clusters.isEmpty()) {
      out.println("No member clusters.");
    } else {
      clusters.print(out);
    }
  }
}
