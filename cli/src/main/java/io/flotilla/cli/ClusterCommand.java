package io.flotilla.cli;

import io.flotilla.server.ApiResource;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code flotilla cluster cordon|uncordon|drain NAME}: keep new replicas off a member cluster, or
 * move every share off it.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Acts on one member cluster. A cordoned cluster keeps every replica it runs but gets no new"
          + " one (the taint "
          + ClusterCommand.CORDONED
          + ":NoSchedule): the scheduler places new Middleware, scale-ups and failovers elsewhere."
          + " A drained cluster is cordoned and also tainted "
          + ClusterCommand.DRAINED
          + ":NoExecute: every Middleware with a share there is rescheduled off it and rolled out"
          + " as in a failover (the new share first, with fresh ids; then the drained copies are"
          + " deleted and the membership drops their ids). Uncordon removes both taints."
    },
    subcommands = {
      ClusterCommand.Cordon.class,
      ClusterCommand.Uncordon.class,
      ClusterCommand.Drain.class
    },
    footer = {
      "",
      "Examples:",
      "  flotilla cluster cordon dc1",
      "  flotilla cluster drain dc1 --wait --timeout 30m",
      "  flotilla cluster uncordon dc1"
    })
final class ClusterCommand implements Runnable {
  /** The taint {@code cordon} and {@code drain} add and {@code uncordon} removes. */
  static final String CORDONED = "flotilla.io/cordoned";

  /** The taint {@code drain} adds (with the cordon) and {@code uncordon} removes. */
  static final String DRAINED = "flotilla.io/drained";

  private static final Taint CORDON_TAINT = new Taint(CORDONED, "NoSchedule");
  private static final Taint DRAIN_TAINT = new Taint(DRAINED, "NoExecute");

  /** Tries of a read-modify-write before giving up (the health monitor writes status too). */
  private static final int TRIES = 5;

  private record Taint(String key, String effect) {}

  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /**
   * cordon, uncordon and drain: one read-modify-write of the cluster's taints, a line saying what
   * it did, then (drain --wait) what follows.
   */
  private abstract static class TaintChange implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin private ServerOptions server;

    @Parameters(index = "0", paramLabel = "NAME", description = "The member cluster.")
    String name;

    abstract List<Taint> add();

    abstract List<Taint> remove();

    /** What the line says after the cluster's name: when the taints changed, and when not. */
    abstract String changed();

    abstract String unchanged();

    /** Checks the options before anything is written; empty when they are fine. */
    Optional<String> badOption() {
      return Optional.empty();
    }

