package io.flotilla.middleware.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.Middleware;
import io.flotilla.middleware.Finding;
import io.flotilla.middleware.GoldenFiles;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.LocalLaunch;
import io.flotilla.middleware.Topologies;
import io.flotilla.middleware.Topology;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ZooKeeperAdapterTest {
  private static final ZooKeeperAdapter ADAPTER = new ZooKeeperAdapter();
  private static final Map<String, String> CREDENTIALS =
      Map.of(ZooKeeperAdapter.SUPER_PASSWORD, "Flotilla-Test-Password-7");

  private static Middleware zk(int participants) {
    return Topologies.middleware(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: Middleware
        metadata: {name: zk, namespace: db}
        spec:
          type: zookeeper
          version: "3.9.5"
          replicaRequirements:
            - role: participant
              replicas: %d
              resourceRequest:
                requests: {cpu: 500m, memory: 1Gi}
                limits: {cpu: "1", memory: 2Gi}
        """
            .formatted(participants));
  }

  @Test
  void fiveVotersOverThreeClusters221RenderAsGolden() throws IOException {
    Topology t =
        Topologies.kubernetes(
            zk(5), Topologies.spread("participant", 2, 2, 1), List.of(), CREDENTIALS);
    GoldenFiles.check("zookeeper/2-2-1", ADAPTER.render(t));
  }

  @Test
  void threeVotersOverThreeClusters111RenderAsGolden() throws IOException {
    Topology t =
        Topologies.kubernetes(
            zk(3), Topologies.spread("participant", 1, 1, 1), List.of(), CREDENTIALS);
    GoldenFiles.check("zookeeper/1-1-1", ADAPTER.render(t));
  }

  @Test
  void everyMemberNamesEveryVoterOfEveryClusterWithItsUniqueId() {
    Topology t =
        Topologies.kubernetes(
            zk(5), Topologies.spread("participant", 2, 2, 1), List.of(), CREDENTIALS);
    assertThat(t.instances()).extracting(Instance::id).containsExactly(1, 2, 3, 4, 5);
    for (Instance i : t.instances()) {
      String dynamic = ADAPTER.files(t, i).get("zoo.cfg.dynamic");
      assertThat(dynamic.lines()).hasSize(5);
      assertThat(dynamic)
          .contains(
              "server.1=zk-participant-1.zk.db.svc.cluster.local:2888:3888:participant;zk-participant-1.zk.db.svc.cluster.local:2181")
          .contains("server.5=zk-participant-5.zk.db.svc.cluster.local:2888:3888:participant");
      assertThat(ADAPTER.files(t, i).get("myid")).isEqualTo(i.id() + "\n");
    }
  }

  @Test
  void theSuperPasswordNeverReachesAConfigMap() {
    Topology t =
        Topologies.kubernetes(
            zk(3), Topologies.spread("participant", 1, 1, 1), List.of(), CREDENTIALS);
    ADAPTER
        .render(t)
        .values()
        .forEach(
            objects ->
                objects.forEach(
                    o -> assertThat(o.toJson()).doesNotContain("Flotilla-Test-Password-7")));
    assertThat(ADAPTER.secrets(t))
        .containsExactly(
            Map.entry(
                "zookeeper-super-digest",
                ZooKeeperAdapter.superDigest("Flotilla-Test-Password-7")));
  }

  @Test
  void aLocalInstanceBindsItsOwnAddressAndSeedsItsStateOnce() {
    Topology t =
        Topology.of(
            zk(3),
            Topologies.spread("participant", 1, 1, 1),
            io.flotilla.middleware.BaseIds.contiguous(Topologies.spread("participant", 1, 1, 1), 1),
            List.of(),
            new io.flotilla.middleware.LoopbackAddressing(List.of("dc1", "dc2", "dc3")),
            CREDENTIALS);
    Instance second = t.find("participant", 2).orElseThrow();
    LocalLaunch launch = ADAPTER.launch(t, second, "/tmp/zk2");
    assertThat(t.host(second)).isEqualTo("127.2.0.3");
    assertThat(launch.readiness())
        .isEqualTo(new LocalLaunch.Readiness.ZooKeeperServing("127.2.0.3", 2181));
    assertThat(launch.files()).isEmpty();
    assertThat(launch.seedFiles()).containsKeys("zoo.cfg", "zoo.cfg.dynamic", "data/myid");
    assertThat(launch.seedFiles().get("zoo.cfg"))
        .contains("dataDir=/tmp/zk2/data")
        .contains("reconfigEnabled=true");
    assertThat(((LocalLaunch.Program.Jvm) launch.program()).jvmOptions())
        .contains(
            "-Dzookeeper.DigestAuthenticationProvider.superDigest="
                + ZooKeeperAdapter.superDigest("Flotilla-Test-Password-7"));
  }

  @Test
  void theSuperDigestIsZooKeepersOwn() {
    // computed with ZooKeeper 3.9.5's DigestAuthenticationProvider.generateDigest
    assertThat(ZooKeeperAdapter.superDigest("Flotilla-Test-Password-7"))
        .isEqualTo("super:BszHWIWI/NVlMTYuxbSLRLiWp+0=");
  }

  static Stream<Arguments> findings() {
    return Stream.of(
        Arguments.of(Named.of("three participants are fine", zk(3)), List.of()),
        Arguments.of(
            Named.of("four participants tolerate no more failures than three", zk(4)),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "4 participants tolerate no more failures than 3: an odd number of voters is better"))),
        Arguments.of(
            Named.of("one participant cannot survive the loss of its cluster", zk(1)),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "1 participant cannot survive the loss of a cluster: 3 or more spread over 3 clusters can"))),
        Arguments.of(
            Named.of("two participants cannot survive the loss of a cluster", zk(2)),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "2 participants cannot survive the loss of a cluster: 3 or more spread over 3 clusters can"))),
        Arguments.of(
            Named.of(
                "observers only make no ensemble",
                Topologies.middleware(
                    "apiVersion: flotilla.io/v1alpha1\nkind: Middleware\nmetadata: {name: zk}\nspec:\n  type: zookeeper\n  replicaRequirements: [{role: observer, replicas: 3}]\n")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements", "zookeeper needs a participant role: the voters"))),
        Arguments.of(
            Named.of("more than 255 voters cannot have myids", zk(256)),
            List.of(
                Finding.error(
                    "spec.replicaRequirements",
                    "zookeeper allows at most 255 participants (myid 1..255), got 256"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("findings")
  void checksTheTypesRules(Middleware mw, List<Finding> expected) {
    assertThat(ADAPTER.check(mw)).containsExactlyElementsOf(expected);
  }
}
