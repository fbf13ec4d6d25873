package io.flotilla.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.api.Condition;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.MemberClusterStatus;
import io.flotilla.api.Quantity;
import io.flotilla.api.ResourceList;
import io.flotilla.api.ResourceSummary;
import io.flotilla.api.Resources;
import io.flotilla.api.Taint;
import io.flotilla.api.TaintEffect;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading and validating a MemberCluster. */
class MemberClusterReaderTest {
  private static final String HEADER =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: MemberCluster
      metadata:
        name: dc1-compute
      """;

  /** A minimal valid status, for cases about other fields. */
  private static final String READY_STATUS =
      """
      status:
        conditions:
          - type: Ready
            status: "True"
        resourceSummary:
          allocatable: {cpu: "64", memory: 256Gi}
      """;

  private static Decoded<MemberCluster> read(String yaml) {
    List<Manifest> manifests = ManifestReader.read("clusters.yaml", yaml);
    assertThat(manifests).hasSize(1);
    return MemberClusterReader.read(manifests.get(0));
  }

  private static MemberCluster valid(String yaml) {
    Decoded<MemberCluster> d = read(yaml);
    assertThat(d.problems()).isEmpty();
    assertThat(d.value()).isPresent();
    return d.value().get();
  }

  @Test
  void readsAFullCluster() {
    MemberCluster c =
        valid(
            """
            apiVersion: flotilla.io/v1alpha1
            kind: MemberCluster
            metadata:
              name: dc1-compute
              labels:
                cluster: compute
                topology.kubernetes.io/zone: dc1
              annotations:
                flotilla.io/owner: platform team
              uid: 0b6b1b52-6f0e-4a57-8d39-1d3c7f0f7a11
              resourceVersion: "42"
            spec:
              taints:
                - key: maintenance
                  value: "true"
                  effect: NoSchedule
                  timeAdded: "2026-11-26T10:00:00Z"
                - key: dedicated
                  effect: NoExecute
            status:
              conditions:
                - type: Ready
                  status: "True"
                  reason: ClusterReady
                  message: cluster is healthy
                  lastTransitionTime: "2026-11-26T11:00:00Z"
                  lastHeartbeatTime: "2026-11-26T12:00:00Z"
                - type: Degraded
                  status: "False"
              resourceSummary:
                allocatable:
                  cpu: "64"
                  memory: 256Gi
                  pods: "1100"
                allocated:
                  cpu: 10500m
                  memory: 100Gi
            """);

    assertThat(c.name()).isEqualTo("dc1-compute");
    assertThat(c.metadata().namespace()).isEmpty();
    assertThat(c.metadata().labels())
        .containsExactly(
            Map.entry("cluster", "compute"), Map.entry("topology.kubernetes.io/zone", "dc1"));
    assertThat(c.metadata().annotations())
        .containsExactly(Map.entry("flotilla.io/owner", "platform team"));
    assertThat(c.spec().taints())
        .containsExactly(
            new Taint("maintenance", "true", TaintEffect.NoSchedule),
            new Taint("dedicated", "", TaintEffect.NoExecute));

    MemberClusterStatus status = c.status();
    assertThat(status.condition(MemberClusterStatus.READY))
        .hasValue(
            new Condition(
                "Ready",
                ConditionStatus.True,
                "ClusterReady",
                "cluster is healthy",
                Optional.of(Instant.parse("2026-11-26T11:00:00Z")),
                Optional.of(Instant.parse("2026-11-26T12:00:00Z"))));
    assertThat(status.condition(MemberClusterStatus.READY).orElseThrow().isTrue()).isTrue();
    assertThat(status.condition("Degraded").orElseThrow().status())
        .isEqualTo(ConditionStatus.False);
    assertThat(status.condition("Degraded").orElseThrow().lastHeartbeatTime()).isEmpty();

    ResourceSummary summary = status.resourceSummary().orElseThrow();
    assertThat(summary.allocatable().toResources()).isEqualTo(new Resources(64_000, 256L << 30));
    assertThat(summary.allocatable().get("pods")).hasValue(Quantity.parse("1100"));
    assertThat(summary.allocated().toResources()).isEqualTo(new Resources(10_500, 100L << 30));
  }

  @Test
  void aClusterWithoutSpecOrStatusHasNoTaintsAndAnEmptyStatus() {
    MemberCluster c = valid(HEADER);

    assertThat(c.spec().taints()).isEmpty();
    assertThat(c.status().conditions()).isEmpty();
    assertThat(c.status().resourceSummary()).isEmpty();
  }

  @Test
  void quantitiesMayBeYamlNumbersAndAllocatedMayBeAbsent() {
    MemberCluster c =
        valid(
            HEADER
                + """
                status:
                  resourceSummary:
                    allocatable: {cpu: 0.5, memory: 1073741824}
                """);

    ResourceSummary summary = c.status().resourceSummary().orElseThrow();
    assertThat(summary.allocatable()).isEqualTo(ResourceList.of("500m", "1Gi"));
    assertThat(summary.allocated().isEmpty()).isTrue();
  }

  @Test
  void aTimeWithAnOffsetIsReadAsTheSameInstant() {
    MemberCluster c =
        valid(
            HEADER
                + """
                status:
                  conditions:
                    - type: Ready
                      status: "True"
                      lastHeartbeatTime: "2026-11-26T13:00:00+01:00"
                """);

    assertThat(c.status().condition("Ready").orElseThrow().lastHeartbeatTime())
        .hasValue(Instant.parse("2026-11-26T12:00:00Z"));
  }

  /** A bad input, where its one problem is, and a phrase the problem's message must hold. */
  record BadInput(String yaml, String path, String phrase) {}

  private static Arguments bad(String name, String yaml, String path, String phrase) {
    return arguments(named(name, new BadInput(yaml, path, phrase)));
  }

  private static String withSpec(String specBody) {
    return HEADER + "spec:\n" + specBody.indent(2) + READY_STATUS;
  }

  private static String withStatus(String statusBody) {
    return HEADER + "status:\n" + statusBody.indent(2);
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        bad(
            "taint effect PreferNoSchedule",
            withSpec(
                """
                taints:
                  - key: maintenance
                    effect: PreferNoSchedule
                """),
            "spec.taints[0].effect",
            "must be one of NoSchedule, NoExecute, got \"PreferNoSchedule\""),
        bad(
            "taint effect Sometimes",
            withSpec(
                """
                taints:
                  - key: maintenance
                    effect: Sometimes
                """),
            "spec.taints[0].effect",
            "must be one of NoSchedule, NoExecute, got \"Sometimes\""),
        bad(
            "taint effect missing",
            withSpec(
                """
                taints:
                  - key: maintenance
                """),
            "spec.taints[0].effect",
            "required"),
        bad(
            "taint key missing",
            withSpec(
                """
                taints:
                  - effect: NoSchedule
                """),
            "spec.taints[0].key",
            "required"),
        bad(
            "a taint key that is no qualified name",
            withSpec(
                """
                taints:
                  - key: under maintenance
                    effect: NoSchedule
                """),
            "spec.taints[0].key",
            "\"under maintenance\" is not a valid key"),
        bad(
            "a taint value that is no label value",
            withSpec(
                """
                taints:
                  - key: maintenance
                    value: "until monday"
                    effect: NoSchedule
                """),
            "spec.taints[0].value",
            "\"until monday\" is not a valid label value"),
        bad(
            "duplicate taints (same key and effect, whatever the value)",
            withSpec(
                """
                taints:
                  - key: maintenance
                    value: "true"
                    effect: NoSchedule
                  - key: maintenance
                    value: "false"
                    effect: NoSchedule
                """),
            "spec.taints[1]",
            "duplicate taint \"maintenance:NoSchedule\""),
        bad(
            "an unknown spec field suggests the known one",
            withSpec(
                """
                taint: []
                """),
            "spec.taint",
            "unknown field; did you mean taints?"),
        bad(
            "a namespace on a cluster-scoped object",
            HEADER + "  namespace: default\n" + READY_STATUS,
            "metadata.namespace",
            "must not be set: this kind is cluster-scoped"),
        bad(
            "a name that is no DNS subdomain",
            HEADER.replace("dc1-compute", "DC1") + READY_STATUS,
            "metadata.name",
            "\"DC1\" is not a DNS subdomain"),
        bad(
            "an empty name",
            HEADER.replace("dc1-compute", "\"\"") + READY_STATUS,
            "metadata.name",
            "required, got an empty string"),
        bad(
            "a label with a bad value, its dotted key quoted in the path",
            HEADER + "  labels:\n    topology.kubernetes.io/zone: dc1!\n" + READY_STATUS,
            "metadata.labels[\"topology.kubernetes.io/zone\"]",
            "\"dc1!\" is not a valid label value"),
        bad(
            "a wrong kind",
            HEADER.replace("kind: MemberCluster", "kind: Cluster"),
            "kind",
            "must be MemberCluster, got \"Cluster\""),
        bad(
            "allocatable cpu missing",
            withStatus(
                """
                resourceSummary:
                  allocatable: {memory: 256Gi}
                """),
            "status.resourceSummary.allocatable.cpu",
            "required: the scheduler places replicas by cpu and memory"),
        bad(
            "allocatable memory missing",
            withStatus(
                """
                resourceSummary:
                  allocatable: {cpu: "64"}
                """),
            "status.resourceSummary.allocatable.memory",
            "required: the scheduler places replicas by cpu and memory"),
        bad(
            "allocatable missing",
            withStatus(
                """
                resourceSummary:
                  allocated: {cpu: "1", memory: 1Gi}
                """),
            "status.resourceSummary.allocatable",
            "required"),
        bad(
            "allocatable cpu \"0\"",
            withStatus(
                """
                resourceSummary:
                  allocatable: {cpu: "0", memory: 256Gi}
                """),
            "status.resourceSummary.allocatable.cpu",
            "must be greater than 0"),
        bad(
            "a negative allocated quantity",
            withStatus(
                """
                resourceSummary:
                  allocatable: {cpu: "64", memory: 256Gi}
                  allocated: {cpu: "-1", memory: 1Gi}
                """),
            "status.resourceSummary.allocated.cpu",
            "must not be negative, got -1"),
        bad(
            "an unparsable allocatable quantity is reported once",
            withStatus(
                """
                resourceSummary:
                  allocatable: {cpu: "64 cores", memory: 256Gi}
                """),
            "status.resourceSummary.allocatable.cpu",
            "quantity \"64 cores\" has unknown suffix \" cores\""),
        bad(
            "allocatable memory beyond 1Ei",
            withStatus(
                """
                resourceSummary:
                  allocatable: {cpu: "64", memory: 2Ei}
                """),
            "status.resourceSummary.allocatable.memory",
            "is too large: 2Ei (at most 1Ei)"),
        bad(
            "a bad RFC 3339 time",
            withStatus(
                """
                conditions:
                  - type: Ready
                    status: "True"
                    lastHeartbeatTime: "26/11/2026 12:00"
                """),
            "status.conditions[0].lastHeartbeatTime",
            "must be an RFC 3339 time such as 2026-11-26T12:00:00Z, got \"26/11/2026 12:00\""),
        bad(
            "a time without a zone",
            withStatus(
                """
                conditions:
                  - type: Ready
                    status: "True"
                    lastTransitionTime: "2026-11-26T12:00:00"
                """),
            "status.conditions[0].lastTransitionTime",
            "must be an RFC 3339 time"),
        bad(
            "condition status Yes",
            withStatus(
                """
                conditions:
                  - type: Ready
                    status: "Yes"
                """),
            "status.conditions[0].status",
            "must be one of True, False, Unknown, got \"Yes\""),
        bad(
            "condition type missing",
            withStatus(
                """
                conditions:
                  - status: "True"
                """),
            "status.conditions[0].type",
            "required"),
        bad(
            "duplicate condition types",
            withStatus(
                """
                conditions:
                  - type: Ready
                    status: "True"
                  - type: Ready
                    status: "False"
                """),
            "status.conditions[1]",
            "duplicate condition type \"Ready\""),
        bad(
            "conditions that are no list",
            withStatus(
                """
                conditions: {type: Ready}
                """),
            "status.conditions",
            "must be a list, got an object"));
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void reportsTheProblemWithItsFieldPath(BadInput input) {
    Decoded<MemberCluster> d = read(input.yaml());

    assertThat(d.isValid()).isFalse();
    assertThat(d.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo(input.path());
              assertThat(p.message()).contains(input.phrase());
            });
  }

  @Test
  void everyProblemOfAClusterIsReportedAtOnce() {
    Decoded<MemberCluster> d =
        read(
            """
            apiVersion: flotilla.io/v1alpha1
            kind: MemberCluster
            metadata:
              name: dc1
              namespace: default
            spec:
              taints:
                - key: maintenance
                  effect: Sometimes
            status:
              conditions:
                - type: Ready
                  status: "Yes"
              resourceSummary:
                allocatable: {cpu: "0", memory: -1Gi}
            """);

    assertThat(d.value()).isEmpty();
    assertThat(d.problems())
        .extracting(p -> p.path() + ": " + p.message())
        .containsExactlyInAnyOrder(
            "metadata.namespace: must not be set: this kind is cluster-scoped",
            "spec.taints[0].effect: must be one of NoSchedule, NoExecute, got \"Sometimes\"",
            "status.conditions[0].status: must be one of True, False, Unknown, got \"Yes\"",
            "status.resourceSummary.allocatable.memory: must not be negative, got -1Gi",
            "status.resourceSummary.allocatable.cpu: must be greater than 0");
  }
}
