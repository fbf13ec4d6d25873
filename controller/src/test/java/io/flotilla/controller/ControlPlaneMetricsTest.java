package io.flotilla.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.Condition;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.ObjectRef;
import io.flotilla.propagation.WorkQueue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exposition of every metric after the events that drive it, on the harness's fake clock: the
 * Middleware controller rolls a ZooKeeper out over three clusters and fails it over when dc3 is
 * lost (the clock moved 5 s on while it fails over), two applies to dc2 fail, the registrar writes
 * to data centre east 2.5 s after a change, and three templates wait in the propagation queue.
 */
class ControlPlaneMetricsTest {
  private static Harness h;
  private static MiddlewareController controller;
  private static final WorkQueue<String> propagation = new WorkQueue<>("test-propagation");
  private static ControlPlaneMetrics metrics;
  private static String text;

  @BeforeAll
  static void run() throws IOException {
    h = new Harness();
    for (String c : List.of("dc1", "dc2", "dc3")) {
      h.cluster(c, true, false);
    }
    metrics =
        new ControlPlaneMetrics(
            h.clock,
            () ->
                Optional.of(
                    new ControlPlaneMetrics.Leading(
                        h.store, () -> controller.queueDepth(), propagation::depth)));
    MiddlewareReconciler reconciler = h.reconciler().observedBy(metrics);
    controller =
        new MiddlewareController(h.store, reconciler, 1, Duration.ofHours(1), h.clock, metrics);
    controller.start();
    h.middleware(MiddlewareReconcilerTest.ZK);
    await().atMost(Duration.ofSeconds(60)).until(() -> is("Available", ConditionStatus.True));

    h.holdingCopies.add("dc3");
    h.cluster("dc3", false, true);
    await().atMost(Duration.ofSeconds(30)).until(() -> is("FailingOver", ConditionStatus.True));
    h.clock.advance(Duration.ofSeconds(5));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                is("Available", ConditionStatus.True)
                    && reason("FailingOver").equals("FailedOver"));

