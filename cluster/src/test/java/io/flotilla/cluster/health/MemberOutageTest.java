package io.flotilla.cluster.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.KubeObject;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health monitor in real time against real (mock) API servers: a member whose server stops
 * turns NotReady within failureThreshold × interval, the others stay Ready, and it turns Ready
 * again when its server comes back.
 */
class MemberOutageTest {
  private static final Logger LOG = LoggerFactory.getLogger(MemberOutageTest.class);

  @RegisterExtension static final MockMembers MEMBERS = MockMembers.start("dc1", "dc2", "dc3");

  private static final HealthSettings SETTINGS =
      HealthSettings.defaults()
          .withInterval(Duration.ofMillis(300), Duration.ofMillis(250))
          .withSummaryInterval(Duration.ofSeconds(1));

  /** What the driver adds at most: a result waits up to one tick to be taken in. */
  private static final Duration TICK = Duration.ofMillis(20);

  /** Allowance for a loaded machine's scheduling, on top of the bound. */
  private static final Duration SLACK = Duration.ofMillis(250);

  private final ExecutorService probes = Executors.newCachedThreadPool();
  private final RecordingListener listener = new RecordingListener();

  @AfterEach
  void stopProbes() throws InterruptedException {
    probes.shutdownNow();
    probes.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static boolean ready(HealthMonitor monitor, String member) {
    return monitor.health(member).map(MemberHealth::ready).orElse(false);
  }

  @Test
  @SuppressWarnings("try") // the driver ticks for the duration of the block
  void aMemberWhoseServerStopsTurnsNotReadyInTimeAndReadyAgainWhenItReturns() {
    HealthMonitor monitor = new HealthMonitor(SETTINGS, Clock.systemUTC(), probes, listener);
    MEMBERS.members().forEach(monitor::add);
    MockMember dc1 = MEMBERS.get("dc1");
    KubeObject before =
        dc1.member()
            .apply(
                KubeObject.create("v1", "ConfigMap", "mw", "zk")
                    .edit(n -> n.putObject("data").put("myid", "1")));

    try (HealthMonitorDriver driver = HealthMonitorDriver.start(monitor, TICK)) {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> List.of("dc1", "dc2", "dc3").stream().allMatch(m -> ready(monitor, m)));

      long stopped = System.nanoTime();
      dc1.stop();
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> !ready(monitor, "dc1"));
      Duration detection = Duration.ofNanos(System.nanoTime() - stopped);
      LOG.info("dc1 NotReady {} ms after its server stopped", detection.toMillis());

      assertThat(detection)
          .as("NotReady after %s ms", detection.toMillis())
          .isLessThanOrEqualTo(SETTINGS.detectionTime().plus(TICK).plus(SLACK));
      MemberHealth down = monitor.health("dc1").orElseThrow();
      assertThat(down.reason()).isEqualTo("ConnectionRefused");
      assertThat(down.message())
          .contains("3 consecutive health probes failed", "member cluster dc1");
      assertThat(ready(monitor, "dc2")).isTrue();
      assertThat(ready(monitor, "dc3")).isTrue();

      long restarted = System.nanoTime();
      dc1.start(MockMember.Data.KEPT);
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> ready(monitor, "dc1"));
      Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);
      LOG.info("dc1 Ready {} ms after its server started again", recovery.toMillis());

      assertThat(recovery)
          .as("Ready after %s ms", recovery.toMillis())
          .isLessThanOrEqualTo(
              SETTINGS.interval().multipliedBy(SETTINGS.successThreshold()).plus(TICK).plus(SLACK));
    }
    assertThat(listener.health("dc1"))
        .extracting(h -> h.ready() ? "Ready" : h.reason())
        .containsExactly("Ready", "ConnectionRefused", "Ready");
    assertThat(listener.health("dc2")).extracting(MemberHealth::ready).containsExactly(true);
    assertThat(listener.usage("dc2")).isNotEmpty();
    assertThat(dc1.member().get(before.ref())).contains(before);
  }
}
