package io.flotilla.scheduler;

import static io.flotilla.scheduler.fixtures.Clusters.cluster;
import static io.flotilla.scheduler.fixtures.Roles.role;
import static io.flotilla.scheduler.fixtures.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.api.LabelSelector;
import io.flotilla.api.LabelSelectorRequirement;
import io.flotilla.api.MiddlewareSpec;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Placement;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.SelectorOperator;
import io.flotilla.api.ShardPlacement;
import io.flotilla.api.TaintEffect;
import io.flotilla.scheduler.fixtures.Clusters;
import io.flotilla.scheduler.fixtures.Specs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole scheduler through {@code Scheduler.withDefaultPlugins()}: gang placement, roles charged
 * in spec order, failover, cordoned clusters, cluster counts, survivability, shards and
 * determinism. Clusters have 10 cpu and 20Gi unless a case says otherwise; replicas request 1 cpu
 * and 1Gi.
 */
class SchedulerTest {
  private static final Scheduler SCHEDULER = Scheduler.withDefaultPlugins();

  /** One scenario: inputs, and what the decision must show. */
  static final class Scenario {
    MiddlewareSpec spec;
    final List<ClusterSnapshot> clusters = new ArrayList<>();
    PreviousPlacement previous = PreviousPlacement.NONE;
    // when scheduled
    Placement placement;
    final Map<String, SortedMap<String, Integer>> displaced = new LinkedHashMap<>();
    final Map<String, Integer> skewExceeded = new LinkedHashMap<>();
    final List<String> warnings = new ArrayList<>();
    Map<String, List<String>> survivability;
    List<ShardPlacement> shards;
    final List<String> restricted = new ArrayList<>();
    Map<String, Double> headroom;
    // when not
    final List<String[]> reasons = new ArrayList<>();

    Scenario spec(Specs s) {
      spec = s.build();
      return this;
    }

    Scenario clusters(Clusters... cs) {
      for (Clusters c : cs) {
        clusters.add(c.build());
      }
      return this;
    }

    Scenario previous(Placement p) {
      previous = new PreviousPlacement(p, List.of());
      return this;
    }

    Scenario previousShards(Placement p, ShardPlacement... s) {
      previous = new PreviousPlacement(p, List.of(s));
      return this;
    }

    Scenario places(Placement p) {
      placement = p;
      return this;
    }

    Scenario displaces(String role, Object... clusterCount) {
      displaced.put(role, counts(clusterCount));
      return this;
    }

    Scenario exceedsSkew(String role, int skew) {
      skewExceeded.put(role, skew);
      return this;
    }

    Scenario warns(String words) {
      warnings.add(words);
      return this;
    }

    /** Each voter role and the clusters whose loss breaks it (none: it survives). */
    Scenario survivability(Map<String, List<String>> expected) {
      survivability = expected;
      return this;
    }

    Scenario shards(ShardPlacement... s) {
      shards = List.of(s);
      return this;
    }

    /** Each candidate's headroom after the placement, for display. */
    Scenario headroom(Map<String, Double> expected) {
      headroom = expected;
      return this;
    }

    /** The cluster is filtered but keeps its replicas (cordoned). */
    Scenario restricts(String cluster) {
      restricted.add(cluster);
      return this;
    }

    /** Some reason names this role and cluster ("" for the role as a whole) and says this. */
    Scenario refuses(String role, String cluster, String says) {
      reasons.add(new String[] {role, cluster, says});
      return this;
    }
  }

  private static Scenario scenario() {
    return new Scenario();
  }

  private static SortedMap<String, Integer> counts(Object... clusterCount) {
    SortedMap<String, Integer> m = new TreeMap<>();
    for (int i = 0; i < clusterCount.length; i += 2) {
      m.put((String) clusterCount[i], (Integer) clusterCount[i + 1]);
    }
    return m;
  }

  /** placement("role", "c1", 1, "c2", 2, "other", "c1", 3): a role name starts each group. */
  private static Placement placement(Object... groups) {
    Placement.Builder b = Placement.builder();
    String role = null;
    for (int i = 0; i < groups.length; ) {
      if (groups[i] instanceof String s
          && (i + 1 >= groups.length || groups[i + 1] instanceof String)) {
        role = s;
        b.role(role, Map.of());
        i++;
      } else {
        b.put(role, (String) groups[i], (Integer) groups[i + 1]);
        i += 2;
      }
    }
    return b.build();
  }