    ObjectRef template = new ObjectRef("apps/v1", "StatefulSet", "default", "zk-participant");
    metrics.applyFailed("dc2", template);
    metrics.applyFailed("dc2", template);
    metrics.synced("east", Duration.ofMillis(2500));
    for (String k : List.of("a", "b", "c")) {
      propagation.add(k);
    }
    text = scrape(metrics);
  }

  @AfterAll
  static void stop() {
    controller.close();
    propagation.close();
  }

  private static boolean is(String type, ConditionStatus status) {
    return h.store.get(Harness.ZK).isPresent()
        && h.status().condition(type).map(Condition::status).orElse(null) == status;
  }

  private static String reason(String type) {
    return h.status().condition(type).map(Condition::reason).orElse("");
  }

  private static String scrape(ControlPlaneMetrics m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Each family's {@code # TYPE}. */
  private static Map<String, String> types(String exposition) {
    Map<String, String> out = new TreeMap<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] f = line.split(" ");
        out.put(f[2], f[3]);
      }
    }
    return out;
  }

  static Stream<Arguments> metrics() {
    String count = "[1-9][0-9]*";
    return Stream.of(
        Arguments.of(
            "flotilla_scheduling_latency_seconds",
            "histogram",
            "flotilla_scheduling_latency_seconds_count " + count),
        Arguments.of(
            "flotilla_scheduling_latency_seconds",
            "histogram",
            "flotilla_scheduling_latency_seconds_bucket\\{le=\"0\\.001\"\\} " + count),
        Arguments.of(
            "flotilla_reconcile_duration_seconds",
            "histogram",
            "flotilla_reconcile_duration_seconds_count\\{outcome=\"done\"\\} " + count),
        Arguments.of(
            "flotilla_reconcile_duration_seconds",
            "histogram",
            "flotilla_reconcile_duration_seconds_count\\{outcome=\"requeued\"\\} " + count),
        Arguments.of(
            "flotilla_work_queue_depth",
            "gauge",
            "flotilla_work_queue_depth\\{queue=\"controller\"\\} 0\\.0"),
        Arguments.of(
            "flotilla_work_queue_depth",
            "gauge",
            "flotilla_work_queue_depth\\{queue=\"propagation\"\\} 3\\.0"),
        Arguments.of(
            "flotilla_member_heartbeat_age_seconds",
            "gauge",
            "flotilla_member_heartbeat_age_seconds\\{cluster=\"dc1\"\\} 5\\.0"),
        Arguments.of(
            "flotilla_member_heartbeat_age_seconds",
            "gauge",
            "flotilla_member_heartbeat_age_seconds\\{cluster=\"dc3\"\\} 5\\.0"),
        Arguments.of(
            "flotilla_member_ready", "gauge", "flotilla_member_ready\\{cluster=\"dc1\"\\} 1\\.0"),
        Arguments.of(
            "flotilla_member_ready", "gauge", "flotilla_member_ready\\{cluster=\"dc3\"\\} 0\\.0"),
        Arguments.of("flotilla_failovers_total", "counter", "flotilla_failovers_total 1\\.0"),
        Arguments.of(
            "flotilla_failover_duration_seconds",
            "histogram",
            "flotilla_failover_duration_seconds_count 1"),
        Arguments.of(
            "flotilla_failover_duration_seconds",
            "histogram",
            "flotilla_failover_duration_seconds_sum 5\\.0"),
        Arguments.of(
            "flotilla_failover_duration_seconds",
            "histogram",
            "flotilla_failover_duration_seconds_bucket\\{le=\"2\\.0\"\\} 0"),
        Arguments.of(
            "flotilla_failover_duration_seconds",
            "histogram",
            "flotilla_failover_duration_seconds_bucket\\{le=\"5\\.0\"\\} 1"),
        Arguments.of(
            "flotilla_dns_sync_lag_seconds",
            "histogram",
            "flotilla_dns_sync_lag_seconds_sum\\{data_centre=\"east\"\\} 2\\.5"),
        Arguments.of(
            "flotilla_apply_errors_total",
            "counter",
            "flotilla_apply_errors_total\\{cluster=\"dc2\"\\} 2\\.0"),
        Arguments.of("flotilla_leader", "gauge", "flotilla_leader 1\\.0"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("metrics")
  void everyMetricIsExposedWithItsTypeAndLabels(String family, String type, String sample) {
    assertThat(types(text)).containsEntry(family, type);
    assertThat(text.lines().toList())
        .as(text)
        .anyMatch(line -> Pattern.compile(sample).matcher(line).matches());
  }

  @Test
  void everyFamilyHasHelpAndOnlyFlotillaNamesWithUnitsAreExposed() {
    Map<String, String> types = types(text);
    assertThat(types.keySet())
        .containsExactlyInAnyOrder(
            "flotilla_scheduling_latency_seconds",
            "flotilla_reconcile_duration_seconds",
            "flotilla_work_queue_depth",
            "flotilla_member_heartbeat_age_seconds",
            "flotilla_member_ready",
            "flotilla_failovers_total",
            "flotilla_failover_duration_seconds",
            "flotilla_dns_sync_lag_seconds",
            "flotilla_apply_errors_total",
            "flotilla_leader");
    types.keySet().forEach(f -> assertThat(text).contains("# HELP " + f + " "));
  }

  @Test
  void aStandbyExposesItsCountersButNothingOnlyTheLeaderKnows() throws IOException {
    ControlPlaneMetrics standby = new ControlPlaneMetrics(h.clock, Optional::empty);
    String s = scrape(standby);
    assertThat(s).contains("\nflotilla_leader 0.0\n").contains("flotilla_failovers_total 0.0");
    assertThat(s)
        .doesNotContain("flotilla_member_ready{")
        .doesNotContain("flotilla_work_queue_depth{");
  }

  @Test
  void aFailoverSeenAgainIsNotCountedTwiceAndADeletedOneIsForgotten() throws IOException {
    ControlPlaneMetrics m = new ControlPlaneMetrics(h.clock, Optional::empty);
    MiddlewareStatus failing =
        MiddlewareStatus.fromJson(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode())
            .withCondition("FailingOver", true, "ClusterLost", "lost: dc3", h.clock.instant());
    ObjectRef ref = new ObjectRef(ApiVersion.API_VERSION, "Middleware", "default", "other");
    m.middleware(ref, Optional.of(failing));
    m.middleware(ref, Optional.of(failing));
    m.middleware(ref, Optional.empty());
    MiddlewareStatus available =
        failing
            .withCondition("FailingOver", false, "FailedOver", "moved off dc3", h.clock.instant())
            .withCondition("Available", true, "AllInstancesReady", "", h.clock.instant());
    m.middleware(ref, Optional.of(available));
    String s = scrape(m);
    assertThat(s)
        .contains("flotilla_failovers_total 1.0")
        .contains("flotilla_failover_duration_seconds_count 0");
  }
}
