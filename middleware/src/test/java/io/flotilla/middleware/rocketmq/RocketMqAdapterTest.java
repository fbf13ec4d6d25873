package io.flotilla.middleware.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareSpec;
import io.flotilla.api.Placement;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ResourceRequirements;
import io.flotilla.api.ShardPlacement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Finding;
import io.flotilla.middleware.GoldenFiles;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.LocalLaunch;
import io.flotilla.middleware.LoopbackAddressing;
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

class RocketMqAdapterTest {
  private static final RocketMqAdapter ADAPTER = new RocketMqAdapter();

  private static Middleware rmq(String roles, String settings) {
    return Topologies.middleware(
        """
        apiVersion: flotilla.io/v1alpha1
        kind: Middleware
        metadata: {name: rmq, namespace: mq}
        spec:
          type: rocketmq
          version: "5.3.3"
          settings: {%s}
          replicaRequirements:
        %s"""
            .formatted(settings, roles.indent(4)));
  }

  private static String role(String name, int replicas) {
    return """
        - role: %s
          replicas: %d
          resourceRequest:
            requests: {cpu: 500m, memory: 1Gi}
            limits: {cpu: "1", memory: 2Gi}
        """
        .formatted(name, replicas);
  }

  private static String slaves(int replicas) {
    return role("slave", replicas) + "  shard: 1\n  shardOf: master\n";
  }

  /** Name servers, controllers and groups of one master and one slave, by their counts. */
  private static Middleware groups(int nameservers, int controllers, int masters) {
    return rmq(
        role("nameserver", nameservers)
            + (controllers > 0 ? role("controller", controllers) : "")
            + role("master", masters)
            + slaves(masters),
        "");
  }

  private static Middleware withRole(Middleware mw, ReplicaRequirement extra) {
    MiddlewareSpec s = mw.spec();
    List<ReplicaRequirement> roles = new java.util.ArrayList<>(s.replicaRequirements());
    roles.add(extra);
    return new Middleware(
        mw.metadata(),
        new MiddlewareSpec(
            s.type(),
            s.version(),
            roles,
            s.clusterAffinity(),
            s.tolerations(),
            s.pinnedPlacement(),
            s.settings()));
  }

  private static Placement spread(int[] dc1, int[] dc2, int[] dc3, String... roles) {
    Placement.Builder b = Placement.builder();
    for (int r = 0; r < roles.length; r++) {
      b.put(roles[r], "dc1", dc1[r]).put(roles[r], "dc2", dc2[r]).put(roles[r], "dc3", dc3[r]);
    }
    return b.build();
  }

  private static ShardPlacement shard(int n, String primary, String... replicas) {
    return new ShardPlacement(n, primary, List.of(replicas));
  }

  /** 2+2+1 of every role, controller mode; each group's slave in another cluster. */
  private static Topology twoTwoOne() {
    Placement p =
        spread(
            new int[] {2, 2, 2, 2},
            new int[] {2, 2, 2, 2},
            new int[] {1, 1, 1, 1},
            "nameserver",
            "controller",
            "master",
            "slave");
    List<ShardPlacement> shards =
        List.of(
            shard(0, "dc1", "dc2"),
            shard(1, "dc1", "dc3"),
            shard(2, "dc2", "dc1"),
            shard(3, "dc2", "dc1"),
            shard(4, "dc3", "dc2"));
    return Topologies.kubernetes(groups(5, 5, 5), p, shards, Map.of());
  }

  /** 1+1+1 name servers, masters and slaves, no controllers: sync replication. */
  private static Topology oneOneOne() {
    Placement p =
        spread(
            new int[] {1, 1, 1},
            new int[] {1, 1, 1},
            new int[] {1, 1, 1},
            "nameserver",
            "master",
            "slave");
    List<ShardPlacement> shards =
        List.of(shard(0, "dc1", "dc2"), shard(1, "dc2", "dc3"), shard(2, "dc3", "dc1"));
    return Topologies.kubernetes(groups(3, 0, 3), p, shards, Map.of());
  }

  private static Map<String, String> conf(Topology t, Instance i, String file) {
    return ADAPTER
        .files(t, i)
        .get(file)
        .lines()
        .map(l -> l.split("=", 2))
        .collect(java.util.stream.Collectors.toMap(kv -> kv[0], kv -> kv[1]));
  }