  private static Clusters[] equal(String... names) {
    return Stream.of(names).map(Clusters::cluster).toArray(Clusters[]::new);
  }

  private static ShardPlacement shard(int n, String primary, String... replicas) {
    return new ShardPlacement(n, primary, List.of(replicas));
  }

  // ---- decisions that place everything ---------------------------------------------------------

  static Stream<Named<Scenario>> scheduled() {
    return Stream.of(
        named(
            "3 ZooKeeper participants over 3 equal clusters: one in each, surviving any loss",
            scenario()
                .spec(spec(MiddlewareType.ZOOKEEPER).role(role("participant", 3)))
                .clusters(equal("c1", "c2", "c3"))
                .places(placement("participant", "c1", 1, "c2", 1, "c3", 1))
                .survivability(Map.of("participant", List.of()))),
        named(
            "roles are charged in spec order: the 4-cpu controller takes c1, so the brokers avoid"
                + " it",
            scenario()
                .spec(
                    spec(MiddlewareType.KAFKA)
                        .role(role("controller", 1).request("4", "1Gi"))
                        .role(role("broker", 2)))
                .clusters(equal("c1", "c2", "c3"))
                .places(placement("controller", "c1", 1, "broker", "c2", 1, "c3", 1))
                .headroom(Map.of("c1", 0.6, "c2", 0.9, "c3", 0.9))),
        named(
            "roles are charged in spec order: brokers first take c1 and c2, so the controller"
                + " goes to c3",
            scenario()
                .spec(
                    spec(MiddlewareType.KAFKA)
                        .role(role("broker", 2))
                        .role(role("controller", 1).request("4", "1Gi")))
                .clusters(equal("c1", "c2", "c3"))
                .places(placement("broker", "c1", 1, "c2", 1, "controller", "c3", 1))),
        named(
            "failover from a NoExecute-tainted cluster: its replica moves to the spare c4,"
                + " healthy replicas stay",
            scenario()
                .spec(spec(MiddlewareType.ZOOKEEPER).role(role("participant", 3)))
                .clusters(
                    cluster("c1"),
                    cluster("c2"),
                    cluster("c3").taint("flotilla.io/unreachable", "", TaintEffect.NoExecute),
                    cluster("c4"))
                .previous(placement("participant", "c1", 1, "c2", 1, "c3", 1))
                .places(placement("participant", "c1", 1, "c2", 1, "c4", 1))
                .displaces("participant", "c3", 1)),
        named(
            "failover from a NotReady cluster: its replica moves to the spare c4, healthy"
                + " replicas stay",
            scenario()
                .spec(spec(MiddlewareType.ZOOKEEPER).role(role("participant", 3)))
                .clusters(cluster("c1"), cluster("c2"), cluster("c3").notReady(), cluster("c4"))
                .previous(placement("participant", "c1", 1, "c2", 1, "c3", 1))
                .places(placement("participant", "c1", 1, "c2", 1, "c4", 1))
                .displaces("participant", "c3", 1)),
        named(
            "failover without a spare: (1,1,1) losing c3 becomes (2,1), broken by c1's loss",
            scenario()
                .spec(spec(MiddlewareType.ZOOKEEPER).role(role("participant", 3)))
                .clusters(cluster("c1"), cluster("c2"), cluster("c3").notReady())
                .previous(placement("participant", "c1", 1, "c2", 1, "c3", 1))
                .places(placement("participant", "c1", 2, "c2", 1))
                .displaces("participant", "c3", 1)
                .survivability(Map.of("participant", List.of("c1")))),
        named(
            "healthy replicas never move: (2,1) stays though an empty roomy c3 joined, skew 2"
                + " reported",
            scenario()
                .spec(spec(MiddlewareType.ZOOKEEPER).role(role("participant", 3)))
                .clusters(cluster("c1"), cluster("c2"), cluster("c3").allocatable("100", "200Gi"))
                .previous(placement("participant", "c1", 2, "c2", 1))
                .places(placement("participant", "c1", 2, "c2", 1))
                .exceedsSkew("participant", 2)),
        named(
            "a cordoned cluster (untolerated NoSchedule) keeps its replica and gets no new ones,"
                + " roomiest though it is: (1,1,1) to 5 is (2,2,1)",
            scenario()
                .spec(spec(MiddlewareType.ZOOKEEPER).role(role("participant", 5)))
                .clusters(
                    cluster("c1"),
                    cluster("c2"),
                    cluster("c3")
                        .allocatable("100", "200Gi")
                        .taint("cordoned", "", TaintEffect.NoSchedule))
                .previous(placement("participant", "c1", 1, "c2", 1, "c3", 1))
                .places(placement("participant", "c1", 2, "c2", 2, "c3", 1))
                .restricts("c3")),
        named(
            "a cordoned cluster without the role gets none of a fresh placement, roomiest though"
                + " it is",
            scenario()
                .spec(spec(MiddlewareType.ZOOKEEPER).role(role("participant", 3)))
                .clusters(
                    cluster("c1"),
                    cluster("c2"),
                    cluster("c3")
                        .allocatable("100", "200Gi")
                        .taint("cordoned", "", TaintEffect.NoSchedule))
                .places(placement("participant", "c1", 2, "c2", 1))
                .restricts("c3")),
        named(
            "minClusters only warns when the role already ran (failover): (1,1,1) losing c3"
                + " still places (2,1)",
            scenario()
                .spec(spec(MiddlewareType.ZOOKEEPER).role(role("participant", 3).minClusters(3)))
                .clusters(cluster("c1"), cluster("c2"), cluster("c3").notReady())
                .previous(placement("participant", "c1", 1, "c2", 1, "c3", 1))
                .places(placement("participant", "c1", 2, "c2", 1))
                .displaces("participant", "c3", 1)
                .warns("minClusters")),
        named(
            "maxClusters 2 narrows 4 replicas over 4 equal clusters to the earliest two",
            scenario()
                .spec(spec(MiddlewareType.KAFKA).role(role("broker", 4).maxClusters(2)))
                .clusters(equal("c1", "c2", "c3", "c4"))
                .places(placement("broker", "c1", 2, "c2", 2))),
        named(
            "maxClusters 2 narrows to the clusters with the most headroom",
            scenario()
                .spec(spec(MiddlewareType.KAFKA).role(role("broker", 4).maxClusters(2)))
                .clusters(
                    cluster("c1").allocated("5", "0"),
                    cluster("c2").allocated("5", "0"),
                    cluster("c3"),
                    cluster("c4").allocated("2", "0"))
                .places(placement("broker", "c3", 2, "c4", 2))),
        named(
            "maxClusters keeps every cluster already holding the role, with a warning",
            scenario()
                .spec(spec(MiddlewareType.KAFKA).role(role("broker", 3).maxClusters(2)))
                .clusters(equal("c1", "c2", "c3", "c4"))
                .previous(placement("broker", "c1", 1, "c2", 1, "c3", 1))
                .places(placement("broker", "c1", 1, "c2", 1, "c3", 1))
                .warns("maxClusters")),
        named(
            "ZooKeeper: participants vote, observers do not",
            scenario()
                .spec(
                    spec(MiddlewareType.ZOOKEEPER)
                        .role(role("participant", 3))
                        .role(role("observer", 2)))
                .clusters(equal("c1", "c2", "c3"))
                .places(
                    placement(
                        "participant", "c1", 1, "c2", 1, "c3", 1, "observer", "c1", 1, "c2", 1))
                .survivability(Map.of("participant", List.of()))),
        named(
            "Kafka: controllers vote, brokers do not",
            scenario()
                .spec(
                    spec(MiddlewareType.KAFKA).role(role("controller", 3)).role(role("broker", 3)))
                .clusters(equal("c1", "c2", "c3"))
                .places(
                    placement(
                        "controller",
                        "c1",
                        1,
                        "c2",
                        1,
                        "c3",
                        1,
                        "broker",
                        "c1",
                        1,
                        "c2",
                        1,
                        "c3",
                        1))
                .survivability(Map.of("controller", List.of()))),
        named(
            "Redis: masters and sentinels vote, slaves do not; each shard's slave is outside its"
                + " master's cluster",
            scenario()
                .spec(
                    spec(MiddlewareType.REDIS)
                        .role(role("master", 3))
                        .role(role("slave", 3).shardOf("master", 1))
                        .role(role("sentinel", 3)))
                .clusters(equal("user1", "user2"))
                .places(
                    placement(
                        "master",
                        "user1",
                        2,
                        "user2",
                        1,
                        "slave",
                        "user1",
                        1,
                        "user2",
                        2,
                        "sentinel",
                        "user1",
                        2,
                        "user2",
                        1))
                .shards(
                    shard(0, "user1", "user2"),
                    shard(1, "user1", "user2"),
                    shard(2, "user2", "user1"))
                .survivability(Map.of("master", List.of("user1"), "sentinel", List.of("user1")))),
        named(
            "Redis cluster with 2 replicas per shard over 3 clusters: every shard spans all three",
            scenario()
                .spec(
                    spec(MiddlewareType.REDIS)
                        .role(role("master", 3))
                        .role(role("replica", 6).shardOf("master", 2)))
                .clusters(equal("a", "b", "c"))
                .places(
                    placement("master", "a", 1, "b", 1, "c", 1, "replica", "a", 2, "b", 2, "c", 2))
                .shards(shard(0, "a", "b", "c"), shard(1, "b", "a", "c"), shard(2, "c", "a", "b"))
                .survivability(Map.of("master", List.of()))),
        named(
            "voter overrides the type catalog: a voting observer is reported, a non-voting"
                + " participant is not",
            scenario()
                .spec(
                    spec(MiddlewareType.ZOOKEEPER)
                        .role(role("participant", 3).voter(false))
                        .role(role("observer", 2).voter(true)))
                .clusters(equal("c1", "c2", "c3"))
                .places(
                    placement(
                        "participant", "c1", 1, "c2", 1, "c3", 1, "observer", "c1", 1, "c2", 1))
                .survivability(Map.of("observer", List.of("c1", "c2")))),
        named(
            "Duplicated: every candidate runs all 2 RocketMQ name servers",
            scenario()
                .spec(spec(MiddlewareType.ROCKETMQ).role(role("nameserver", 2).duplicated()))
                .clusters(equal("c1", "c2", "c3"))
                .places(placement("nameserver", "c1", 2, "c2", 2, "c3", 2))),
        named(
            "static weights 3:1 divide 4 brokers as (3,1)",
            scenario()
                .spec(
                    spec(MiddlewareType.KAFKA)
                        .role(role("broker", 4).weight("c1", 3).weight("c2", 1)))
                .clusters(equal("c1", "c2"))
                .places(placement("broker", "c1", 3, "c2", 1))),
        named(
            "a pinned placement is placed as given",
            scenario()
                .spec(
                    spec(MiddlewareType.KAFKA)
                        .role(role("broker", 3))
                        .pin("broker", "c2", 2)
                        .pin("broker", "c3", 1))
                .clusters(equal("c1", "c2", "c3"))
                .places(placement("broker", "c2", 2, "c3", 1))
                .exceedsSkew("broker", 2)),
        named(
            "clusterNames and a label selector narrow the candidates",
            scenario()
                .spec(
                    spec(MiddlewareType.KAFKA)
                        .role(role("broker", 4))
                        .clusterNames("c1", "c2", "c3")
                        .selector(
                            new LabelSelector(
                                new TreeMap<>(),
                                List.of(
                                    new LabelSelectorRequirement(
                                        "tier", SelectorOperator.NotIn, List.of("silver"))))))
                .clusters(
                    cluster("c1").label("tier", "gold"),
                    cluster("c2").label("tier", "silver"),
                    cluster("c3"),
                    cluster("c4").label("tier", "gold"))
                .places(placement("broker", "c1", 2, "c3", 2))));
  }

