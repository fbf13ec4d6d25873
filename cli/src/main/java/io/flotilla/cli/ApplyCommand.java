package io.flotilla.cli;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.server.ApiResource;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code flotilla apply -f FILE}: create or update every object of a file through the API. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Creates or updates every object of a YAML (documents separated by ---) or JSON file through"
          + " the Flotilla server: Middleware, MemberCluster, PropagationPolicy, OverridePolicy.",
      "An object that exists is replaced by the file's (spec, labels, annotations; no three-way"
          + " merge); its status is never touched. Each object prints 'created', 'configured' or"
          + " 'unchanged'; an object the server refuses prints its problems, each naming its"
          + " field, and the others are still applied."
    },
    footer = {
      "",
      "Exit codes: 0 every object applied, 1 bad input (file, field and reason printed),"
          + " 3 server unreachable.",
      "",
      "Examples:",
      "  flotilla apply -f examples/clusters.yaml",
      "  flotilla apply -f examples/zookeeper.yaml --server http://127.0.0.1:8080",
      "  flotilla get middleware zk -o yaml | flotilla apply -f -"
    })
final class ApplyCommand implements Callable<Integer> {
  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Mixin private ServerOptions server;

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE",
      description = "The objects (YAML or JSON; '-' reads standard input).")
  private String file;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "Namespace of namespaced objects that name none (default: default).")
  private String namespace;

  private final InputStream stdin;

  ApplyCommand() {
    this(System.in);
  }

  ApplyCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Manifest> manifests;
    try {
      manifests = ManifestReader.read(file, InputFiles.read(file, stdin));
    } catch (InvalidInputException e) {
      err.println("flotilla: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    if (manifests.isEmpty()) {
      err.println("flotilla: " + file + ": no objects to apply");
      return Main.BAD_INPUT;
    }
    return Client.run(
        server,
        err,
        client -> {
          int failed = 0;
          for (Manifest m : manifests) {
            try {
              out.println(apply(client, m));
            } catch (InvalidInputException e) {
              err.println("flotilla: " + e.getMessage());
              failed++;
            } catch (ApiClient.Refused e) {
              Client.printRefused(err, m.describe() + ": ", e);
              failed++;
            }
            out.flush();
          }
          return failed == 0 ? 0 : Main.BAD_INPUT;
        });
  }

  /** Creates or updates one object; returns the line to print. */
  private String apply(ApiClient client, Manifest m) {
    ApiResource resource =
        ApiResource.byKind(m.kind())
            .filter(ApiResource::writable)
            .orElseThrow(
                () ->
                    bad(
                        m,
                        "kind",
                        m.kind().isEmpty()
                            ? "required"
                            : "\""
                                + m.kind()
                                + "\" is not a kind the server accepts: Middleware,"
                                + " MemberCluster, PropagationPolicy or OverridePolicy"));
    ObjectNode object = (ObjectNode) m.node().deepCopy();
    if (m.name().isEmpty()) {
      throw bad(m, "metadata.name", "required");
    }
    String ns = "";
    if (resource.namespaced()) {
      ObjectNode meta = object.withObjectProperty("metadata");
      String given = meta.path("namespace").asString("");
      if (!given.isEmpty() && namespace != null && !given.equals(namespace)) {
        throw bad(
            m,
            "metadata.namespace",
            "is \"" + given + "\", not the namespace -n gives (\"" + namespace + "\")");
      }
      ns = !given.isEmpty() ? given : namespace != null ? namespace : "default";
      meta.put("namespace", ns);
    }
    String what = resource.qualifiedName() + "/" + m.name();
    Optional<JsonNode> existing = client.find(resource.objectPath(ns, m.name()));
    if (existing.isEmpty()) {
      client.post(resource.collectionPath(ns), object);
      return what + " created";
    }
    String before = existing.get().at("/metadata/resourceVersion").asString("");
    object.withObjectProperty("metadata").put("resourceVersion", before);
    JsonNode after = client.put(resource.objectPath(ns, m.name()), object);
    boolean changed = !after.at("/metadata/resourceVersion").asString("").equals(before);
    return what + (changed ? " configured" : " unchanged");
  }

  private static InvalidInputException bad(Manifest m, String field, String why) {
    return new InvalidInputException(
        m.describe(), List.of(new io.flotilla.api.Problem(field, why)));
  }
}