  @Test
  void fiveGroupsAndFiveControllersOverThreeClusters221RenderAsGolden() throws IOException {
    GoldenFiles.check("rocketmq/2-2-1", ADAPTER.render(twoTwoOne()));
  }

  @Test
  void threeSyncGroupsOverThreeClusters111RenderAsGolden() throws IOException {
    GoldenFiles.check("rocketmq/1-1-1", ADAPTER.render(oneOneOne()));
  }

  @Test
  void everyBrokerNamesEveryNameServerAndEveryControllerOfEveryCluster() {
    Topology t = twoTwoOne();
    String namesrv =
        "rmq-nameserver-1.rmq.mq.svc.cluster.local:9876;rmq-nameserver-2.rmq.mq.svc.cluster.local:9876;"
            + "rmq-nameserver-3.rmq.mq.svc.cluster.local:9876;rmq-nameserver-4.rmq.mq.svc.cluster.local:9876;"
            + "rmq-nameserver-5.rmq.mq.svc.cluster.local:9876";
    for (String role : List.of("master", "slave")) {
      for (Instance b : t.role(role)) {
        Map<String, String> conf = conf(t, b, "broker.conf");
        assertThat(conf.get("namesrvAddr")).isEqualTo(namesrv);
        assertThat(conf.get("controllerAddr").split(";"))
            .hasSize(5)
            .allMatch(
                a ->
                    a.matches(
                        "rmq-controller-(6|7|8|9|10)\\.rmq\\.mq\\.svc\\.cluster\\.local:9878"));
        assertThat(conf)
            .containsEntry("enableControllerMode", "true")
            .containsEntry("allAckInSyncStateSet", "true")
            .containsEntry("minInSyncReplicas", "2")
            .containsEntry("brokerIP1", t.host(b))
            .containsEntry("bindAddress", t.host(b))
            .doesNotContainKeys("brokerRole", "brokerId");
      }
    }
    Instance controller = t.find("controller", 8).orElseThrow();
    Map<String, String> conf = conf(t, controller, "controller.properties");
    assertThat(conf.get("controllerDLegerPeers"))
        .startsWith("n6-rmq-controller-6.rmq.mq.svc.cluster.local:9878;")
        .endsWith(";n10-rmq-controller-10.rmq.mq.svc.cluster.local:9878");
    assertThat(conf).containsEntry("controllerDLegerSelfId", "n8");
  }

  @Test
  void aGroupIsOneBrokerNameWithItsMasterAndSlavesInDifferentClusters() {
    Topology t = twoTwoOne();
    assertThat(t.shards()).hasSize(5);
    t.shards()
        .forEach(
            (shard, members) -> {
              assertThat(members.get(0).role()).isEqualTo("master");
              assertThat(members)
                  .extracting(i -> conf(t, i, "broker.conf").get("brokerName"))
                  .containsOnly("rmq-broker-" + shard);
              assertThat(members).extracting(Instance::cluster).doesNotHaveDuplicates();
            });
  }

  @Test
  void withoutControllersAGroupReplicatesSynchronouslyToASlaveElsewhere() {
    Topology t = oneOneOne();
    List<Instance> group = t.shards().get(1);
    assertThat(conf(t, group.get(0), "broker.conf"))
        .containsEntry("brokerRole", "SYNC_MASTER")
        .containsEntry("brokerId", "0")
        .containsEntry("inSyncReplicas", "2")
        .doesNotContainKey("enableControllerMode");
    assertThat(conf(t, group.get(1), "broker.conf"))
        .containsEntry("brokerRole", "SLAVE")
        .containsEntry("brokerId", "1")
        .containsEntry("brokerName", "rmq-broker-1");
  }