  @ParameterizedTest
  @MethodSource("scheduled")
  void placesTheWholeResource(Scenario s) {
    ScheduleResult r = SCHEDULER.schedule(s.spec, s.clusters, s.previous);
    assertThat(r.unschedulable()).isEmpty();
    assertThat(r.scheduled()).isTrue();
    assertThat(r.placement()).isEqualTo(s.placement);
    assertThat(new ArrayList<>(r.placement().roles().keySet()))
        .as("roles in spec order")
        .containsExactlyElementsOf(
            s.spec.replicaRequirements().stream().map(ReplicaRequirement::role).toList());
    assertThat(r.displaced()).isEqualTo(s.displaced);
    assertThat(r.skewExceeded()).isEqualTo(s.skewExceeded);
    if (s.warnings.isEmpty()) {
      assertThat(r.warnings()).isEmpty();
    }
    for (String w : s.warnings) {
      assertThat(r.warnings()).anySatisfy(text -> assertThat(text).contains(w));
    }
    for (String c : s.restricted) {
      assertThat(r.filtered())
          .anySatisfy(
              f -> {
                assertThat(f.cluster()).isEqualTo(c);
                assertThat(f.keepsReplicas()).isTrue();
              });
    }
    for (String role : s.displaced.keySet()) {
      s.displaced
          .get(role)
          .keySet()
          .forEach(
              gone ->
                  assertThat(r.filtered())
                      .anySatisfy(
                          f -> {
                            assertThat(f.cluster()).isEqualTo(gone);
                            assertThat(f.keepsReplicas()).isFalse();
                          }));
    }
    if (s.survivability != null) {
      Map<String, List<String>> got = new TreeMap<>();
      r.survivability().forEach((role, sv) -> got.put(role, sv.breakingClusters()));
      assertThat(got).isEqualTo(new TreeMap<>(s.survivability));
      r.survivability()
          .values()
          .forEach(
              sv ->
                  assertThat(sv.survivesAnyClusterLoss())
                      .isEqualTo(sv.breakingClusters().isEmpty()));
    }
    if (s.shards != null) {
      assertThat(r.shards()).containsExactlyElementsOf(s.shards);
    }
    if (s.headroom != null) {
      assertThat(r.headroom()).isEqualTo(new TreeMap<>(s.headroom));
    }
    checkShardsAgreeWithPlacement(s.spec, r);
    for (ReplicaRequirement role : s.spec.replicaRequirements()) {
      int expected =
          role.replicaSchedulingType() == io.flotilla.api.ReplicaSchedulingType.Duplicated
              ? role.replicas() * r.placement().role(role.role()).size()
              : role.replicas();
      assertThat(r.placement().total(role.role())).as(role.role()).isEqualTo(expected);
    }
  }

