package io.flotilla.cli;

import io.flotilla.server.ApiResource;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code flotilla delete KIND NAME}: delete one object through the API. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes one object. An object with finalizers is marked for deletion and removed once"
          + " the controller has cleaned up after it (deleting a Middleware removes its instances"
          + " from every member cluster)."
    },
    footer = {
      "",
      "Exit codes: 0 deleted, 1 bad input or refused (not found, say), 3 server unreachable.",
      "",
      "Examples:",
      "  flotilla delete middleware zk",
      "  flotilla delete overridepolicy zk-dc1 -n payments",
      "  flotilla delete membercluster lab"
    })
final class DeleteCommand implements Callable<Integer> {
  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Mixin private ServerOptions server;

  @Parameters(index = "0", paramLabel = "KIND", description = "The kind of object.")
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
    return Client.run(
        server,
        spec.commandLine().getErr(),
        client -> {
          ApiResource resource = KindArgument.resolve(kind);
          String ns = resource.namespaced() ? namespace : "";
          JsonNode answer = client.delete(resource.objectPath(ns, name));
          String what = resource.qualifiedName() + "/" + name;
          if ("Status".equals(answer.path("kind").asString(""))) {
            out.println(what + " deleted");
          } else {
            out.println(
                what
                    + " marked for deletion; waiting for finalizers "
                    + answer.at("/metadata/finalizers"));
          }
          return 0;
        });
  }
}
