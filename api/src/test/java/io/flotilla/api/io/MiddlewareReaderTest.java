package io.flotilla.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.api.Failback;
import io.flotilla.api.GlobalEndpoints;
import io.flotilla.api.LabelSelector;
import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareSpec;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Problem;
import io.flotilla.api.Quantity;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ReplicaSchedulingType;
import io.flotilla.api.ResourceList;
import io.flotilla.api.TaintEffect;
import io.flotilla.api.Toleration;
import io.flotilla.api.TolerationOperator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading and validating a Middleware: the talk's example, and every kind of bad input. */
class MiddlewareReaderTest {
  private static final String HEADER =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: Middleware
      metadata:
        name: redis-ha
      """;

  /** The spec block of the talk (seed/middleware-multicluster-ha-talk.txt), as written. */
  private static final String TALK_SPEC =
      """
      spec:
        replicaRequirements:
          - replicas: 3
            role: "master"
            maxSkew: 1
            resourceRequest:
              limits:
                cpu: "1"
                memory: 2Gi
              requests:
                cpu: "1"
                memory: 1Gi
          - replicas: 3
            role: "slave"
            shard: 1
            maxSkew: 1
            resourceRequest:
              limits:
                cpu: "4"
                memory: 8Gi
              requests:
                cpu: "2"
                memory: 4Gi
        clusterAffinity:
          labelSelector:
            cluster: compute
        clustersNames:
          - user1
          - user2
      """;

  private static Decoded<Middleware> read(String yaml) {
    List<Manifest> manifests = ManifestReader.read("middleware.yaml", yaml);
    assertThat(manifests).hasSize(1);
    return MiddlewareReader.read(manifests.get(0));
  }

  /** A whole Middleware document around a spec body (given without the {@code spec:} line). */
  private static String withSpec(String specBody) {
    return HEADER + "spec:\n" + specBody.indent(2);
  }

  private static Middleware valid(String yaml) {
    Decoded<Middleware> d = read(yaml);
    assertThat(d.problems()).isEmpty();
    assertThat(d.value()).isPresent();
    return d.value().get();
  }

  @Test
  void theTalksExampleLoadsAsWritten() {
    Middleware m = valid(HEADER + TALK_SPEC + "  type: redis\n");

    assertThat(m.name()).isEqualTo("redis-ha");
    assertThat(m.metadata().namespace()).hasValue("default");
    MiddlewareSpec spec = m.spec();
    assertThat(spec.type()).isEqualTo(MiddlewareType.REDIS);
    assertThat(spec.replicaRequirements())
        .extracting(
            ReplicaRequirement::role, ReplicaRequirement::replicas, ReplicaRequirement::maxSkew)
        .containsExactly(tuple("master", 3, 1), tuple("slave", 3, 1));

    ReplicaRequirement master = spec.role("master").orElseThrow();
    assertThat(master.shard()).isEmpty();
    assertThat(master.shardOf()).isEmpty();
    assertThat(master.replicaSchedulingType()).isEqualTo(ReplicaSchedulingType.Divided);
    assertThat(master.resourceRequest().requests()).isEqualTo(resources("1", "1Gi"));
    assertThat(master.resourceRequest().limits()).isEqualTo(resources("1", "2Gi"));
    assertThat(master.isVoter(MiddlewareType.REDIS)).isTrue();

    ReplicaRequirement slave = spec.role("slave").orElseThrow();
    assertThat(slave.shard()).isEqualTo(OptionalInt.of(1));
    assertThat(slave.shardOf()).hasValue("master");
    assertThat(slave.resourceRequest().requests()).isEqualTo(resources("2", "4Gi"));
    assertThat(slave.resourceRequest().limits()).isEqualTo(resources("4", "8Gi"));
    assertThat(slave.resourceRequest().charge().cpuMillis()).isEqualTo(2000);
    assertThat(slave.resourceRequest().charge().memoryBytes()).isEqualTo(4L << 30);
    assertThat(slave.isVoter(MiddlewareType.REDIS)).isFalse();

    Optional<LabelSelector> selector = spec.clusterAffinity().labelSelector();
    assertThat(selector).isPresent();
    assertThat(selector.get().matchLabels()).containsExactly(Map.entry("cluster", "compute"));
    assertThat(selector.get().matchExpressions()).isEmpty();
    assertThat(spec.clusterAffinity().clusterNames()).containsExactly("user1", "user2");
    assertThat(spec.tolerations()).isEmpty();
    assertThat(spec.pinnedPlacement().isEmpty()).isTrue();
  }

  private static ResourceList resources(String cpu, String memory) {
    return ResourceList.of(cpu, memory);
  }

  @Test
  void readsEveryOptionalField() {
    Middleware m =
        valid(
            """
            apiVersion: flotilla.io/v1alpha1
            kind: Middleware
            metadata:
              name: mq
              namespace: payments
              labels:
                team: core
            spec:
              type: rocketmq
              version: 5.1
              replicaRequirements:
                - role: nameserver
                  replicas: 2
                  replicaSchedulingType: Duplicated
                - role: controller
                  replicas: 3
                  minClusters: 3
                  maxClusters: 3
                - role: master
                  replicas: 4
                  weights: {dc1: 3, dc2: 1}
                - role: broker-x
                  replicas: 1
                  voter: true
              clusterAffinity:
                labelSelector:
                  matchLabels:
                    cluster: compute
                  matchExpressions:
                    - key: zone
                      operator: In
                      values: [dc1, dc2]
                    - key: gpu
                      operator: DoesNotExist
                clusterNames: [dc1, dc2]
              tolerations:
                - key: maintenance
                  operator: Equal
                  value: "true"
                  effect: NoSchedule
                - operator: Exists
              pinnedPlacement:
                controller: {dc1: 1, dc2: 1, dc3: 1}
              settings:
                brokerClusterName: main
                flushDiskType: SYNC_FLUSH
                maxMessageSize: 4194304
            """);

    MiddlewareSpec spec = m.spec();
    assertThat(m.metadata().namespace()).hasValue("payments");
    assertThat(m.metadata().labels()).containsExactly(Map.entry("team", "core"));
    assertThat(spec.type()).isEqualTo(MiddlewareType.ROCKETMQ);
    assertThat(spec.version()).hasValue("5.1");
    assertThat(spec.role("nameserver").orElseThrow().replicaSchedulingType())
        .isEqualTo(ReplicaSchedulingType.Duplicated);
    ReplicaRequirement controller = spec.role("controller").orElseThrow();
    assertThat(controller.minClusters()).isEqualTo(OptionalInt.of(3));
    assertThat(controller.maxClusters()).isEqualTo(OptionalInt.of(3));
    assertThat(controller.isVoter(MiddlewareType.ROCKETMQ)).isTrue();
    assertThat(spec.role("master").orElseThrow().weights())
        .containsExactly(Map.entry("dc1", 3), Map.entry("dc2", 1));
    assertThat(spec.role("broker-x").orElseThrow().isVoter(MiddlewareType.ROCKETMQ)).isTrue();
    LabelSelector selector = spec.clusterAffinity().labelSelector().orElseThrow();
    assertThat(selector).hasToString("cluster=compute,zone in (dc1,dc2),!gpu");
    assertThat(spec.clusterAffinity().clusterNames()).containsExactly("dc1", "dc2");
    assertThat(spec.tolerations())
        .containsExactly(
            new Toleration(
                "maintenance",
                TolerationOperator.Equal,
                "true",
                Optional.of(TaintEffect.NoSchedule)),
            new Toleration("", TolerationOperator.Exists, "", Optional.empty()));
    assertThat(spec.pinnedPlacement().role("controller"))
        .containsExactly(Map.entry("dc1", 1), Map.entry("dc2", 1), Map.entry("dc3", 1));
    assertThat(spec.settings())
        .containsExactly(
            Map.entry("brokerClusterName", "main"),
            Map.entry("flushDiskType", "SYNC_FLUSH"),
            Map.entry("maxMessageSize", "4194304"));
  }

  @Test
  void failbackIsNeverUnlessTheSpecSaysWhenReady() {
    String roles = "type: redis\nreplicaRequirements: [{role: master, replicas: 3}]\n";
    assertThat(valid(withSpec(roles)).spec().failback()).isEqualTo(Failback.NEVER);
    assertThat(valid(withSpec(roles + "failback: {policy: WhenReady}")).spec().failback())
        .isEqualTo(new Failback(Failback.Policy.WHEN_READY, 600));
    assertThat(
            valid(withSpec(roles + "failback: {policy: WhenReady, readyForSeconds: 30}"))
                .spec()
                .failback())
        .isEqualTo(new Failback(Failback.Policy.WHEN_READY, 30));
  }

  @Test
  void globalEndpointsGoToEveryCandidateClusterAsEndpointSlicesUnlessTheSpecSaysOtherwise() {
    String roles = "type: redis\nreplicaRequirements: [{role: master, replicas: 3}]\n";
    assertThat(valid(withSpec(roles)).spec().globalEndpoints()).isEqualTo(GlobalEndpoints.DEFAULT);
    assertThat(
            valid(withSpec(roles + "globalEndpoints: {clusters: [dc1, dc3], form: Endpoints}"))
                .spec()
                .globalEndpoints())
        .isEqualTo(new GlobalEndpoints(List.of("dc1", "dc3"), GlobalEndpoints.Form.ENDPOINTS));
  }

  @Test
  void clusterNamesMayBeGivenUnderClusterAffinity() {
    Middleware m =
        valid(
            withSpec(
                """
                type: zookeeper
                replicaRequirements:
                  - role: participant
                    replicas: 3
                clusterAffinity:
                  clusterNames: [dc1, dc2, dc3]
                """));

    assertThat(m.spec().clusterAffinity().clusterNames()).containsExactly("dc1", "dc2", "dc3");
    assertThat(m.spec().clusterAffinity().labelSelector()).isEmpty();
  }

  @Test
  void aQuantityGivenAsAYamlNumberIsReadExactly() {
    Middleware m =
        valid(
            withSpec(
                """
                type: zookeeper
                replicaRequirements:
                  - role: participant
                    replicas: 3
                    resourceRequest:
                      requests: {cpu: 0.1, memory: 1073741824}
                """));

    ResourceList requests = m.spec().role("participant").orElseThrow().resourceRequest().requests();
    assertThat(requests.get("cpu")).hasValue(Quantity.parse("100m"));
    assertThat(requests.get("memory")).hasValue(Quantity.parse("1Gi"));
  }

  @Test
  void statusIsIgnoredAndServerSetMetadataIsAccepted() {
    Middleware m =
        valid(
            """
            apiVersion: flotilla.io/v1alpha1
            kind: Middleware
            metadata:
              name: zk
              namespace: infra
              uid: 2f1c5a0e-8a44-4c57-9d0a-5b9e6f3c1d2e
              resourceVersion: "12345"
              generation: 4
              creationTimestamp: "2026-11-26T12:00:00Z"
              managedFields: []
            spec:
              type: zookeeper
              replicaRequirements:
                - role: participant
                  replicas: 5
            status:
              observedGeneration: 3
              placement: {participant: {dc1: 2, dc2: 2, dc3: 1}}
              conditions:
                - type: Scheduled
                  status: "True"
              anything: [goes, here]
            """);

    assertThat(m.name()).isEqualTo("zk");
    assertThat(m.metadata().namespace()).hasValue("infra");
    assertThat(m.spec().role("participant").orElseThrow().replicas()).isEqualTo(5);
  }

  /** A bad input, where its one problem is, and a phrase the problem's message must hold. */
  record BadInput(String yaml, String path, String phrase) {}

  private static Arguments bad(String name, String specBody, String path, String phrase) {
    return arguments(named(name, new BadInput(withSpec(specBody), path, phrase)));
  }

  private static Arguments badDocument(String name, String yaml, String path, String phrase) {
    return arguments(named(name, new BadInput(yaml, path, phrase)));
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        bad(
            "an unknown global endpoints form",
            """
            type: redis
            replicaRequirements: [{role: master, replicas: 3}]
            globalEndpoints: {form: Slices}
            """,
            "spec.globalEndpoints.form",
            "must be EndpointSlice or Endpoints, got \"Slices\""),
        bad(
            "a global endpoints cluster that cannot be a cluster name",
            """
            type: redis
            replicaRequirements: [{role: master, replicas: 3}]
            globalEndpoints: {clusters: [dc1, DC_2]}
            """,
            "spec.globalEndpoints.clusters[1]",
            "DC_2"),
        bad(
            "an empty list of global endpoints clusters",
            """
            type: redis
            replicaRequirements: [{role: master, replicas: 3}]
            globalEndpoints: {clusters: []}
            """,
            "spec.globalEndpoints.clusters",
            "must not be empty; leave it out to give them to every candidate cluster"),
        bad(
            "an unknown failback policy",
            """
            type: redis
            replicaRequirements: [{role: master, replicas: 3}]
            failback: {policy: Always}
            """,
            "spec.failback.policy",
            "must be Never or WhenReady, got \"Always\""),
        bad(
            "a negative failback delay",
            """
            type: redis
            replicaRequirements: [{role: master, replicas: 3}]
            failback: {policy: WhenReady, readyForSeconds: -5}
            """,
            "spec.failback.readyForSeconds",
            "must be >= 0, got -5"),
        bad(
            "an unknown failback field",
            """
            type: redis
            replicaRequirements: [{role: master, replicas: 3}]
            failback: {policy: WhenReady, after: 10m}
            """,
            "spec.failback.after",
            "unknown field"),
        bad(
            "negative replicas",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: -1
            """,
            "spec.replicaRequirements[0].replicas",
            "must be >= 0, got -1"),
        bad(
            "replicas above the limit",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 100001
            """,
            "spec.replicaRequirements[0].replicas",
            "must be <= 100000, got 100001"),
        bad(
            "replicas missing",
            """
            type: redis
            replicaRequirements:
              - role: master
            """,
            "spec.replicaRequirements[0].replicas",
            "required"),
        bad(
            "replicas given as a string \"3\"",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: "3"
            """,
            "spec.replicaRequirements[0].replicas",
            "must be an integer, got string \"3\""),
        bad(
            "replicas 3.5",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3.5
            """,
            "spec.replicaRequirements[0].replicas",
            "must be an integer, got number 3.5"),
        bad(
            "replicas beyond an int",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 99999999999
            """,
            "spec.replicaRequirements[0].replicas",
            "is out of range: 99999999999"),
        bad(
            "maxSkew 0",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
              - role: sentinel
                replicas: 3
                maxSkew: 0
            """,
            "spec.replicaRequirements[1].maxSkew",
            "must be >= 1, got 0"),
        bad(
            "duplicate roles",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
              - role: master
                replicas: 1
            """,
            "spec.replicaRequirements[1]",
            "duplicate role \"master\""),
        bad(
            "no role at all",
            """
            type: redis
            replicaRequirements: []
            """,
            "spec.replicaRequirements",
            "must not be empty"),
        bad(
            "replicaRequirements missing",
            """
            type: redis
            """,
            "spec.replicaRequirements",
            "required: at least one role"),
        bad(
            "an unknown type lists the known ones",
            """
            type: mysql
            replicaRequirements:
              - role: master
                replicas: 3
            """,
            "spec.type",
            "must be one of redis, elasticsearch, kafka, rocketmq, zookeeper, got \"mysql\""),
        bad(
            "type missing",
            """
            replicaRequirements:
              - role: master
                replicas: 3
            """,
            "spec.type",
            "required"),
        bad(
            "a role the type does not know lists the type's roles",
            """
            type: kafka
            replicaRequirements:
              - role: master
                replicas: 3
            """,
            "spec.replicaRequirements[0].role",
            "\"master\" is not a role of kafka; its roles are controller, broker, combined"),
        bad(
            "a role name that is no DNS label",
            """
            type: redis
            replicaRequirements:
              - role: Master
                replicas: 3
                voter: true
            """,
            "spec.replicaRequirements[0].role",
            "\"Master\" is not a DNS label"),
        bad(
            "an unparsable quantity",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                resourceRequest:
                  requests:
                    cpu: 1 core
            """,
            "spec.replicaRequirements[0].resourceRequest.requests.cpu",
            "quantity \"1 core\" has unknown suffix \" core\""),
        bad(
            "a quantity given as a list",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                resourceRequest:
                  limits:
                    memory: [1Gi]
            """,
            "spec.replicaRequirements[0].resourceRequest.limits.memory",
            "must be a quantity such as \"500m\" or \"2Gi\", got a list"),
        bad(
            "a negative request",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                resourceRequest:
                  requests:
                    memory: -1Gi
            """,
            "spec.replicaRequirements[0].resourceRequest.requests.memory",
            "must not be negative, got -1Gi"),
        bad(
            "a request too large for one replica",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                resourceRequest:
                  requests:
                    memory: 17Ti
            """,
            "spec.replicaRequirements[0].resourceRequest.requests.memory",
            "is too large: 17Ti (at most 16Ti)"),
        bad(
            "requests above limits",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                resourceRequest:
                  requests: {cpu: "2", memory: 4Gi}
                  limits: {cpu: "2", memory: 2Gi}
            """,
            "spec.replicaRequirements[0].resourceRequest.requests.memory",
            "must be <= limits.memory (4Gi > 2Gi)"),
        bad(
            "an unknown field suggests the known one",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                maxskew: 1
            """,
            "spec.replicaRequirements[0].maxskew",
            "unknown field; did you mean maxSkew?"),
        bad(
            "an unknown field far from every known one has no suggestion",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            colour: blue
            """,
            "spec.colour",
            "unknown field"),
        bad(
            "both clusterNames and its alias clustersNames",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            clusterNames: [user1]
            clustersNames: [user1]
            """,
            "spec.clustersNames",
            "is an alias of clusterNames; give only one of them"),
        bad(
            "cluster names at spec level conflicting with clusterAffinity's",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            clusterAffinity:
              clusterNames: [user1]
            clustersNames: [user2]
            """,
            "spec.clusterNames",
            "conflicts with clusterAffinity.clusterNames"),
        bad(
            "an empty cluster name list",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            clusterNames: []
            """,
            "spec.clusterNames",
            "must not be empty; leave it out to allow every cluster"),
        bad(
            "a cluster name that is no DNS subdomain",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            clusterNames: [user1, User_2]
            """,
            "spec.clusterNames[1]",
            "\"User_2\" is not a DNS subdomain"),
        bad(
            "a cluster name given twice",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            clusterNames: [user1, user2, user1]
            """,
            "spec.clusterNames[2]",
            "duplicate cluster name \"user1\""),
        bad(
            "a shard without a primary role",
            """
            type: redis
            replicaRequirements:
              - role: slave
                replicas: 3
                shard: 1
            """,
            "spec.replicaRequirements[0].shard",
            "needs a primary role"),
        bad(
            "shard replicas not equal to shards times replicas per shard",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
              - role: slave
                replicas: 3
                shard: 2
            """,
            "spec.replicaRequirements[1].replicas",
            "must be shards × replicas per shard = 3 × 2 = 6"),
        bad(
            "shardOf naming a later role",
            """
            type: redis
            replicaRequirements:
              - role: slave
                replicas: 3
                shard: 1
                shardOf: master
              - role: master
                replicas: 3
            """,
            "spec.replicaRequirements[0].shardOf",
            "primary role \"master\" must be listed before this role"),
        bad(
            "shardOf naming no role",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
              - role: slave
                replicas: 3
                shard: 1
                shardOf: primary
            """,
            "spec.replicaRequirements[1].shardOf",
            "names role \"primary\", which does not exist"),
        bad(
            "shardOf without shard",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
              - role: slave
                replicas: 3
                shardOf: master
            """,
            "spec.replicaRequirements[1].shardOf",
            "needs shard"),
        bad(
            "shard 0",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
              - role: slave
                replicas: 0
                shard: 0
            """,
            "spec.replicaRequirements[1].shard",
            "must be >= 1 (replicas per shard), got 0"),
        bad(
            "two sharded roles",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 2
              - role: slave
                replicas: 2
                shard: 1
              - role: replica
                replicas: 2
                shard: 1
            """,
            "spec.replicaRequirements[2].shard",
            "only one role may set shard"),
        bad(
            "weights on a Duplicated role",
            """
            type: rocketmq
            replicaRequirements:
              - role: nameserver
                replicas: 2
                replicaSchedulingType: Duplicated
                weights: {dc1: 1}
            """,
            "spec.replicaRequirements[0].weights",
            "applies to Divided roles only; this role is Duplicated"),
        bad(
            "maxSkew on a Duplicated role",
            """
            type: rocketmq
            replicaRequirements:
              - role: nameserver
                replicas: 2
                replicaSchedulingType: Duplicated
                maxSkew: 2
            """,
            "spec.replicaRequirements[0].maxSkew",
            "applies to Divided roles only; this role is Duplicated"),
        bad(
            "an unknown replicaSchedulingType",
            """
            type: rocketmq
            replicaRequirements:
              - role: nameserver
                replicas: 2
                replicaSchedulingType: Everywhere
            """,
            "spec.replicaRequirements[0].replicaSchedulingType",
            "must be one of Divided, Duplicated, got \"Everywhere\""),
        bad(
            "weights with maxClusters",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                weights: {dc1: 2, dc2: 1}
                maxClusters: 2
            """,
            "spec.replicaRequirements[0].maxClusters",
            "cannot be combined with weights"),
        bad(
            "weights with maxSkew",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                weights: {dc1: 2, dc2: 1}
                maxSkew: 1
            """,
            "spec.replicaRequirements[0].maxSkew",
            "cannot be combined with weights"),
        bad(
            "a zero weight",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                weights: {dc1: 3, dc2: 0}
            """,
            "spec.replicaRequirements[0].weights.dc2",
            "must be >= 1, got 0"),
        bad(
            "empty weights",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                weights: {}
            """,
            "spec.replicaRequirements[0].weights",
            "must name at least one cluster"),
        bad(
            "minClusters above maxClusters",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                minClusters: 3
                maxClusters: 2
            """,
            "spec.replicaRequirements[0].minClusters",
            "must be <= maxClusters (3 > 2)"),
        bad(
            "maxClusters 0",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                maxClusters: 0
            """,
            "spec.replicaRequirements[0].maxClusters",
            "must be >= 1, got 0"),
        bad(
            "voter given as a string",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
                voter: "yes"
            """,
            "spec.replicaRequirements[0].voter",
            "must be true or false, got string \"yes\""),
        bad(
            "a toleration Exists with a value",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            tolerations:
              - key: maintenance
                operator: Exists
                value: "true"
            """,
            "spec.tolerations[0].value",
            "must be empty when operator is Exists"),
        bad(
            "a toleration with a bad taint effect",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            tolerations:
              - key: maintenance
                value: "true"
                effect: PreferNoSchedule
            """,
            "spec.tolerations[0].effect",
            "must be one of NoSchedule, NoExecute, got \"PreferNoSchedule\""),
        bad(
            "a toleration with an unknown operator",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            tolerations:
              - key: maintenance
                operator: Matches
            """,
            "spec.tolerations[0].operator",
            "must be one of Equal, Exists, got \"Matches\""),
        bad(
            "a toleration Equal without a key",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            tolerations:
              - value: "true"
            """,
            "spec.tolerations[0].key",
            "required unless operator is Exists"),
        bad(
            "a toleration that is no object",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            tolerations:
              - maintenance
            """,
            "spec.tolerations[0]",
            "must be an object, got string \"maintenance\""),
        bad(
            "pinnedPlacement naming an unknown role",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            pinnedPlacement:
              sentinel: {dc1: 3}
            """,
            "spec.pinnedPlacement.sentinel",
            "no role named \"sentinel\" in replicaRequirements"),
        bad(
            "pinnedPlacement counts not adding up to the role's replicas",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            pinnedPlacement:
              master: {dc1: 1, dc2: 1}
            """,
            "spec.pinnedPlacement.master",
            "counts add up to 2 but role master has 3 replicas"),
        bad(
            "a negative pinned count",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            pinnedPlacement:
              master: {dc1: 3, dc2: -1}
            """,
            "spec.pinnedPlacement.master.dc2",
            "must be a count from 0 to 100000, got number -1"),
        bad(
            "pinning a Duplicated role",
            """
            type: rocketmq
            replicaRequirements:
              - role: nameserver
                replicas: 2
                replicaSchedulingType: Duplicated
            pinnedPlacement:
              nameserver: {dc1: 2}
            """,
            "spec.pinnedPlacement.nameserver",
            "cannot pin a Duplicated role"),
        bad(
            "matchExpressions In without values",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            clusterAffinity:
              labelSelector:
                matchExpressions:
                  - key: zone
                    operator: In
            """,
            "spec.clusterAffinity.labelSelector.matchExpressions[0].values",
            "must not be empty when operator is In"),
        bad(
            "matchExpressions Exists with values",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            clusterAffinity:
              labelSelector:
                matchExpressions:
                  - key: zone
                    operator: Exists
                    values: [dc1]
            """,
            "spec.clusterAffinity.labelSelector.matchExpressions[0].values",
            "must be empty when operator is Exists"),
        bad(
            "a shorthand label selector with a bad label value",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            clusterAffinity:
              labelSelector:
                cluster: "compute pool"
            """,
            "spec.clusterAffinity.labelSelector.cluster",
            "\"compute pool\" is not a valid label value"),
        bad(
            "a label selector key with a prefix is quoted in the path",
            """
            type: redis
            replicaRequirements:
              - role: master
                replicas: 3
            clusterAffinity:
              labelSelector:
                matchLabels:
                  topology.kubernetes.io/zone: -dc1
            """,
            "spec.clusterAffinity.labelSelector.matchLabels[\"topology.kubernetes.io/zone\"]",
            "\"-dc1\" is not a valid label value"),
        badDocument("spec missing", HEADER, "spec", "required"),
        badDocument(
            "spec that is no object",
            HEADER + "spec: redis\n",
            "spec",
            "must be an object, got string \"redis\""),
        badDocument(
            "a wrong apiVersion",
            HEADER.replace("flotilla.io/v1alpha1", "flotilla.io/v1")
                + "spec:\n  type: redis\n  replicaRequirements: [{role: master, replicas: 3}]\n",
            "apiVersion",
            "must be flotilla.io/v1alpha1, got \"flotilla.io/v1\""),
        badDocument(
            "a wrong kind",
            HEADER.replace("kind: Middleware", "kind: Redis")
                + "spec:\n  type: redis\n  replicaRequirements: [{role: master, replicas: 3}]\n",
            "kind",
            "must be Middleware, got \"Redis\""),
        badDocument(
            "metadata missing",
            """
            apiVersion: flotilla.io/v1alpha1
            kind: Middleware
            spec:
              type: redis
              replicaRequirements: [{role: master, replicas: 3}]
            """,
            "metadata",
            "required"),
        badDocument(
            "a name that is no DNS label",
            HEADER.replace("name: redis-ha", "name: redis.ha")
                + "spec:\n  type: redis\n  replicaRequirements: [{role: master, replicas: 3}]\n",
            "metadata.name",
            "\"redis.ha\" is not a DNS label"),
        badDocument(
            "an unknown top-level field",
            HEADER
                + "spec:\n  type: redis\n  replicaRequirements: [{role: master, replicas: 3}]\n"
                + "specs: {}\n",
            "specs",
            "unknown field; did you mean spec?"));
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void reportsTheProblemWithItsFieldPath(BadInput input) {
    Decoded<Middleware> d = read(input.yaml());

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
  void everyProblemOfADocumentIsReportedAtOnce() {
    Decoded<Middleware> d =
        read(
            """
            apiVersion: flotilla.io/v1
            kind: Middleware
            metadata:
              name: Redis_HA
            spec:
              type: redis
              replicaRequirements:
                - role: master
                  replicas: -1
                - role: sentinel
                  replicas: 3
                  maxSkew: 0
              tolerations:
                - key: maintenance
                  effect: Sometimes
              clusterAfinity: {}
            """);

    assertThat(d.value()).isEmpty();
    assertThat(d.problems())
        .extracting(Problem::path)
        .containsExactlyInAnyOrder(
            "apiVersion",
            "metadata.name",
            "spec.replicaRequirements[0].replicas",
            "spec.replicaRequirements[1].maxSkew",
            "spec.tolerations[0].effect",
            "spec.clusterAfinity");
    assertThat(d.problems())
        .filteredOn(p -> p.path().equals("spec.clusterAfinity"))
        .singleElement()
        .extracting(Problem::message)
        .isEqualTo("unknown field; did you mean clusterAffinity?");
  }

  @Test
  void aProblemPrintsAsPathColonMessage() {
    Decoded<Middleware> d =
        read(
            withSpec(
                """
                type: redis
                replicaRequirements:
                  - role: master
                    replicas: 3
                  - role: sentinel
                    replicas: 3
                    maxSkew: 0
                """));

    assertThat(d.problems())
        .extracting(Problem::toString)
        .containsExactly("spec.replicaRequirements[1].maxSkew: must be >= 1, got 0");
  }
}