  private static void checkShardsAgreeWithPlacement(MiddlewareSpec spec, ScheduleResult r) {
    for (ReplicaRequirement role : spec.replicaRequirements()) {
      if (role.shard().isEmpty()) {
        continue;
      }
      String primaryRole = role.shardOf().orElseThrow();
      SortedMap<String, Integer> primaries = new TreeMap<>();
      SortedMap<String, Integer> replicas = new TreeMap<>();
      assertThat(r.shards()).hasSize(r.placement().total(primaryRole));
      for (ShardPlacement sh : r.shards()) {
        assertThat(sh.replicas())
            .hasSize(role.shard().getAsInt())
            .doesNotContain(sh.primary())
            .doesNotHaveDuplicates();
        primaries.merge(sh.primary(), 1, Integer::sum);
        sh.replicas().forEach(c -> replicas.merge(c, 1, Integer::sum));
      }
      assertThat(primaries).isEqualTo(new TreeMap<>(r.placement().role(primaryRole)));
      assertThat(replicas).isEqualTo(new TreeMap<>(r.placement().role(role.role())));
    }
  }

  // ---- which roles vote ------------------------------------------------------------------------

  /** A role of a type, and whether the type catalog makes it a voter. */
  record VoterCase(MiddlewareType type, String role, boolean voter) {}

