package io.flotilla.cli;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.server.ApiResource;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
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
          + " merge; the finalizers stay unless the file names some); its status is never"
          + " touched. Each object prints 'created', 'configured' or"
          + " 'unchanged'; an object the server refuses prints its problems, each naming its"
          + " field, and the others are still applied."
    },
    footer = {
      "",
      "Exit codes: 0 every object applied (with --wait: and every Middleware Available), 1 bad"
          + " input (file, field and reason printed) or, with --wait, a failure or the timeout,"
          + " 3 server unreachable.",
      "",
      "Examples:",
      "  flotilla apply -f examples/clusters.yaml",
      "  flotilla apply -f examples/zookeeper.yaml --wait --timeout 5m",
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

  @Option(
      names = "--wait",
      description =
          "After applying, follow every Middleware applied until it is Available (exit 0), or"
              + " until the controller reports a failure or --timeout passes (exit 1), printing"
              + " each change of its state.")
  private boolean wait;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10m",
      description = "How long --wait waits, as 90s, 10m or 1h (default: ${DEFAULT-VALUE}).")
  private String timeout;

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
    Duration limit;
    try {
      limit = duration(timeout);
    } catch (IllegalArgumentException e) {
      err.println("flotilla: --timeout " + e.getMessage());
      return Main.BAD_INPUT;
    }
    return Client.run(
        server,
        err,
        client -> {
          int failed = 0;
          List<Applied> applied = new ArrayList<>();
          for (Manifest m : manifests) {
            try {
              Applied a = apply(client, m);
              out.println(a.line());
              applied.add(a);
            } catch (InvalidInputException e) {
              err.println("flotilla: " + e.getMessage());
              failed++;
            } catch (ApiClient.Refused e) {
              Client.printRefused(err, m.describe() + ": ", e);
              failed++;
            }
            out.flush();
          }
          if (failed > 0) {
            return Main.BAD_INPUT;
          }
          if (wait) {
            List<Applied> middleware =
                applied.stream().filter(a -> a.kind().equals("Middleware")).toList();
            return new AvailabilityWait(client, out, limit).await(middleware) ? 0 : 1;
          }
          return 0;
        });
  }

  /**
   * One object applied.
   *
   * @param path its API path
   * @param what how it is named in output, as {@code middleware.flotilla.io/zk}
   * @param resourceVersion the version the apply left (a later one was written by the controller)
   * @param generation its spec generation after the apply
   * @param unchanged the apply changed nothing (its status already speaks of this spec)
   * @param line what the apply printed
   */
  record Applied(
      String kind,
      String path,
      String what,
      String resourceVersion,
      long generation,
      boolean unchanged,
      String line) {}

  /** "90s", "10m", "1h": a positive whole number of seconds, minutes or hours. */
  static Duration duration(String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([0-9]{1,6})([smh])").matcher(text);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalArgumentException(
          "must be a positive whole number of seconds, minutes or hours (90s, 10m, 1h), got \""
              + text
              + "\"");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** Creates or updates one object. */
  private Applied apply(ApiClient client, Manifest m) {
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
    String path = resource.objectPath(ns, m.name());
    Optional<JsonNode> existing = client.find(path);
    if (existing.isEmpty()) {
      JsonNode created = client.post(resource.collectionPath(ns), object);
      return applied(resource, path, what, created, false, what + " created");
    }
    String before = existing.get().at("/metadata/resourceVersion").asString("");
    ObjectNode meta = object.withObjectProperty("metadata");
    meta.put("resourceVersion", before);
    // finalizers belong to the controllers that set them: a file that names none keeps them
    JsonNode finalizers = existing.get().at("/metadata/finalizers");
    if (!meta.has("finalizers") && finalizers.isArray()) {
      meta.set("finalizers", finalizers.deepCopy());
    }
    JsonNode after = client.put(path, object);
    boolean changed = !after.at("/metadata/resourceVersion").asString("").equals(before);
    return applied(
        resource, path, what, after, !changed, what + (changed ? " configured" : " unchanged"));
  }

  private static Applied applied(
      ApiResource resource,
      String path,
      String what,
      JsonNode answer,
      boolean unchanged,
      String line) {
    return new Applied(
        resource.kind(),
        path,
        what,
        answer.at("/metadata/resourceVersion").asString(""),
        answer.at("/metadata/generation").asLong(0),
        unchanged,
        line);
  }

  private static InvalidInputException bad(Manifest m, String field, String why) {
    return new InvalidInputException(
        m.describe(), List.of(new io.flotilla.api.Problem(field, why)));
  }
}
