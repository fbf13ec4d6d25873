package io.flotilla.store.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.flotilla.store.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leader election on a Lease of fabric8's mock API server (CRUD mode). */
class KubernetesLeaderElectionTest {
  private final MockApiServer server = new MockApiServer();
  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<KubernetesLeaderElection> elections = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    elections.forEach(KubernetesLeaderElection::close);
    server.close();
  }

  private KubernetesLeaderElection replica(String identity, LeaseTimings timings, Clock clock) {
    KubernetesLeaderElection e =
        new KubernetesLeaderElection(
            server.client(), "flotilla-system", "flotilla-controller", identity, timings, clock);
    elections.add(e);
    return e;
  }

  /** A replica with the default timings, tried by hand, that records its onLead and onLoss. */
  private KubernetesLeaderElection stepped(String identity) {
    KubernetesLeaderElection e = replica(identity, LeaseTimings.DEFAULT, clock);
    e.listen(() -> calls.add(identity + " leads"), () -> calls.add(identity + " lost"));
    return e;
  }

  private Lease lease() {
    return server
        .client()
        .leases()
        .inNamespace("flotilla-system")
        .withName("flotilla-controller")
        .get();
  }

  @Test
  void theFirstReplicaToTryLeadsAndTheOtherStandsBy() {
    KubernetesLeaderElection a = replica("a", LeaseTimings.DEFAULT, clock);
    KubernetesLeaderElection b = replica("b", LeaseTimings.DEFAULT, clock);

    assertThat(a.tryAcquireOrRenew()).isTrue();
    assertThat(b.tryAcquireOrRenew()).isFalse();

    assertThat(a.isLeader()).isTrue();
    assertThat(b.isLeader()).isFalse();
    Lease lease = lease();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("a");
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
    assertThat(lease.getSpec().getLeaseTransitions()).isZero();
  }

  @Test
  void aStandbyNeverTakesALeaseThatIsRenewedInTime() {
    KubernetesLeaderElection a = stepped("a");
    KubernetesLeaderElection b = stepped("b");
    a.tryAcquireOrRenew();
    b.tryAcquireOrRenew();

    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(10));
      assertThat(a.tryAcquireOrRenew()).isTrue();
      clock.advance(Duration.ofSeconds(4));
      assertThat(b.tryAcquireOrRenew()).isFalse();
    }

    assertThat(calls).containsExactly("a leads");
  }

  @Test
  void aLeaderThatStopsRenewingLosesTheLeaseToTheStandbyAfterTheLeaseDuration() {
    KubernetesLeaderElection a = stepped("a");
    KubernetesLeaderElection b = stepped("b");
    a.tryAcquireOrRenew();
    b.tryAcquireOrRenew();

    clock.advance(Duration.ofSeconds(14));
    assertThat(b.tryAcquireOrRenew()).as("14 s after the last renewal").isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(b.tryAcquireOrRenew()).as("15 s after the last renewal").isTrue();

    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("b");
    assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
    assertThat(a.isLeader()).as("its own lease ran out").isFalse();
    assertThat(a.tryAcquireOrRenew()).as("the old leader sees the new holder").isFalse();
    assertThat(calls).containsExactly("a leads", "b leads", "a lost");
  }

  @Test
  void aClosedLeaderGivesTheLeaseUpAndTheStandbyLeadsAtItsNextTry() {
    KubernetesLeaderElection a = stepped("a");
    KubernetesLeaderElection b = stepped("b");
    a.tryAcquireOrRenew();
    b.tryAcquireOrRenew();

    a.close();
    a.close();

    assertThat(lease().getSpec().getHolderIdentity()).isNull();
    assertThat(b.tryAcquireOrRenew()).isTrue();
    assertThat(a.isLeader()).isFalse();
    assertThat(calls).containsExactly("a leads", "a lost", "b leads");
  }

  @Test
  void aLeaderThatCannotRenewForTheRenewDeadlineStopsLeading() {
    KubernetesLeaderElection a = stepped("a");
    a.tryAcquireOrRenew();
    server.stopServing();

    clock.advance(Duration.ofSeconds(9));
    assertThat(a.tryAcquireOrRenew()).as("9 s without renewal").isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(a.tryAcquireOrRenew()).as("10 s without renewal").isFalse();

    assertThat(calls).containsExactly("a leads", "a lost");
  }

  @Test
  void timingsMustLeaveRoomToRenewBeforeTheLeaseRunsOut() {
    assertThatThrownBy(
            () ->
                new LeaseTimings(
                    Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2)))
        .hasMessageContaining("retryPeriod < renewDeadline < leaseDuration");
    assertThatThrownBy(
            () ->
                new LeaseTimings(
                    Duration.ofMillis(1500), Duration.ofSeconds(1), Duration.ofMillis(200)))
        .hasMessageContaining("whole seconds");
  }

  @Test
  void twoRunningReplicasHaveOneLeaderAndTheOtherTakesOverWhenItCloses() {
    LeaseTimings fast =
        new LeaseTimings(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(100));
    KubernetesLeaderElection a = replica("a", fast, Clock.systemUTC());
    KubernetesLeaderElection b = replica("b", fast, Clock.systemUTC());
    a.start(() -> calls.add("a leads"), () -> calls.add("a lost"));
    b.start(() -> calls.add("b leads"), () -> calls.add("b lost"));

    await().atMost(Duration.ofSeconds(10)).until(() -> a.isLeader() || b.isLeader());
    KubernetesLeaderElection leader = a.isLeader() ? a : b;
    KubernetesLeaderElection standby = leader == a ? b : a;
    assertThat(standby.isLeader()).isFalse();

    leader.close();

    await().atMost(Duration.ofSeconds(10)).until(standby::isLeader);
    assertThat(leader.isLeader()).isFalse();
    assertThat(calls)
        .containsExactly(
            leader.identity() + " leads",
            leader.identity() + " lost",
            standby.identity() + " leads");
  }
}
