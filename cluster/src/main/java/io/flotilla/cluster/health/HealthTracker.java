package io.flotilla.cluster.health;

import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.ProbeResult;
import java.time.Instant;
import java.util.Optional;

/**
 * One member's health state machine. Pure: probe results and their times go in, the health to
 * report comes out.
 *
 * <p>Undecided at first (unless seeded): {@code successThreshold} consecutive successes make it
 * Ready, {@code failureThreshold} consecutive failures NotReady. A Ready member turns NotReady
 * after {@code failureThreshold} consecutive failures, with the last failure's reason; a NotReady
 * member turns Ready after {@code successThreshold} consecutive successes. A success resets the
 * failure count and a failure the success count, so a flapping member keeps its state.
 */
final class HealthTracker {
  private final HealthSettings settings;
  private Optional<MemberHealth> health;
  private Optional<Instant> lastHeartbeat;
  private int failures;
  private int successes;

  HealthTracker(HealthSettings settings, Optional<MemberHealth> seed) {
    this.settings = settings;
    this.health = seed;
    this.lastHeartbeat = seed.flatMap(MemberHealth::lastHeartbeatTime);
  }

  /** The decided health, its probe and heartbeat times kept current; empty while undecided. */
  Optional<MemberHealth> health() {
    return health;
  }

  /** True when the latest probe succeeded. */
  boolean lastProbeSucceeded() {
    return successes > 0;
  }

  /** Records a probe that started at {@code at}; returns the health to report, if it changed. */
  Optional<MemberHealth> record(ProbeResult result, Instant at) {
    return result.ok() ? succeeded(at) : failed(result.failure().get(), result.message(), at);
  }

  private Optional<MemberHealth> succeeded(Instant at) {
    successes++;
    failures = 0;
    lastHeartbeat = Optional.of(at);
    boolean ready = health.map(MemberHealth::ready).orElse(false);
    if (!ready && successes >= settings.successThreshold()) {
      health =
          Optional.of(
              MemberHealth.ready(
                  "answered " + successes + " consecutive health probes", at, at, at));
      return health;
    }
    health = health.map(h -> touch(h, at));
    return Optional.empty();
  }

  private Optional<MemberHealth> failed(FailureReason reason, String message, Instant at) {
    failures++;
    successes = 0;
    String text = failures + " consecutive health probes failed; the last: " + message;
    if (health.isPresent() && !health.get().ready()) {
      MemberHealth before = health.get();
      health =
          Optional.of(
              MemberHealth.notReady(reason, text, at, lastHeartbeat, before.lastTransitionTime()));
      return before.reason().equals(reason.conditionReason()) ? Optional.empty() : health;
    }
    if (failures >= settings.failureThreshold()) {
      health = Optional.of(MemberHealth.notReady(reason, text, at, lastHeartbeat, at));
      return health;
    }
    health = health.map(h -> touch(h, at));
    return Optional.empty();
  }

  private MemberHealth touch(MemberHealth h, Instant at) {
    return new MemberHealth(
        h.ready(), h.reason(), h.message(), at, lastHeartbeat, h.lastTransitionTime());
  }
}
