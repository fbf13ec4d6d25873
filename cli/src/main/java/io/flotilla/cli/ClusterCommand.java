package io.flotilla.cli;

import io.flotilla.server.ApiResource;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code flotilla cluster cordon|uncordon NAME}: keep new replicas off a member cluster. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Acts on one member cluster. A cordoned cluster keeps every replica it runs but gets no new"
          + " one (the taint "
          + ClusterCommand.CORDONED
          + ":NoSchedule): the scheduler places new"
          + " Middleware, scale-ups and failovers elsewhere."
    },
    subcommands = {ClusterCommand.Cordon.class, ClusterCommand.Uncordon.class},
    footer = {"", "Examples:", "  flotilla cluster cordon dc1", "  flotilla cluster uncordon dc1"})
final class ClusterCommand implements Runnable {
  /** The taint {@code cordon} adds and {@code uncordon} removes. */
  static final String CORDONED = "flotilla.io/cordoned";

  /** Tries of a read-modify-write before giving up (the health monitor writes status too). */
  private static final int TRIES = 5;

  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** cordon and uncordon: the same read-modify-write, adding or removing the taint. */
  private abstract static class TaintChange implements Callable<Integer> {
    @Spec private picocli.CommandLine.Model.CommandSpec spec;
    @Mixin private ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The member cluster.")
    private String name;

    /** Whether the cluster is to be cordoned (else uncordoned). */
    abstract boolean cordon();

    @Override
    public Integer call() {
      return change(spec, server, name, cordon());
    }
  }

  @Command(
      name = "cordon",
      mixinStandardHelpOptions = true,
      description = "Keeps new replicas off the cluster; what it runs stays.",
      footer = {"", "Example:", "  flotilla cluster cordon dc1"})
  static final class Cordon extends TaintChange {
    @Override
    boolean cordon() {
      return true;
    }
  }

  @Command(
      name = "uncordon",
      mixinStandardHelpOptions = true,
      description = "Lets the scheduler place replicas on the cluster again.",
      footer = {"", "Example:", "  flotilla cluster uncordon dc1"})
  static final class Uncordon extends TaintChange {
    @Override
    boolean cordon() {
      return false;
    }
  }

  private static Integer change(
      picocli.CommandLine.Model.CommandSpec spec, ServerOptions server, String name, boolean on) {
    PrintWriter out = spec.commandLine().getOut();
    return Client.run(
        server,
        spec.commandLine().getErr(),
        client -> {
          ApiResource clusters =
              ApiResource.byKind("MemberCluster").orElseThrow(IllegalStateException::new);
          String path = clusters.objectPath("", name);
          String what = clusters.qualifiedName() + "/" + name;
          for (int attempt = 1; ; attempt++) {
            ObjectNode object = (ObjectNode) client.get(path).deepCopy();
            ArrayNode taints = object.withObjectProperty("spec").withArrayProperty("taints");
            int at = cordonTaint(taints);
            if ((at >= 0) == on) {
              out.println(what + (on ? " is cordoned already" : " is not cordoned"));
              return 0;
            }
            if (on) {
              taints.addObject().put("key", CORDONED).put("value", "").put("effect", "NoSchedule");
            } else {
              taints.remove(at);
            }
            object.remove("status");
            try {
              client.put(path, object);
            } catch (ApiClient.Refused e) {
              if (e.status() == 409 && attempt < TRIES) {
                continue; // written in between (its status, say): read it again
              }
              throw e;
            }
            out.println(
                what
                    + (on
                        ? " cordoned: it keeps what it runs and gets no new replicas"
                        : " uncordoned: the scheduler may place replicas there again"));
            return 0;
          }
        });
  }

  /** The index of the cordon taint, or -1. */
  private static int cordonTaint(ArrayNode taints) {
    for (int i = 0; i < taints.size(); i++) {
      JsonNode t = taints.get(i);
      if (t.path("key").asString("").equals(CORDONED)
          && t.path("effect").asString("").equals("NoSchedule")) {
        return i;
      }
    }
    return -1;
  }
}