  static Stream<Named<VoterCase>> voterRoles() {
    return Stream.of(
        named(
            "ZooKeeper participants vote",
            new VoterCase(MiddlewareType.ZOOKEEPER, "participant", true)),
        named(
            "ZooKeeper observers do not",
            new VoterCase(MiddlewareType.ZOOKEEPER, "observer", false)),
        named("Redis masters vote", new VoterCase(MiddlewareType.REDIS, "master", true)),
        named("Redis sentinels vote", new VoterCase(MiddlewareType.REDIS, "sentinel", true)),
        named("Redis slaves do not", new VoterCase(MiddlewareType.REDIS, "slave", false)),
        named("Kafka controllers vote", new VoterCase(MiddlewareType.KAFKA, "controller", true)),
        named("Kafka brokers do not", new VoterCase(MiddlewareType.KAFKA, "broker", false)),
        named(
            "Elasticsearch master-eligible nodes vote",
            new VoterCase(MiddlewareType.ELASTICSEARCH, "master", true)),
        named(
            "Elasticsearch data nodes do not",
            new VoterCase(MiddlewareType.ELASTICSEARCH, "data", false)),
        named(
            "RocketMQ controllers vote",
            new VoterCase(MiddlewareType.ROCKETMQ, "controller", true)),
        named(
            "RocketMQ name servers do not",
            new VoterCase(MiddlewareType.ROCKETMQ, "nameserver", false)),
        named(
            "a role the catalog does not know does not",
            new VoterCase(MiddlewareType.KAFKA, "custom", false)));
  }

