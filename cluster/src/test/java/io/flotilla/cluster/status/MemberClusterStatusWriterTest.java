package io.flotilla.cluster.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.Condition;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.MemberClusterStatus;
import io.flotilla.api.Resources;
import io.flotilla.api.Taint;
import io.flotilla.api.TaintEffect;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.MemberClusterReader;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.ResourceUsage;
import io.flotilla.cluster.health.MemberHealth;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Writing health and capacity into MemberCluster objects that read back cleanly. */
class MemberClusterStatusWriterTest {
  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00.250Z");
  private static final Instant T1 = Instant.parse("2026-11-26T12:00:07.900Z");

  private static final MemberHealth DOWN =
      MemberHealth.notReady(
          FailureReason.REFUSED,
          "3 consecutive health probes failed; the last: connection refused",
          T1,
          Optional.of(T0),
          T1);

  private static final MemberHealth UP =
      MemberHealth.ready("answered 2 consecutive health probes", T1, T1, T1);

  private static KubeObject cluster(String specAndStatus) {
    return KubeObject.parse(
        "{\"apiVersion\":\"flotilla.io/v1alpha1\",\"kind\":\"MemberCluster\","
            + "\"metadata\":{\"name\":\"dc1\",\"labels\":{\"zone\":\"a\"}}"
            + (specAndStatus.isEmpty() ? "" : "," + specAndStatus)
            + "}");
  }

  /** Reads the object back as the scheduler would; it must have no problems. */
  private static MemberCluster readBack(KubeObject o) {
    Decoded<MemberCluster> d =
        MemberClusterReader.read(new Manifest("test", "document 1", o.json()));
    assertThat(d.problems()).isEmpty();
    return d.value().orElseThrow();
  }

  private static Condition ready(MemberCluster c) {
    return c.status().condition(MemberClusterStatus.READY).orElseThrow();
  }

  private static final Taint UNREACHABLE =
      new Taint(MemberClusterStatusWriter.UNREACHABLE_TAINT, "", TaintEffect.NoExecute);

  private static final String OTHER_TAINTS =
      "\"spec\":{\"taints\":[{\"key\":\"maintenance\",\"value\":\"dc1\",\"effect\":\"NoSchedule\"},"
          + "{\"key\":\"flotilla.io/unreachable\",\"effect\":\"NoSchedule\"}]}";

  static Stream<Arguments> health() {
    return Stream.of(
        row("a NotReady member on a fresh object", "", DOWN, List.of(UNREACHABLE)),
        row("a Ready member on a fresh object", "", UP, List.of()),
        row(
            "a NotReady member keeps others' taints, even ours with another effect",
            OTHER_TAINTS,
            DOWN,
            List.of(
                new Taint("maintenance", "dc1", TaintEffect.NoSchedule),
                new Taint("flotilla.io/unreachable", "", TaintEffect.NoSchedule),
                UNREACHABLE)),
        row(
            "a Ready member loses only the unreachable NoExecute taint",
            "\"spec\":{\"taints\":[{\"key\":\"maintenance\",\"value\":\"dc1\",\"effect\":\"NoSchedule\"},"
                + "{\"key\":\"flotilla.io/unreachable\",\"effect\":\"NoExecute\",\"timeAdded\":\"2026-11-26T11:00:00Z\"}]}",
            UP,
            List.of(new Taint("maintenance", "dc1", TaintEffect.NoSchedule))),
        row(
            "a NotReady member already tainted is not tainted twice",
            "\"spec\":{\"taints\":[{\"key\":\"flotilla.io/unreachable\",\"effect\":\"NoExecute\"}]}",
            DOWN,
            List.of(UNREACHABLE)));
  }

