package io.flotilla.cluster.health;

import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.ProbeResult;
import io.flotilla.cluster.ResourceUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches over member clusters: probes each every {@link HealthSettings#interval()}, decides its
 * health with a {@link HealthTracker}, and reads its resource summary every {@link
 * HealthSettings#summaryInterval()} while its probes succeed.
 *
 * <p>Time and execution are explicit. Nothing happens between calls to {@link #tick()}, which
 * starts what is due at {@code clock.instant()} on the given executor and takes in what has
 * finished; a {@link HealthMonitorDriver} calls it a few times per interval in production, tests
 * call it after moving a clock. With a direct executor ({@code Runnable::run}) a tick's probes
 * finish within it; with a thread pool, probes of different members run in parallel and a result is
 * taken in by the first tick after it arrives. A tick never waits for a probe.
 *
 * <p>Thread-safe: members may be added and removed while a driver ticks.
 */
public final class HealthMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

  /** Time a member may overrun its probe timeout before the monitor counts the probe failed. */
  private static final Duration OVERRUN_GRACE = Duration.ofSeconds(1);

  private final HealthSettings settings;
  private final Clock clock;
  private final Executor executor;
  private final HealthListener listener;
  private final Map<String, Tracked> members = new TreeMap<>();

  public HealthMonitor(
      HealthSettings settings, Clock clock, Executor executor, HealthListener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  public HealthSettings settings() {
    return settings;
  }

  /** Starts watching a member whose health is not known: its first probe is due now. */
  public void add(Member member) {
    add(member, Optional.empty());
  }

  /**
   * Starts watching a member whose last known health is {@code known} (as its MemberCluster's Ready
   * condition says after a restart), so that thresholds count from there.
   */
  public void add(Member member, Optional<MemberHealth> known) {
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(known, "known");
    synchronized (members) {
      if (members.containsKey(member.name())) {
        throw new IllegalArgumentException("member " + member.name() + " is already monitored");
      }
      members.put(
          member.name(), new Tracked(member, new HealthTracker(settings, known), clock.instant()));
    }
  }

  /**
   * Stops watching a member; a probe in flight is forgotten. Returns false if it was not watched.
   */
  public boolean remove(String member) {
    synchronized (members) {
      return members.remove(member) != null;
    }
  }

  /** The member's current health, empty while undecided or when the member is not watched. */
  public Optional<MemberHealth> health(String member) {
    synchronized (members) {
      Tracked t = members.get(member);
      return t == null ? Optional.empty() : t.tracker.health();
    }
  }

  /** The watched members' names, sorted. */
  public List<String> members() {
    synchronized (members) {
      return List.copyOf(members.keySet());
    }
  }

  /**
   * Starts the probes and summaries due now, takes in those that have finished, tells the listener,
   * and returns the health changes in member name order.
   */
  public List<HealthChange> tick() {
    Instant now = clock.instant();
    List<Event> events = new ArrayList<>();
    synchronized (members) {
      collect(events);
      for (Tracked t : members.values()) {
        if (t.probe == null && !now.isBefore(t.nextProbe)) {
          startProbe(t, now);
        }
      }
      collect(events);
      for (Tracked t : members.values()) {
        if (t.summary == null && !now.isBefore(t.nextSummary) && t.tracker.lastProbeSucceeded()) {
          startSummary(t, now);
        }
      }
      collect(events);
    }
    events.sort(Comparator.comparing(Event::member));
    List<HealthChange> changes = new ArrayList<>();
    for (Event e : events) {
      e.change().ifPresent(changes::add);
      e.notifyListener(listener);
    }
    return List.copyOf(changes);
  }

  private void startProbe(Tracked t, Instant now) {
    Member member = t.member;
    Duration timeout = settings.timeout();
    try {
      t.probe =
          CompletableFuture.supplyAsync(() -> probe(member, timeout), executor)
              .completeOnTimeout(
                  ProbeResult.failed(
                      FailureReason.TIMEOUT,
                      "member cluster "
                          + member.name()
                          + ": health probe did not return within "
                          + timeout.toMillis()
                          + "ms",
                      timeout),
                  timeout.plus(OVERRUN_GRACE).toMillis(),
                  TimeUnit.MILLISECONDS);
      t.probeStarted = now;
    } catch (RejectedExecutionException e) {
      LOG.atWarn()
          .addKeyValue("cluster", member.name())
          .log("health probe not started: executor refused it");
    }
    Instant next = t.nextProbe.plus(settings.interval());
    t.nextProbe = next.isAfter(now) ? next : now.plus(settings.interval());
  }

  private static ProbeResult probe(Member member, Duration timeout) {
    try {
      return member.probe(timeout);
    } catch (RuntimeException e) {
      return ProbeResult.failed(
          e instanceof MemberException m ? m.reason() : FailureReason.ERROR,
          "member cluster " + member.name() + ": health probe threw " + e,
          Duration.ZERO);
    }
  }

  /** A finished probe's result; a probe that failed to return one counts as an ERROR failure. */
  private static ProbeResult outcome(String member, CompletableFuture<ProbeResult> probe) {
    try {
      return probe.join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return ProbeResult.failed(
          FailureReason.ERROR,
          "member cluster " + member + ": health probe failed: " + cause,
          Duration.ZERO);
    }
  }

  private void startSummary(Tracked t, Instant now) {
    Member member = t.member;
    try {
      t.summary = CompletableFuture.supplyAsync(member::resources, executor);
    } catch (RejectedExecutionException e) {
      LOG.atWarn()
          .addKeyValue("cluster", member.name())
          .log("resource summary not started: executor refused it");
    }
    t.nextSummary = now.plus(settings.summaryInterval());
  }

  /** Takes in finished probes and summaries. */
  private void collect(List<Event> events) {
    for (Tracked t : members.values()) {
      if (t.probe != null && t.probe.isDone()) {
        ProbeResult result = outcome(t.member.name(), t.probe);
        t.probe = null;
        Optional<MemberHealth> before = t.tracker.health();
        Optional<MemberHealth> after = t.tracker.record(result, t.probeStarted);
        after.ifPresent(
            h -> {
              log(t.member.name(), h);
              events.add(Event.health(new HealthChange(t.member.name(), before, h)));
            });
      }
      if (t.summary != null && t.summary.isDone()) {
        CompletableFuture<ResourceUsage> done = t.summary;
        t.summary = null;
        try {
          events.add(Event.resources(t.member.name(), done.join()));
        } catch (RuntimeException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          LOG.atWarn()
              .addKeyValue("cluster", t.member.name())
              .addKeyValue(
                  "reason", cause instanceof MemberException m ? m.reason() : FailureReason.ERROR)
              .log("resource summary not refreshed: {}", cause.getMessage());
        }
      }
    }
  }

  private static void log(String member, MemberHealth h) {
    if (h.ready()) {
      LOG.atInfo()
          .addKeyValue("cluster", member)
          .addKeyValue("ready", true)
          .log("member cluster Ready");
    } else {
      LOG.atWarn()
          .addKeyValue("cluster", member)
          .addKeyValue("ready", false)
          .addKeyValue("reason", h.reason())
          .log("member cluster NotReady: {}", h.message());
    }
  }

  /** One member's bookkeeping; guarded by {@code members}. */
  private static final class Tracked {
    final Member member;
    final HealthTracker tracker;
    Instant nextProbe;
    Instant nextSummary;
    CompletableFuture<ProbeResult> probe;
    Instant probeStarted;
    CompletableFuture<ResourceUsage> summary;

    Tracked(Member member, HealthTracker tracker, Instant now) {
      this.member = member;
      this.tracker = tracker;
      this.nextProbe = now;
      this.nextSummary = now;
    }
  }

  /** Something to tell the listener, in member order. */
  private record Event(
      String member, Optional<HealthChange> change, Optional<ResourceUsage> usage) {
    static Event health(HealthChange c) {
      return new Event(c.member(), Optional.of(c), Optional.empty());
    }

    static Event resources(String member, ResourceUsage u) {
      return new Event(member, Optional.empty(), Optional.of(u));
    }

    void notifyListener(HealthListener listener) {
      try {
        change.ifPresent(c -> listener.onHealthChanged(member, c.current()));
        usage.ifPresent(u -> listener.onResourcesRefreshed(member, u));
      } catch (RuntimeException e) {
        LOG.atError().addKeyValue("cluster", member).setCause(e).log("health listener failed");
      }
    }
  }
}