  @ParameterizedTest
  @MethodSource("voterRoles")
  void survivabilityIsReportedForVoterRolesOnly(VoterCase k) {
    ScheduleResult r =
        SCHEDULER.schedule(
            spec(k.type()).role(role(k.role(), 3)).build(),
            List.of(cluster("c1").build(), cluster("c2").build(), cluster("c3").build()),
            PreviousPlacement.NONE);
    assertThat(r.scheduled()).isTrue();
    assertThat(r.survivability().containsKey(k.role())).isEqualTo(k.voter());
  }

  // ---- decisions that place nothing ------------------------------------------------------------

  static Stream<Named<Scenario>> unschedulable() {
    return Stream.of(
        named(
            "gang: observers that cannot fit fail the whole resource, naming the role and each"
                + " cluster",
            scenario()
                .spec(
                    spec(MiddlewareType.ZOOKEEPER)
                        .role(role("participant", 3))
                        .role(role("observer", 40)))
                .clusters(equal("c1", "c2", "c3"))
                .refuses("observer", "", "needs 40 replicas")
                .refuses("observer", "c1", "room for")
                .refuses("observer", "c2", "room for")
                .refuses("observer", "c3", "room for")),
        named(
            "the first role's usage leaves too little room for the second",
            scenario()
                .spec(
                    spec(MiddlewareType.KAFKA).role(role("controller", 4)).role(role("broker", 6)))
                .clusters(
                    cluster("c1").allocatable("4", "20Gi"), cluster("c2").allocatable("4", "20Gi"))
                .refuses("broker", "c1", "room for 2 more")
                .refuses("broker", "c2", "room for 2 more")),
        named(
            "minClusters fails a fresh placement with too few candidates",
            scenario()
                .spec(spec(MiddlewareType.ZOOKEEPER).role(role("participant", 3).minClusters(3)))
                .clusters(cluster("c1"), cluster("c2"), cluster("c3").notReady())
                .refuses("participant", "", "minClusters")),
        named(
            "no candidate at all: each cluster's filter reasons are given",
            scenario()
                .spec(spec(MiddlewareType.ZOOKEEPER).role(role("participant", 3)))
                .clusters(
                    cluster("c1").notReady(),
                    cluster("c2").taint("dedicated", "db", TaintEffect.NoExecute))
                .refuses("participant", "", "no candidate cluster")
                .refuses("participant", "c1", "Ready")
                .refuses("participant", "c2", "TaintToleration")),
        named(
            "weights naming no candidate fail the role",
            scenario()
                .spec(spec(MiddlewareType.KAFKA).role(role("broker", 2).weight("elsewhere", 1)))
                .clusters(equal("c1", "c2"))
                .refuses("broker", "", "has a weight")),
        named(
            "pinned to a NotReady cluster fails, saying why it is not a candidate",
            scenario()
                .spec(spec(MiddlewareType.KAFKA).role(role("broker", 2)).pin("broker", "c2", 2))
                .clusters(cluster("c1"), cluster("c2").notReady())
                .refuses("broker", "c2", "HeartbeatMissed")));
  }

