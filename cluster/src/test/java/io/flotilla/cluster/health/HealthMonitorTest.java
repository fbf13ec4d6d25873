package io.flotilla.cluster.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.Resources;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.ProbeResult;
import io.flotilla.cluster.ResourceUsage;
import io.flotilla.cluster.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The health monitor's state machine, driven by a clock the test moves and a direct executor, so
 * each tick's probes finish within it: no sleeps, no threads.
 */
class HealthMonitorTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private final MutableClock clock = MutableClock.atNoon();
  private final Instant start = clock.instant();
  private final RecordingListener listener = new RecordingListener();
  private final HealthMonitor monitor =
      new HealthMonitor(HealthSettings.defaults(), clock, Runnable::run, listener);

  /** What the monitor shows after a tick: "?" undecided, "R" ready, else the NotReady reason. */
  private String state(String member) {
    return monitor.health(member).map(h -> h.ready() ? "R" : h.reason()).orElse("?");
  }

  /** Probes once a second along the script; returns the state after each probe. */
  private List<String> run(ScriptedMember member, int probes) {
    List<String> states = new ArrayList<>();
    for (int i = 0; i < probes; i++) {
      monitor.tick();
      states.add(state(member.name()));
      clock.advance(SECOND);
    }
    return states;
  }

  static Stream<Arguments> scripts() {
    return Stream.of(
        row("a new member is Ready after 2 successes", "ok ok", "? R"),
        row(
            "a new member is NotReady after 3 failures",
            "refused refused refused",
            "? ? ConnectionRefused"),
        row(
            "3 failures turn a Ready member NotReady with the last failure's reason",
            "ok ok timeout timeout refused",
            "? R R R ConnectionRefused"),
        row("2 failures leave a member Ready", "ok ok timeout timeout ok ok", "? R R R R R"),
        row(
            "1 success then a failure does not recover",
            "ok ok tls tls tls ok tls ok tls",
            "? R R R TLSHandshakeFailed TLSHandshakeFailed TLSHandshakeFailed TLSHandshakeFailed TLSHandshakeFailed"),
        row(
            "2 successes recover a NotReady member",
            "ok ok refused refused refused ok ok",
            "? R R R ConnectionRefused ConnectionRefused R"),
        row(
            "a member failing every other probe stays Ready",
            "ok ok timeout ok timeout timeout ok timeout timeout ok",
            "? R R R R R R R R R"),
        row(
            "a NotReady member succeeding every other probe stays NotReady",
            "unauthorized unauthorized unauthorized ok unauthorized ok unauthorized ok",
            "? ? Unauthorized Unauthorized Unauthorized Unauthorized Unauthorized Unauthorized"),
        row(
            "a success in a run of failures restarts the count",
            "ok ok timeout timeout ok timeout timeout refused",
            "? R R R R R R ConnectionRefused"),
        row(
            "a NotReady member takes the latest failure's reason",
            "refused refused refused timeout timeout",
            "? ? ConnectionRefused Timeout Timeout"));
  }

  private static Arguments row(String name, String script, String states) {
    return Arguments.of(Named.of(name, script.split(" ")), List.of(states.split(" ")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void stateMachine(String[] script, List<String> states) {
    ScriptedMember dc1 = new ScriptedMember("dc1", script);
    monitor.add(dc1);

    assertThat(run(dc1, script.length)).isEqualTo(states);
    assertThat(dc1.probes()).isEqualTo(script.length);
  }

  @ParameterizedTest(name = "{0}: the listener hears each change once")
  @MethodSource("scripts")
  void theListenerHearsEveryChangeAndNothingElse(String[] script, List<String> states) {
    ScriptedMember dc1 = new ScriptedMember("dc1", script);
    monitor.add(dc1);

    run(dc1, script.length);

    List<String> expected = new ArrayList<>();
    String previous = "?";
    for (String s : states) {
      if (!s.equals(previous)) {
        expected.add(s);
      }
      previous = s;
    }
    assertThat(listener.health("dc1"))
        .extracting(h -> h.ready() ? "R" : h.reason())
        .isEqualTo(expected);
  }

  @Test
  void healthCarriesTheTimesOfProbesHeartbeatsAndTransitions() {
    ScriptedMember dc1 =
        new ScriptedMember("dc1", "ok", "ok", "ok", "timeout", "timeout", "timeout", "timeout");
    monitor.add(dc1);

    run(dc1, 7);

    MemberHealth h = monitor.health("dc1").orElseThrow();
    assertThat(h.ready()).isFalse();
    assertThat(h.reason()).isEqualTo("Timeout");
    assertThat(h.message())
        .isEqualTo("4 consecutive health probes failed; the last: no answer within 800ms");
    assertThat(h.lastProbeTime()).isEqualTo(start.plusSeconds(6));
    assertThat(h.lastHeartbeatTime()).contains(start.plusSeconds(2));
    assertThat(h.lastTransitionTime()).isEqualTo(start.plusSeconds(5));
    MemberHealth becameReady = listener.health("dc1").get(0);
    assertThat(becameReady)
        .isEqualTo(
            MemberHealth.ready(
                "answered 2 consecutive health probes",
                start.plusSeconds(1),
                start.plusSeconds(1),
                start.plusSeconds(1)));
  }

  @Test
  void aReasonChangeWhileNotReadyKeepsTheTransitionTime() {
    ScriptedMember dc1 = new ScriptedMember("dc1", "refused", "refused", "refused", "tls");
    monitor.add(dc1);

    run(dc1, 4);

    List<MemberHealth> told = listener.health("dc1");
    assertThat(told)
        .extracting(MemberHealth::reason)
        .containsExactly("ConnectionRefused", "TLSHandshakeFailed");
    assertThat(told.get(1).lastTransitionTime()).isEqualTo(told.get(0).lastTransitionTime());
    assertThat(told.get(1).lastHeartbeatTime()).isEmpty();
  }

  @Test
  void probesRunOncePerIntervalHoweverOftenTheMonitorTicks() {
    ScriptedMember dc1 = new ScriptedMember("dc1", "ok", "ok", "ok");
    monitor.add(dc1);

    for (int i = 0; i < 25; i++) {
      monitor.tick();
      clock.advance(Duration.ofMillis(100));
    }

    assertThat(dc1.probes()).isEqualTo(3); // at 0 s, 1 s and 2 s
  }

  @Test
  void aLateTickProbesOnceAndTheNextProbeIsAnIntervalLater() {
    ScriptedMember dc1 = new ScriptedMember("dc1", "ok", "ok", "ok");
    monitor.add(dc1);
    monitor.tick();

    clock.advance(Duration.ofMillis(3500));
    monitor.tick();
    clock.advance(Duration.ofMillis(900));
    monitor.tick();
    assertThat(dc1.probes()).isEqualTo(2);

    clock.advance(Duration.ofMillis(100));
    monitor.tick();
    assertThat(dc1.probes()).isEqualTo(3);
  }

  @Test
  void theResourceSummaryIsRefreshedEveryTenSecondsWhileProbesSucceed() {
    ScriptedMember dc1 = new ScriptedMember("dc1");
    for (int i = 0; i <= 25; i++) {
      dc1.then("ok");
    }
    monitor.add(dc1);

    run(dc1, 26);

    assertThat(dc1.summaries()).isEqualTo(3); // at 0 s, 10 s and 20 s
    assertThat(listener.usage("dc1"))
        .hasSize(3)
        .allMatch(u -> u.allocatable().equals(new Resources(8_000, 32L << 30)));
  }

  @Test
  void noSummaryIsReadWhileProbesFailAndOneIsReadAtTheFirstSuccess() {
    ScriptedMember dc1 = new ScriptedMember("dc1", "ok", "ok");
    for (int i = 0; i < 14; i++) {
      dc1.then("refused");
    }
    dc1.then("ok", "ok");
    monitor.add(dc1);

    run(dc1, 2); // 0 s: first summary
    assertThat(dc1.summaries()).isEqualTo(1);
    run(dc1, 14); // 2..15 s: failing; the summary due at 10 s waits
    assertThat(dc1.summaries()).isEqualTo(1);
    dc1.reportUsage(new ResourceUsage(new Resources(4_000, 8L << 30), Resources.ZERO));
    run(dc1, 1); // 16 s: a success
    assertThat(dc1.summaries()).isEqualTo(2);
    assertThat(listener.usage("dc1"))
        .last()
        .isEqualTo(new ResourceUsage(new Resources(4_000, 8L << 30), Resources.ZERO));
  }

  @Test
  void membersAreReportedInNameOrder() {
    monitor.add(new ScriptedMember("dc3", "ok", "ok"));
    monitor.add(new ScriptedMember("dc1", "refused", "ok"));
    monitor.add(new ScriptedMember("dc2", "ok", "ok"));

    monitor.tick();
    clock.advance(SECOND);
    List<HealthChange> changes = monitor.tick();

    assertThat(changes).extracting(HealthChange::member).containsExactly("dc2", "dc3");
    assertThat(changes).allMatch(HealthChange::isTransition);
    assertThat(listener.told)
        .extracting(t -> t.member() + (t.health() != null ? " health" : " resources"))
        .containsExactly(
            "dc2 resources", // 0 s: the first successful probes bring the first summaries
            "dc3 resources",
            "dc1 resources", // 1 s: dc1's first success
            "dc2 health",
            "dc3 health");
  }

  @Test
  void aMemberKnownNotReadyNeedsTwoSuccessesAndAMemberKnownReadyThreeFailures() {
    MemberHealth down =
        MemberHealth.notReady(
            FailureReason.TIMEOUT, "before restart", start, Optional.empty(), start);
    MemberHealth up = MemberHealth.ready("before restart", start, start, start);
    monitor.add(new ScriptedMember("down", "ok", "ok", "ok"), Optional.of(down));
    monitor.add(new ScriptedMember("up", "refused", "refused", "refused"), Optional.of(up));

    List<String> downStates = new ArrayList<>();
    List<String> upStates = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      monitor.tick();
      downStates.add(state("down"));
      upStates.add(state("up"));
      clock.advance(SECOND);
    }
    monitor.tick();
    upStates.add(state("up"));

    assertThat(downStates).containsExactly("Timeout", "R");
    assertThat(upStates).containsExactly("R", "R", "ConnectionRefused");
  }

  @Test
  void aRemovedMemberIsNoLongerProbed() {
    ScriptedMember dc1 = new ScriptedMember("dc1", "ok");
    monitor.add(dc1);
    monitor.tick();

    assertThat(monitor.remove("dc1")).isTrue();
    clock.advance(SECOND);
    monitor.tick();

    assertThat(dc1.probes()).isEqualTo(1);
    assertThat(monitor.health("dc1")).isEmpty();
    assertThat(monitor.members()).isEmpty();
    assertThat(monitor.remove("dc1")).isFalse();
  }

  @Test
  void aMemberCannotBeAddedTwice() {
    monitor.add(new ScriptedMember("dc1"));

    assertThatThrownBy(() -> monitor.add(new ScriptedMember("dc1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("member dc1 is already monitored");
  }

  @Test
  void aProbeThatThrowsCountsAsAFailure() {
    ScriptedMember dc1 = new ScriptedMember("dc1", "throw", "throw", "throw");
    monitor.add(dc1);

    run(dc1, 3);

    assertThat(monitor.health("dc1")).map(MemberHealth::reason).contains("Error");
    assertThat(monitor.health("dc1").orElseThrow().message())
        .contains("member cluster dc1: health probe threw", "a bug in the member's probe");
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheMonitor() {
    HealthMonitor m =
        new HealthMonitor(
            HealthSettings.defaults(),
            clock,
            Runnable::run,
            new HealthListener() {
              @Override
              public void onHealthChanged(String member, MemberHealth health) {
                throw new IllegalStateException("listener bug");
              }

              @Override
              public void onResourcesRefreshed(String member, ResourceUsage usage) {}
            });
    m.add(new ScriptedMember("dc1", "ok", "ok", "refused", "refused", "refused"));

    for (int i = 0; i < 5; i++) {
      m.tick();
      clock.advance(SECOND);
    }

    assertThat(m.health("dc1")).map(MemberHealth::reason).contains("ConnectionRefused");
  }

  @Test
  void aTickNeverWaitsForASlowProbeAndOtherMembersGoOn() throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool();
    CountDownLatch release = new CountDownLatch(1);
    try {
      HealthMonitor m = new HealthMonitor(HealthSettings.defaults(), clock, pool, listener);
      ScriptedMember fast = new ScriptedMember("fast", "ok", "ok");
      m.add(new BlockingMember("slow", release));
      m.add(fast);

      long before = System.nanoTime();
      m.tick();
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(500));
      await().atMost(Duration.ofSeconds(5)).until(() -> fast.probes() == 1);
      clock.advance(SECOND);
      m.tick();
      await().atMost(Duration.ofSeconds(5)).until(() -> fast.probes() == 2);
      m.tick();
      assertThat(m.health("fast")).map(MemberHealth::ready).contains(true);

      release.countDown();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                m.tick();
                assertThat(listener.usage("fast")).isNotEmpty();
              });
    } finally {
      release.countDown();
      pool.shutdownNow();
      pool.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Its probe waits for a latch (longer than any tick). */
  private static final class BlockingMember extends ScriptedMember {
    private final CountDownLatch release;

    BlockingMember(String name, CountDownLatch release) {
      super(name);
      this.release = release;
    }

    @Override
    public ProbeResult probe(Duration timeout) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ProbeResult.ok(Duration.ofSeconds(1));
    }
  }
}
