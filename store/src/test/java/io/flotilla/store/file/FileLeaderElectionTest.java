package io.flotilla.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.store.file.FileLeaderElection.Lease;
import io.flotilla.store.file.FileLeaderElection.Timing;
import io.flotilla.store.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas electing a leader through one directory, in one JVM, their rounds driven by hand on
 * a shared clock (default timing: a 6 s lease renewed every 2 s, tried for every second).
 */
class FileLeaderElectionTest {
  private static final Duration STEP = Duration.ofMillis(250);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  private final List<Replica> replicas = new ArrayList<>();

  /** One replica: its election, its scheduler and what its callbacks were told. */
  private final class Replica {
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final FileLeaderElection election;
    final List<String> calls = new ArrayList<>();
    boolean stalled;

    Replica(String identity) {
      election = new FileLeaderElection(dir, identity, clock, Timing.DEFAULT, scheduler);
      election.start(
          () -> calls.add("lead " + election.term()), () -> calls.add("loss " + election.term()));
      replicas.add(this);
    }
  }

  @AfterEach
  void closeAll() {
    replicas.forEach(r -> r.election.close());
  }

  /** Moves time on in small steps, running the rounds of every replica not stalled. */
  private void run(Duration time) {
    Instant end = clock.instant().plus(time);
    do {
      for (Replica r : replicas) {
        if (!r.stalled) {
          r.scheduler.runDue();
        }
      }
      assertThat(replicas.stream().filter(r -> r.election.isLeader()).count())
          .as("leaders at " + clock.instant())
          .isLessThanOrEqualTo(1);
      if (clock.instant().isBefore(end)) {
        clock.advance(STEP);
      }
    } while (clock.instant().isBefore(end));
    replicas.stream().filter(r -> !r.stalled).forEach(r -> r.scheduler.runDue());
  }

  @Test
  void theFirstToTryLeadsAndTheOtherStandsByWhileTheLeaderRenews() {
    Replica a = new Replica("a");
    run(Duration.ZERO);
    Replica b = new Replica("b");

    run(Duration.ofSeconds(60));

    assertThat(a.election.isLeader()).isTrue();
    assertThat(a.calls).containsExactly("lead 1");
    assertThat(b.election.isLeader()).isFalse();
    assertThat(b.calls).isEmpty();
    Lease lease = a.election.lease().orElseThrow();
    assertThat(lease.holder()).isEqualTo("a");
    assertThat(lease.term()).isEqualTo(1);
    assertThat(lease.duration()).isEqualTo(Duration.ofSeconds(6));
    assertThat(Duration.between(lease.renewTime(), clock.instant()))
        .isLessThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void closingTheLeaderFreesTheLeaseAndTheStandbyLeadsAtItsNextTry() {
    Replica a = new Replica("a");
    run(Duration.ZERO);
    Replica b = new Replica("b");
    run(Duration.ofSeconds(5));

    a.election.close();
    Instant closed = clock.instant();
    assertThat(a.calls).containsExactly("lead 1", "loss 1");
    assertThat(a.election.lease().orElseThrow().holder()).isEmpty();
    while (!b.election.isLeader()) {
      run(STEP);
    }

    assertThat(Duration.between(closed, clock.instant()))
        .isLessThanOrEqualTo(Timing.DEFAULT.retryEvery());
    assertThat(b.calls).containsExactly("lead 2");
    a.election.close();
    assertThat(a.calls).containsExactly("lead 1", "loss 1");
  }

  @Test
  void whenTheLeaderDiesTheStandbyLeadsOnceTheLeaseRunsOutAndNotBefore() {
    Replica a = new Replica("a");
    run(Duration.ZERO);
    Replica b = new Replica("b");
    run(Duration.ofSeconds(5));
    Instant lastRenewal = a.election.lease().orElseThrow().renewTime();

    a.stalled = true; // a kill -9: its renewals stop, its lease stays in the file
    while (!b.election.isLeader()) {
      assertThat(clock.instant()).isBefore(lastRenewal.plus(Timing.DEFAULT.leaseDuration()));
      run(STEP);
    }

    assertThat(Duration.between(lastRenewal, clock.instant()))
        .isLessThanOrEqualTo(Timing.DEFAULT.leaseDuration().plus(Timing.DEFAULT.retryEvery()));
    assertThat(b.calls).containsExactly("lead 2");
  }

  @Test
  void aLeaderWhoseRenewalIsLateLosesToTheStandbyAndIsToldSo() {
    Replica a = new Replica("a");
    run(Duration.ZERO);
    Replica b = new Replica("b");
    run(Duration.ofSeconds(3));

    a.stalled = true; // a long GC pause, say
    run(Duration.ofSeconds(8));
    assertThat(a.election.isLeader()).as("a's lease ran out while it stalled").isFalse();
    assertThat(a.calls).containsExactly("lead 1");
    assertThat(b.election.isLeader()).isTrue();

    a.stalled = false;
    run(Duration.ofSeconds(10));

    assertThat(a.calls).containsExactly("lead 1", "loss 1");
    assertThat(a.election.isLeader()).isFalse();
    assertThat(b.calls).containsExactly("lead 2");
    assertThat(b.election.isLeader()).isTrue();
  }

  @Test
  void aLateLeaderAloneLosesItsTermAndLeadsAgainInANewOne() {
    Replica a = new Replica("a");
    run(Duration.ofSeconds(3));

    a.stalled = true;
    run(Duration.ofSeconds(7));
    assertThat(a.election.isLeader()).isFalse();
    a.stalled = false;
    run(Duration.ZERO);

    assertThat(a.calls).containsExactly("lead 1", "loss 1", "lead 2");
    assertThat(a.election.isLeader()).isTrue();
    assertThat(a.election.lease().orElseThrow().term()).isEqualTo(2);
  }

  @Test
  void theLeaseFileIsWholeJsonNamingHolderTermTimesAndDuration() throws Exception {
    new Replica("a");
    run(Duration.ofSeconds(2));

    String json = Files.readString(dir.resolve(FileLeaderElection.LEASE_FILE));

    assertThat(json)
        .contains("\"holder\":\"a\"")
        .contains("\"term\":1")
        .contains("\"acquireTime\":\"2025-03-01T10:00:00Z\"")
        .contains("\"renewTime\":\"2025-03-01T10:00:02Z\"")
        .contains("\"leaseDurationMillis\":6000");
    assertThat(dir.resolve(FileLeaderElection.LEASE_FILE + ".tmp")).doesNotExist();
  }

  @Test
  void closingAStandbyCallsNothingAndLeavesTheLeaderLeading() {
    Replica a = new Replica("a");
    run(Duration.ZERO);
    Replica b = new Replica("b");
    run(Duration.ofSeconds(2));

    b.election.close();
    run(Duration.ofSeconds(10));

    assertThat(b.calls).isEmpty();
    assertThat(b.scheduler.pending()).isZero();
    assertThat(a.election.isLeader()).isTrue();
  }

  @Test
  void startingTwiceOrAfterCloseIsRefused() {
    Replica a = new Replica("a");

    assertThatThrownBy(() -> a.election.start(() -> {}, () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
    a.election.close();
    FileLeaderElection closed =
        new FileLeaderElection(dir, "c", clock, Timing.DEFAULT, new ManualScheduler(clock));
    closed.close();
    assertThatThrownBy(() -> closed.start(() -> {}, () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aTimingWhoseRenewalIsNotShorterThanTheLeaseIsRefused() {
    assertThatThrownBy(
            () -> new Timing(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("renewEvery");
  }
}