  @ParameterizedTest
  @MethodSource("unschedulable")
  void placesNothingWhenAnyRoleCannotBePlaced(Scenario s) {
    ScheduleResult r = SCHEDULER.schedule(s.spec, s.clusters, s.previous);
    assertThat(r.scheduled()).isFalse();
    assertThat(r.placement().isEmpty()).isTrue();
    assertThat(r.placement()).isEqualTo(Placement.EMPTY);
    assertThat(r.shards()).isEmpty();
    assertThat(r.survivability()).isEmpty();
    for (String[] want : s.reasons) {
      assertThat(r.unschedulable())
          .as("a reason for role %s, cluster '%s', saying '%s'", want[0], want[1], want[2])
          .anySatisfy(
              u -> {
                assertThat(u.role()).isEqualTo(want[0]);
                assertThat(u.cluster()).isEqualTo(want[1]);
                assertThat(u.reason()).contains(want[2]);
              });
    }
    List<String> failingRoles = s.reasons.stream().map(w -> w[0]).distinct().toList();
    assertThat(r.unschedulable()).extracting(Unschedulable::role).isSubsetOf(failingRoles);
  }

  // ---- determinism and input checks -------------------------------------------------------------

  static Stream<Named<Scenario>> everyScenario() {
    return Stream.concat(scheduled(), unschedulable());
  }

  @ParameterizedTest
  @MethodSource("everyScenario")
  void theSameInputsInAnotherClusterOrderGiveTheSameResult(Scenario s) {
    ScheduleResult first = SCHEDULER.schedule(s.spec, s.clusters, s.previous);
    List<ClusterSnapshot> reversed = new ArrayList<>(s.clusters);
    Collections.reverse(reversed);
    List<ClusterSnapshot> rotated = new ArrayList<>(s.clusters);
    Collections.rotate(rotated, 1);
    assertThat(SCHEDULER.schedule(s.spec, reversed, s.previous)).isEqualTo(first);
    assertThat(SCHEDULER.schedule(s.spec, rotated, s.previous)).isEqualTo(first);
    assertThat(Scheduler.withDefaultPlugins().schedule(s.spec, s.clusters, s.previous))
        .isEqualTo(first);
  }

  // ---- failover of shards, minClusters as span, maxClusters as an upper bound ----------------

  @Test
  void redisFailoverLeavesRoomForTheSlavesThatMustStay() {
    Placement before = placement("master", "user1", 2, "user2", 1, "slave", "user1", 1, "user2", 2);
    List<ShardPlacement> shards =
        List.of(shard(0, "user1", "user2"), shard(1, "user1", "user2"), shard(2, "user2", "user1"));
    ScheduleResult r =
        SCHEDULER.schedule(
            spec(MiddlewareType.REDIS)
                .role(role("master", 3))
                .role(role("slave", 3).shardOf("master", 1))
                .build(),
            List.of(
                cluster("user1").notReady().build(),
                cluster("user2").allocatable("100", "200Gi").allocated("3", "3Gi").build(),
                cluster("user3").build()),
            new PreviousPlacement(before, shards));
    assertThat(r.unschedulable()).isEmpty();
    // user2's 2 slaves stay, so it may hold at most 3 − 2 = 1 master
    assertThat(r.placement())
        .isEqualTo(placement("master", "user2", 1, "user3", 2, "slave", "user2", 2, "user3", 1));
    checkShardsAgreeWithPlacement(
        spec(MiddlewareType.REDIS)
            .role(role("master", 3))
            .role(role("slave", 3).shardOf("master", 1))
            .build(),
        r);
  }

