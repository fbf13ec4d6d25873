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
 * {@code apply --wait}: follows applied Middleware until each is Available, printing every change
 * of its state, and stops at the first failure the controller reports or at the timeout.
 *
 * <p>What counts: Available once the controller has placed this generation ({@code
 * status.observedGeneration}) and says {@code Available=True}. A failure — {@code Scheduled=False}
 * (an invalid spec, or no placement fits), or {@code Propagated=False} with reason {@code
 * RolloutFailed} — counts only once the controller has written the object since the apply (its
 * resourceVersion moved on; the controller is its only other writer), or when the apply changed
 * nothing: a status older than the apply may speak of the spec before it.
 */
final class AvailabilityWait {
  private static final Duration POLL = Duration.ofSeconds(1);

  private final ApiClient client;
  private final PrintWriter out;
  private final Duration timeout;

  AvailabilityWait(ApiClient client, PrintWriter out, Duration timeout) {
    this.client = client;
    this.out = out;
    this.timeout = timeout;
  }

  /** Returns whether every one became Available. */
  boolean await(List<ApplyCommand.Applied> middleware) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Map<ApplyCommand.Applied, String> last = new LinkedHashMap<>();
    List<ApplyCommand.Applied> pending = new ArrayList<>(middleware);
    while (!pending.isEmpty()) {
      for (ApplyCommand.Applied a : List.copyOf(pending)) {
        Optional<JsonNode> now = client.find(a.path());
        String seconds = String.format("%.0f s", (System.nanoTime() - start) / 1e9);
        if (now.isEmpty()) {
          out.println(a.what() + " deleted while waiting for it");
          out.flush();
          return false;
        }
        State s = State.of(now.get(), a);
        if (s.available()) {
          out.println(a.what() + " available after " + seconds);
          pending.remove(a);
        } else if (s.failure().isPresent()) {
          out.println(a.what() + " failed after " + seconds + ": " + s.failure().get());
          out.flush();
          return false;
        } else if (!s.line().equals(last.get(a))) {
          out.println(a.what() + ": " + s.line());
          last.put(a, s.line());
        }
        out.flush();
      }
      if (pending.isEmpty()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        for (ApplyCommand.Applied a : pending) {
          out.println(
              a.what()
                  + " not available after "
                  + timeout.toSeconds()
                  + " s (--timeout): "
                  + last.getOrDefault(a, "no status yet"));
        }
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
    return true;
  }

  /**
   * One look at a Middleware.
   *
   * @param line its state in words: the first of Scheduled, Propagated and Available that is not
   *     True, with its reason and message
   */
  record State(boolean available, Optional<String> failure, String line) {
    static State of(JsonNode mw, ApplyCommand.Applied a) {
      Map<String, JsonNode> conditions = ConditionText.byType(mw);
      boolean observed = mw.at("/status/observedGeneration").asLong(0) >= a.generation();
      boolean judged =
          a.unchanged()
              || !mw.at("/metadata/resourceVersion").asString("").equals(a.resourceVersion());
      if (observed && ConditionText.isTrue(conditions.get("Available"))) {
        return new State(true, Optional.empty(), "Available");
      }
      JsonNode scheduled = conditions.get("Scheduled");
      if (judged && scheduled != null && !ConditionText.isTrue(scheduled)) {
        return new State(
            false, Optional.of("not scheduled: " + ConditionText.words(scheduled)), "");
      }
      JsonNode propagated = conditions.get("Propagated");
      if (judged
          && observed
          && propagated != null
          && propagated.path("reason").asString("").equals("RolloutFailed")) {
        return new State(
            false, Optional.of("rollout failed: " + ConditionText.words(propagated)), "");
      }
      return new State(
          false,
          Optional.empty(),
          ConditionText.firstNotTrue(conditions).orElse("waiting for the controller"));
    }
  }
}