  private static Arguments row(String name, String before, MemberHealth h, List<Taint> taints) {
    return Arguments.of(Named.of(name, before), h, taints);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("health")
  void healthSetsTheReadyConditionAndTheTaint(String before, MemberHealth h, List<Taint> taints) {
    KubeObject written = MemberClusterStatusWriter.withHealth(cluster(before), h);

    MemberCluster c = readBack(written);
    Condition ready = ready(c);
    assertThat(ready.status()).isEqualTo(h.ready() ? ConditionStatus.True : ConditionStatus.False);
    assertThat(ready.reason()).isEqualTo(h.ready() ? "Healthy" : "ConnectionRefused");
    assertThat(ready.message()).isEqualTo(h.message());
    assertThat(ready.lastTransitionTime()).contains(Instant.parse("2026-11-26T12:00:07Z"));
    assertThat(ready.lastHeartbeatTime())
        .contains(Instant.parse(h.ready() ? "2026-11-26T12:00:07Z" : "2026-11-26T12:00:00Z"));
    assertThat(c.spec().taints()).isEqualTo(taints);
    assertThat(written.labels()).containsEntry("zone", "a");
  }

  @Test
  void timesAreRfc3339InWholeSeconds() {
    KubeObject written = MemberClusterStatusWriter.withHealth(cluster(""), DOWN);

    assertThat(written.at("/status/conditions/0/lastTransitionTime").stringValue())
        .isEqualTo("2026-11-26T12:00:07Z");
    assertThat(written.at("/status/conditions/0/lastHeartbeatTime").stringValue())
        .isEqualTo("2026-11-26T12:00:00Z");
    assertThat(written.at("/spec/taints/0/timeAdded").stringValue())
        .isEqualTo("2026-11-26T12:00:07Z");
    assertThat(written.at("/spec/taints/0/value").isMissingNode()).isTrue();
  }

  @Test
  void otherConditionsAreKeptInTheirPlace() {
    KubeObject before =
        cluster(
            "\"status\":{\"conditions\":["
                + "{\"type\":\"Schedulable\",\"status\":\"True\",\"reason\":\"Fine\"},"
                + "{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Healthy\",\"message\":\"old\"},"
                + "{\"type\":\"Zoned\",\"status\":\"False\",\"reason\":\"NoZone\"}]}");

    MemberCluster c = readBack(MemberClusterStatusWriter.withHealth(before, DOWN));

    assertThat(c.status().conditions())
        .extracting(Condition::type, Condition::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Schedulable", ConditionStatus.True),
            org.assertj.core.groups.Tuple.tuple("Ready", ConditionStatus.False),
            org.assertj.core.groups.Tuple.tuple("Zoned", ConditionStatus.False));
  }

  @Test
  void theTransitionTimeStaysWhileTheStatusDoesNotChange() {
    KubeObject before =
        cluster(
            "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"Timeout\","
                + "\"lastTransitionTime\":\"2026-11-26T10:00:00Z\",\"lastHeartbeatTime\":\"2026-11-26T09:59:00Z\"}]}");

    Condition stillDown = ready(readBack(MemberClusterStatusWriter.withHealth(before, DOWN)));
    Condition nowUp = ready(readBack(MemberClusterStatusWriter.withHealth(before, UP)));

    assertThat(stillDown.lastTransitionTime()).contains(Instant.parse("2026-11-26T10:00:00Z"));
    assertThat(stillDown.reason()).isEqualTo("ConnectionRefused");
    assertThat(nowUp.lastTransitionTime()).contains(Instant.parse("2026-11-26T12:00:07Z"));
  }

  @Test
  void aHealthWithoutHeartbeatKeepsTheLastOneWritten() {
    KubeObject before =
        cluster(
            "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Healthy\","
                + "\"lastTransitionTime\":\"2026-11-26T10:00:00Z\",\"lastHeartbeatTime\":\"2026-11-26T11:59:00Z\"}]}");
    MemberHealth neverAnswered =
        MemberHealth.notReady(FailureReason.TLS, "TLS handshake failed", T1, Optional.empty(), T1);

    Condition c = ready(readBack(MemberClusterStatusWriter.withHealth(before, neverAnswered)));

    assertThat(c.lastHeartbeatTime()).contains(Instant.parse("2026-11-26T11:59:00Z"));
  }

  @Test
  void writingTheSameHealthTwiceChangesNothing() {
    KubeObject once = MemberClusterStatusWriter.withHealth(cluster(OTHER_TAINTS), DOWN);

    assertThat(MemberClusterStatusWriter.withHealth(once, DOWN)).isEqualTo(once);
  }

  static Stream<Arguments> quantities() {
    return Stream.of(
        Arguments.of(new Resources(2_000, 4L << 30), "2", "4Gi"),
        Arguments.of(new Resources(1_500, 1536L << 20), "1500m", "1536Mi"),
        Arguments.of(new Resources(7_250, 1_000), "7250m", "1000"),
        Arguments.of(new Resources(64_000, (1L << 40) + (1L << 30)), "64", "1025Gi"),
        Arguments.of(new Resources(1, 1), "1m", "1"));
  }

  @ParameterizedTest(name = "{0} is written as cpu {1} and memory {2}")
  @MethodSource("quantities")
  void resourcesAreWrittenAsKubernetesQuantities(Resources allocatable, String cpu, String memory) {
    ResourceUsage usage = new ResourceUsage(allocatable, new Resources(500, 512L << 20));

    KubeObject written = MemberClusterStatusWriter.withResources(cluster(""), usage);

    assertThat(written.at("/status/resourceSummary/allocatable/cpu").stringValue()).isEqualTo(cpu);
    assertThat(written.at("/status/resourceSummary/allocatable/memory").stringValue())
        .isEqualTo(memory);
    assertThat(written.at("/status/resourceSummary/allocated/cpu").stringValue()).isEqualTo("500m");
    assertThat(written.at("/status/resourceSummary/allocated/memory").stringValue())
        .isEqualTo("512Mi");
    var summary = readBack(written).status().resourceSummary().orElseThrow();
    assertThat(summary.allocatable().toResources()).isEqualTo(allocatable);
    assertThat(summary.allocated().toResources()).isEqualTo(new Resources(500, 512L << 20));
  }

  @Test
  void nothingAllocatedIsWrittenAsZero() {
    KubeObject written =
        MemberClusterStatusWriter.withResources(
            cluster(""), new ResourceUsage(new Resources(4_000, 8L << 30), Resources.ZERO));

    assertThat(written.at("/status/resourceSummary/allocated/cpu").stringValue()).isEqualTo("0");
    assertThat(written.at("/status/resourceSummary/allocated/memory").stringValue()).isEqualTo("0");
    assertThat(readBack(written).status().resourceSummary()).isPresent();
  }

  @Test
  void aMemberWithNoAllocatableCapacityHasNoSummary() {
    KubeObject withSummary =
        MemberClusterStatusWriter.withResources(
            cluster(""), new ResourceUsage(new Resources(4_000, 8L << 30), Resources.ZERO));

    KubeObject written =
        MemberClusterStatusWriter.withResources(
            withSummary, new ResourceUsage(Resources.ZERO, Resources.ZERO));

    assertThat(written.at("/status/resourceSummary").isMissingNode()).isTrue();
    assertThat(readBack(written).status().resourceSummary()).isEmpty();
  }

  @Test
  void healthAndResourcesTogetherReadBack() {
    KubeObject written =
        MemberClusterStatusWriter.withResources(
            MemberClusterStatusWriter.withHealth(cluster(OTHER_TAINTS), UP),
            new ResourceUsage(new Resources(8_000, 32L << 30), new Resources(2_500, 6L << 30)));

    MemberCluster c = readBack(written);
    assertThat(ready(c).isTrue()).isTrue();
    assertThat(c.status().resourceSummary()).isPresent();
  }

  @Test
  void anObjectThatIsNotAMemberClusterIsRefused() {
    KubeObject configMap = KubeObject.create("v1", "ConfigMap", "mw", "dc1");

    assertThatThrownBy(() -> MemberClusterStatusWriter.withHealth(configMap, UP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a flotilla.io/v1alpha1 MemberCluster, got v1 ConfigMap dc1");
  }
}