  /** Failovers of shards: every surviving member keeps its shard, in its cluster. */
  static Stream<Named<Scenario>> shardFailovers() {
    return Stream.of(
        named(
            "RocketMQ: two groups over dc1..dc3 losing dc1 (group 0's master, group 1's slave):"
                + " group 0's new master goes beside group 1's master, away from its surviving"
                + " slave, though the masters' skew becomes 2",
            scenario()
                .spec(
                    spec(MiddlewareType.ROCKETMQ)
                        .role(role("master", 2))
                        .role(role("slave", 2).shardOf("master", 1)))
                .clusters(cluster("dc1").notReady(), cluster("dc2"), cluster("dc3"))
                .previousShards(
                    placement("master", "dc1", 1, "dc2", 1, "slave", "dc1", 1, "dc3", 1),
                    shard(0, "dc1", "dc3"),
                    shard(1, "dc2", "dc1"))
                .places(placement("master", "dc2", 2, "slave", "dc3", 2))
                .shards(shard(0, "dc2", "dc3"), shard(1, "dc2", "dc3"))),
        named(
            "Redis: three shards each master dc(s+1) with its slave in the next cluster, losing"
                + " dc1: shard 0's new master goes to dc3, away from its slave in dc2",
            scenario()
                .spec(
                    spec(MiddlewareType.REDIS)
                        .role(role("master", 3))
                        .role(role("slave", 3).shardOf("master", 1)))
                .clusters(cluster("dc1").notReady(), cluster("dc2"), cluster("dc3"))
                .previousShards(
                    placement(
                        "master", "dc1", 1, "dc2", 1, "dc3", 1, "slave", "dc1", 1, "dc2", 1, "dc3",
                        1),
                    shard(0, "dc1", "dc2"),
                    shard(1, "dc2", "dc3"),
                    shard(2, "dc3", "dc1"))
                .places(placement("master", "dc2", 1, "dc3", 2, "slave", "dc2", 2, "dc3", 1))
                .shards(shard(0, "dc3", "dc2"), shard(1, "dc2", "dc3"), shard(2, "dc3", "dc2"))));
  }

  @ParameterizedTest
  @MethodSource("shardFailovers")
  void aSurvivingShardMemberKeepsItsShard(Scenario s) {
    ScheduleResult r = SCHEDULER.schedule(s.spec, s.clusters, s.previous);
    assertThat(r.unschedulable()).isEmpty();
    assertThat(r.placement()).isEqualTo(s.placement);
    assertThat(r.shards()).containsExactlyElementsOf(s.shards);
    checkShardsAgreeWithPlacement(s.spec, r);
  }

  static Stream<Named<Scenario>> minClustersSpans() {
    return Stream.of(
        named(
            "minClusters 3 with room on only 2 clusters fails a fresh placement",
            scenario()
                .spec(spec(MiddlewareType.KAFKA).role(role("broker", 3).maxSkew(2).minClusters(3)))
                .clusters(cluster("c1"), cluster("c2"), cluster("c3").allocated("10", "20Gi"))
                .refuses("broker", "", "minClusters")),
        named(
            "minClusters 3 spreads 3 replicas that request nothing over all 3 clusters",
            scenario()
                .spec(
                    spec(MiddlewareType.KAFKA)
                        .role(role("broker", 3).request("0", "0").maxSkew(2).minClusters(3)))
                .clusters(equal("c1", "c2", "c3"))
                .places(placement("broker", "c1", 1, "c2", 1, "c3", 1))));
  }

  @ParameterizedTest
  @MethodSource("minClustersSpans")
  void minClustersCountsTheClustersTheRoleSpans(Scenario s) {
    ScheduleResult r = SCHEDULER.schedule(s.spec, s.clusters, s.previous);
    if (s.placement != null) {
      assertThat(r.placement()).isEqualTo(s.placement);
    } else {
      assertThat(r.scheduled()).isFalse();
      assertThat(r.unschedulable()).anySatisfy(u -> assertThat(u.reason()).contains("minClusters"));
    }
  }

  @Test
  void maxClustersMayUseFewerClustersWhenOnlyThatFits() {
    ScheduleResult r =
        SCHEDULER.schedule(
            spec(MiddlewareType.KAFKA).role(role("broker", 4).maxClusters(2)).build(),
            List.of(
                cluster("c1").allocatable("1", "4Gi").build(),
                cluster("c2").allocatable("1", "4Gi").build(),
                cluster("c3").allocatable("100", "200Gi").allocated("50", "100Gi").build()),
            PreviousPlacement.NONE);
    assertThat(r.unschedulable()).isEmpty();
    assertThat(r.placement()).isEqualTo(placement("broker", "c3", 4));
  }

  @Test
  void duplicateClusterNamesAreRefused() {
    MiddlewareSpec spec = spec(MiddlewareType.ZOOKEEPER).role(role("participant", 3)).build();
    List<ClusterSnapshot> clusters =
        List.of(cluster("c1").build(), cluster("c2").build(), cluster("c1").notReady().build());
    assertThatThrownBy(() -> SCHEDULER.schedule(spec, clusters, PreviousPlacement.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("c1");
  }
}