    /** What follows the change; returns the exit code. */
    int then(ApiClient client, PrintWriter out) {
      return 0;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Optional<String> bad = badOption();
      if (bad.isPresent()) {
        spec.commandLine().getErr().println("flotilla: " + bad.get());
        return Main.BAD_INPUT;
      }
      return Client.run(
          server,
          spec.commandLine().getErr(),
          client -> {
            boolean changed = change(client, name, add(), remove());
            out.println(what(name) + (changed ? changed() : unchanged()));
            out.flush();
            return then(client, out);
          });
    }
  }

  @Command(
      name = "cordon",
      mixinStandardHelpOptions = true,
      description = "Keeps new replicas off the cluster; what it runs stays.",
      footer = {"", "Example:", "  flotilla cluster cordon dc1"})
  static final class Cordon extends TaintChange {
    @Override
    List<Taint> add() {
      return List.of(CORDON_TAINT);
    }

    @Override
    List<Taint> remove() {
      return List.of();
    }

    @Override
    String changed() {
      return " cordoned: it keeps what it runs and gets no new replicas";
    }

    @Override
    String unchanged() {
      return " is cordoned already";
    }
  }

  @Command(
      name = "uncordon",
      mixinStandardHelpOptions = true,
      description =
          "Lets the scheduler place replicas on the cluster again (removes the cordon and the"
              + " drain). Nothing moves back by itself: new Middleware, scale-ups and failovers"
              + " may use the cluster again.",
      footer = {"", "Example:", "  flotilla cluster uncordon dc1"})
  static final class Uncordon extends TaintChange {
    @Override
    List<Taint> add() {
      return List.of();
    }

    @Override
    List<Taint> remove() {
      return List.of(CORDON_TAINT, DRAIN_TAINT);
    }

    @Override
    String changed() {
      return " uncordoned: the scheduler may place replicas there again";
    }

    @Override
    String unchanged() {
      return " is not cordoned";
    }
  }

  @Command(
      name = "drain",
      mixinStandardHelpOptions = true,
      description = {
        "Moves every Middleware share off the cluster, with the rolling rules of a failover: the"
            + " scheduler places each share elsewhere (healthy replicas elsewhere stay), the new"
            + " instances get fresh ids and are rolled out and ready first, then the drained"
            + " copies leave and the membership drops their ids. The cluster stays cordoned until"
            + " `flotilla cluster uncordon`.",
        "",
        "Exit codes: 0 drained (without --wait: the drain was asked), 1 no such cluster or,"
            + " with --wait, a Middleware that cannot move (the scheduler's reason printed), a"
            + " failed rollout or the timeout, 3 the API cannot be reached."
      },
      footer = {
        "",
        "Examples:",
        "  flotilla cluster drain dc1",
        "  flotilla cluster drain dc1 --wait --timeout 30m"
      })
  static final class Drain extends TaintChange {
    @Option(
        names = "--wait",
        description =
            "Follow the drain, printing each Middleware's progress, until none has a share on the"
                + " cluster (exit 0), one cannot move or fails (exit 1), or --timeout passes"
                + " (exit 1).")
    private boolean wait;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        defaultValue = "10m",
        description = "How long --wait waits, as 90s, 10m or 1h (default: ${DEFAULT-VALUE}).")
    private String timeout;

    private Duration limit;

    @Override
    List<Taint> add() {
      return List.of(CORDON_TAINT, DRAIN_TAINT);
    }

    @Override
    List<Taint> remove() {
      return List.of();
    }

    @Override
    String changed() {
      return " drained: every Middleware share moves off it, rolling as in a failover";
    }

    @Override
    String unchanged() {
      return " is drained already";
    }

    @Override
    Optional<String> badOption() {
      try {
        limit = ApplyCommand.duration(timeout);
        return Optional.empty();
      } catch (IllegalArgumentException e) {
        return Optional.of("--timeout " + e.getMessage());
      }
    }

    @Override
    int then(ApiClient client, PrintWriter out) {
      if (!wait) {
        return 0;
      }
      ApiResource middlewares =
          ApiResource.byKind("Middleware").orElseThrow(IllegalStateException::new);
      return new DrainWait(client, out, limit).await(name, middlewares.collectionPath("")) ? 0 : 1;
    }
  }

  private static String what(String name) {
    return clusters().qualifiedName() + "/" + name;
  }

  private static ApiResource clusters() {
    return ApiResource.byKind("MemberCluster").orElseThrow(IllegalStateException::new);
  }

  /**
   * Adds the taints {@code add} and removes {@code remove} in one read-modify-write, retried when
   * the object was written in between (its status, say).
   *
   * @return whether anything changed
   */
  private static boolean change(
      ApiClient client, String name, List<Taint> add, List<Taint> remove) {
    String path = clusters().objectPath("", name);
    for (int attempt = 1; ; attempt++) {
      ObjectNode object = (ObjectNode) client.get(path).deepCopy();
      ArrayNode taints = object.withObjectProperty("spec").withArrayProperty("taints");
      boolean changed = false;
      for (Taint t : remove) {
        int at = indexOf(taints, t);
        if (at >= 0) {
          taints.remove(at);
          changed = true;
        }
      }
      for (Taint t : add) {
        if (indexOf(taints, t) < 0) {
          taints.addObject().put("key", t.key()).put("value", "").put("effect", t.effect());
          changed = true;
        }
      }
      if (!changed) {
        return false;
      }
      object.remove("status");
      try {
        client.put(path, object);
        return true;
      } catch (ApiClient.Refused e) {
        if (e.status() == 409 && attempt < TRIES) {
          continue;
        }
        throw e;
      }
    }
  }

  /** The index of the taint, or -1. */
  private static int indexOf(ArrayNode taints, Taint taint) {
    for (int i = 0; i < taints.size(); i++) {
      JsonNode t = taints.get(i);
      if (t.path("key").asString("").equals(taint.key())
          && t.path("effect").asString("").equals(taint.effect())) {
        return i;
      }
    }
    return -1;
  }
}