  @Test
  void aGroupWhoseSlaveSharesItsMastersClusterIsRefused() {
    Placement p =
        spread(
            new int[] {1, 1, 1},
            new int[] {1, 1, 1},
            new int[] {1, 1, 1},
            "nameserver",
            "master",
            "slave");
    Topology t =
        Topologies.kubernetes(
            groups(3, 0, 3),
            p,
            List.of(shard(0, "dc1", "dc1"), shard(1, "dc2", "dc3"), shard(2, "dc3", "dc2")),
            Map.of());
    assertThatThrownBy(() -> ADAPTER.render(t))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "rocketmq rmq: group rmq-broker-0 has its master and its slave slave-7@dc1 in cluster"
                + " dc1: losing that cluster would lose the whole group");
  }

  @Test
  void controllersInsideTheNameServersAreTheVoters() {
    Middleware mw =
        rmq(
            role("nameserver", 3) + role("master", 1) + slaves(1),
            RocketMqAdapter.CONTROLLER_IN_NAMESRV + ": \"true\"");
    Placement p =
        Placement.builder()
            .put("nameserver", "dc1", 1)
            .put("nameserver", "dc2", 1)
            .put("nameserver", "dc3", 1)
            .put("master", "dc1", 1)
            .put("slave", "dc2", 1)
            .build();
    Topology t = Topologies.kubernetes(mw, p, List.of(shard(0, "dc1", "dc2")), Map.of());
    Map<String, String> namesrv = conf(t, t.role("nameserver").get(1), "namesrv.properties");
    assertThat(namesrv)
        .containsEntry("enableControllerInNamesrv", "true")
        .containsEntry("controllerDLegerSelfId", "n2");
    assertThat(namesrv.get("controllerDLegerPeers").split(";")).hasSize(3);
    assertThat(conf(t, t.role("master").get(0), "broker.conf").get("controllerAddr"))
        .isEqualTo(
            "rmq-nameserver-1.rmq.mq.svc.cluster.local:9878;rmq-nameserver-2.rmq.mq.svc.cluster.local:9878;"
                + "rmq-nameserver-3.rmq.mq.svc.cluster.local:9878");
  }

  @Test
  void aLocalBrokerBindsItsOwnAddressAndKeepsItsStoreAndLogsInItsDirectory() {
    Placement p =
        spread(
            new int[] {1, 1, 1, 1},
            new int[] {1, 1, 1, 1},
            new int[] {1, 1, 0, 0},
            "nameserver",
            "controller",
            "master",
            "slave");
    Topology t =
        Topology.of(
            groups(3, 3, 2),
            p,
            BaseIds.contiguous(p, 1),
            List.of(shard(0, "dc1", "dc2"), shard(1, "dc2", "dc1")),
            new LoopbackAddressing(List.of("dc1", "dc2", "dc3")),
            Map.of());
    Instance master = t.find("master", 8).orElseThrow();
    assertThat(master.cluster()).isEqualTo("dc2");
    assertThat(t.host(master)).isEqualTo("127.2.64.9");
    LocalLaunch launch = ADAPTER.launch(t, master, "/tmp/rmq/b8");
    LocalLaunch.Program.Jvm jvm = (LocalLaunch.Program.Jvm) launch.program();
    assertThat(jvm.mainClass()).isEqualTo("io.flotilla.servers.rocketmq.BrokerMain");
    assertThat(jvm.jvmOptions())
        .contains("-Duser.home=/tmp/rmq/b8", "-Drocketmq.home.dir=/tmp/rmq/b8");
    assertThat(launch.args()).containsExactly("-c", "/tmp/rmq/b8/broker.conf");
    assertThat(launch.endpoints())
        .extracting(LocalLaunch.Endpoint::toString)
        .containsExactly("fast 127.2.64.9:10909", "broker 127.2.64.9:10911", "ha 127.2.64.9:10912");
    assertThat(launch.files().get("broker.conf"))
        .contains("bindAddress=127.2.64.9\n")
        .contains("brokerIP2=127.2.64.9\n")
        .contains("storePathRootDir=/tmp/rmq/b8/store\n")
        .contains("namesrvAddr=127.1.0.2:9876;127.2.0.3:9876;127.3.0.4:9876\n")
        .contains("controllerAddr=127.1.32.5:9878;127.2.32.6:9878;127.3.32.7:9878\n");
    assertThat(launch.startTimeout()).isGreaterThanOrEqualTo(java.time.Duration.ofMinutes(2));

    Instance controller = t.find("controller", 5).orElseThrow();
    LocalLaunch c = ADAPTER.launch(t, controller, "/tmp/rmq/c5");
    assertThat(((LocalLaunch.Program.Jvm) c.program()).mainClass())
        .isEqualTo("org.apache.rocketmq.controller.ControllerStartup");
    assertThat(c.files().get("controller.properties"))
        .contains("bindAddress=127.2.32.6\n")
        .contains("controllerStorePath=/tmp/rmq/c5/controller\n");
  }

  static Stream<Arguments> findings() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "name servers, controllers 1+1+1 and groups of a master and a slave are fine",
                groups(3, 3, 2)),
            List.of()),
        Arguments.of(
            Named.of("name servers and sync groups without controllers are fine", groups(3, 0, 2)),
            List.of()),
        Arguments.of(
            Named.of(
                "a role rocketmq does not know (built past the reader, which refuses it too)",
                withRole(
                    rmq(role("nameserver", 3) + role("master", 1), ""),
                    ReplicaRequirement.of("proxy", 1, ResourceRequirements.NONE))),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[2].role",
                    "rocketmq has no role proxy: its roles are nameserver, controller, master, slave"),
                Finding.warning(
                    "spec.replicaRequirements[1]",
                    "masters without slaves lose their groups with their cluster: add slaves with"
                        + " shardOf: master"))),
        Arguments.of(
            Named.of(
                "slaves without masters",
                rmq(role("nameserver", 3) + role("controller", 3) + role("slave", 3), "")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[2].role",
                    "slaves need a master role: the masters of their groups"),
                Finding.error(
                    "spec.replicaRequirements",
                    "rocketmq needs a master role: the broker groups"))),
        Arguments.of(
            Named.of(
                "slaves that are not sharded by master",
                rmq(role("nameserver", 2) + role("master", 2) + role("slave", 2), "")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[2].shard",
                    "slaves must set shard (slaves per group) and shardOf: master: a group is a"
                        + " master and its slaves"))),
        Arguments.of(
            Named.of(
                "slaves holding the shards of the name servers",
                rmq(
                    role("master", 1)
                        + role("nameserver", 1)
                        + role("slave", 1)
                        + "  shard: 1\n  shardOf: nameserver\n",
                    "")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements[2].shardOf",
                    "slaves must set shardOf: master, not nameserver: a group is a master and its"
                        + " slaves"))),
        Arguments.of(
            Named.of(
                "brokers without name servers",
                rmq(role("controller", 3) + role("master", 1) + slaves(1), "")),
            List.of(
                Finding.error(
                    "spec.replicaRequirements",
                    "brokers need name servers: add a nameserver role with replicas"))),
        Arguments.of(
            Named.of("masters without slaves", rmq(role("nameserver", 3) + role("master", 2), "")),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements[1]",
                    "masters without slaves lose their groups with their cluster: add slaves with"
                        + " shardOf: master"))),
        Arguments.of(
            Named.of("four controllers tolerate no more failures than three", groups(3, 4, 2)),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "4 controllers tolerate no more failures than 3: an odd number of voters is"
                        + " better"))),
        Arguments.of(
            Named.of("two controllers cannot survive the loss of a cluster", groups(3, 2, 2)),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "2 controllers cannot survive the loss of a cluster: 3 or more spread over 3"
                        + " clusters can"))),
        Arguments.of(
            Named.of(
                "two name servers running the controllers cannot survive the loss of a cluster",
                rmq(
                    role("nameserver", 2) + role("master", 1) + slaves(1),
                    "controllerInNamesrv: \"true\"")),
            List.of(
                Finding.warning(
                    "spec.replicaRequirements",
                    "2 name servers running controllers cannot survive the loss of a cluster: 3 or"
                        + " more spread over 3 clusters can"))),
        Arguments.of(
            Named.of(
                "a name server in every cluster running the controllers is as many voters as"
                    + " clusters (no count warning)",
                rmq(
                    "- {role: nameserver, replicas: 1, replicaSchedulingType: Duplicated}\n"
                        + role("master", 1)
                        + slaves(1),
                    "controllerInNamesrv: \"true\"")),
            List.of()),
        Arguments.of(
            Named.of(
                "controllers inside the name servers and a controller role too",
                rmq(
                    role("nameserver", 3) + role("controller", 3) + role("master", 1) + slaves(1),
                    "controllerInNamesrv: \"true\"")),
            List.of(
                Finding.error(
                    "spec.settings.controllerInNamesrv",
                    "the controllers run inside the name servers: remove the controller role, or"
                        + " set false"))),
        Arguments.of(
            Named.of(
                "controllerInNamesrv that is neither true nor false",
                rmq(
                    role("nameserver", 3) + role("master", 1) + slaves(1),
                    "controllerInNamesrv: \"maybe\"")),
            List.of(
                Finding.error(
                    "spec.settings.controllerInNamesrv", "must be true or false, got maybe"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("findings")
  void checksTheTypesRules(Middleware mw, List<Finding> expected) {
    assertThat(ADAPTER.check(mw)).containsExactlyElementsOf(expected);
  }
}
