package io.flotilla.store.file;

import static io.flotilla.store.testing.Waits.eventually;
import static io.flotilla.store.testing.Waits.throughout;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.store.file.FileLeaderElection.Timing;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes on one directory: a child JVM leads, the test's replica stands by; the child is
 * killed with SIGKILL (no chance to free its lease) and the standby takes over once the lease runs
 * out (about 9 s, so tagged e2e). A 3 s lease renewed every second, tried for every half second, to
 * keep the test short.
 */
@Tag("e2e")
class FileLeaderElectionKillTest {
  private static final Timing TIMING =
      new Timing(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofMillis(500));

  @TempDir Path temp;

  @Test
  void whenTheLeadingProcessIsKilledTheStandbyTakesOverWithinTheLease() {
    Path dir = temp.resolve("election");
    try (ChildJvm child =
            ChildJvm.start(
                LeaderMain.class,
                temp.resolve("child"),
                dir.toString(),
                "child",
                Long.toString(TIMING.leaseDuration().toMillis()),
                Long.toString(TIMING.renewEvery().toMillis()),
                Long.toString(TIMING.retryEvery().toMillis()));
        FileLeaderElection standby =
            FileLeaderElection.withOwnThread(dir, "standby", Clock.systemUTC(), TIMING)) {
      eventually().atMost(Duration.ofSeconds(60)).until(() -> child.lines().contains("LEADING 1"));
      AtomicLong ledAt = new AtomicLong();
      standby.start(() -> ledAt.set(System.nanoTime()), () -> {});

      throughout(TIMING.leaseDuration().plusSeconds(1)).until(() -> !standby.isLeader());
      assertThat(standby.lease().orElseThrow().holder()).isEqualTo("child");

      long killedAt = System.nanoTime();
      child.kill();
      eventually().until(standby::isLeader);

      Duration takeover = Duration.ofNanos(ledAt.get() - killedAt);
      System.out.println(
          "FileLeaderElectionKillTest: the standby led " + takeover + " after the kill");
      assertThat(takeover)
          .isLessThanOrEqualTo(TIMING.leaseDuration().plus(TIMING.retryEvery()).plusSeconds(1));
      assertThat(standby.term()).isEqualTo(2);
      assertThat(standby.lease().orElseThrow().holder()).isEqualTo("standby");
    }
  }
}
