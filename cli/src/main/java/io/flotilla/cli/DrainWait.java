package io.flotilla.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@code cluster drain --wait}: follows every Middleware with a share on the drained cluster until
 * none has one, printing each change of state; stops at the first Middleware the scheduler cannot
 * move ({@code Scheduled=False}) or a failed rollout, or at the timeout.
 *
 * <p>A Middleware is off the cluster once neither its placement nor what its membership holds
 * ({@code status.running}) names the cluster and it is Available again: its instances there are
 * deleted and its members reconfigured.
 */
final class DrainWait {
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final String OFF = "off ";

  private final ApiClient client;
  private final PrintWriter out;
  private final Duration timeout;

  DrainWait(ApiClient client, PrintWriter out, Duration timeout) {
    this.client = client;
    this.out = out;
    this.timeout = timeout;
  }

  /**
   * One Middleware's state against the drained cluster.
   *
   * @param what {@code middleware.flotilla.io/ns/name}
   * @param left instances still placed or running there
   * @param failure why it cannot move, when it cannot
   * @param line its state in words, for progress
   */
  record Share(String what, int left, boolean off, Optional<String> failure, String line) {
    static Optional<Share> of(JsonNode mw, String cluster) {
      String what =
          "middleware.flotilla.io/"
              + mw.at("/metadata/namespace").asString("default")
              + "/"
              + mw.at("/metadata/name").asString("");
      int placed = count(mw.at("/status/placement"), cluster);
      int running = count(mw.at("/status/running"), cluster);
      if (placed == 0 && running == 0 && !stillListed(mw, cluster)) {
        return Optional.empty();
      }
      Map<String, JsonNode> conditions = ConditionText.byType(mw);
      JsonNode scheduled = conditions.get("Scheduled");
      if (scheduled != null && !ConditionText.isTrue(scheduled)) {
        return Optional.of(
            new Share(
                what,
                Math.max(placed, running),
                false,
                Optional.of("cannot move: " + ConditionText.words(scheduled)),
                ""));
      }
      JsonNode propagated = conditions.get("Propagated");
      if (propagated != null && propagated.path("reason").asString("").equals("RolloutFailed")) {
        return Optional.of(
            new Share(
                what,
                Math.max(placed, running),
                false,
                Optional.of("rollout failed: " + ConditionText.words(propagated)),
                ""));
      }
      int left = Math.max(placed, running);
      boolean available = ConditionText.isTrue(conditions.get("Available"));
      if (left == 0 && available) {
        return Optional.of(new Share(what, 0, true, Optional.empty(), OFF + cluster));
      }
      String state =
          placed > 0
              ? "waiting for the scheduler to move it"
              : available
                  ? "Available"
                  : ConditionText.firstNotTrue(conditions).orElse("waiting for the controller");
      return Optional.of(
          new Share(
              what,
              left,
              false,
              Optional.empty(),
              left + " instance" + (left == 1 ? "" : "s") + " on " + cluster + " (" + state + ")"));
    }

    /**
     * Whether the status still lists the cluster in its per-cluster rows (a share being emptied).
     */
    private static boolean stillListed(JsonNode mw, String cluster) {
      for (JsonNode row : mw.at("/status/clusters")) {
        if (row.path("name").asString("").equals(cluster)) {
          return true;
        }
      }
      return false;
    }

    private static int count(JsonNode placement, String cluster) {
      int n = 0;
      for (JsonNode role : placement) {
        n += role.path(cluster).asInt(0);
      }
      return n;
    }
  }

  /** Every Middleware's share on {@code cluster}, from a list of Middleware objects. */
  static List<Share> shares(JsonNode list, String cluster) {
    List<Share> out = new ArrayList<>();
    for (JsonNode mw : list.path("items")) {
      Share.of(mw, cluster).ifPresent(out::add);
    }
    return out;
  }

  /** Returns whether every Middleware left {@code cluster}. */
  boolean await(String cluster, String listPath) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Map<String, String> last = new LinkedHashMap<>();
    while (true) {
      List<Share> shares = shares(client.get(listPath), cluster);
      String seconds = String.format("%.0f s", (System.nanoTime() - start) / 1e9);
      boolean done = true;
      List<String> listed = shares.stream().map(Share::what).toList();
      for (String gone : List.copyOf(last.keySet())) {
        if (!listed.contains(gone)) {
          if (!last.get(gone).equals(OFF + cluster)) {
            out.println(gone + ": " + OFF + cluster);
          }
          last.remove(gone);
        }
      }
      for (Share s : shares) {
        if (s.failure().isPresent()) {
          out.println(s.what() + " " + s.failure().get());
          out.println("drain of " + cluster + " stopped after " + seconds);
          out.flush();
          return false;
        }
        if (!s.line().equals(last.get(s.what()))) {
          out.println(s.what() + ": " + s.line());
          last.put(s.what(), s.line());
        }
        done &= s.off();
      }
      out.flush();
      if (done) {
        out.println(cluster + " drained after " + seconds + ": no Middleware has a share there");
        out.flush();
        return true;
      }
      if (System.nanoTime() > deadline) {
        out.println(
            cluster
                + " not drained after "
                + timeout.toSeconds()
                + " s (--timeout): "
                + shares.stream().filter(s -> !s.off()).map(Share::what).toList());
        out.flush();
        return false;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
