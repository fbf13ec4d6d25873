package io.flotilla.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Placement;
import io.flotilla.api.io.ObjectLoader;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.LoopbackAddressing;
import io.flotilla.middleware.Topology;
import io.flotilla.runtime.Distributions;
import io.flotilla.runtime.Tools;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every type has a driver, and each refuses lost instances that do not make sense before it touches
 * the middleware (the topologies' loopback addresses have no server: any traffic would fail
 * differently).
 */
class MembershipDriversTest {
  private static final Tools TOOLS = new Tools(Distributions.locate());

  /** One role of three instances, one per cluster, and the role's name. */
  private static final Map<MiddlewareType, String> ROLE =
      Map.of(
          MiddlewareType.ZOOKEEPER, "participant",
          MiddlewareType.KAFKA, "combined",
          MiddlewareType.ELASTICSEARCH, "master",
          MiddlewareType.REDIS, "master",
          MiddlewareType.ROCKETMQ, "nameserver");

  @ParameterizedTest(name = "{0}: a lost instance still in the topology after is refused")
  @EnumSource(MiddlewareType.class)
  void aLostInstanceStillInTheTopologyAfterIsRefused(MiddlewareType type) {
    Topology before = topology(type, 3);
    Instance still = before.instances().get(0);
    MembershipDriver driver = MembershipDrivers.of(type, TOOLS, Clock.systemUTC());
    assertThatThrownBy(() -> driver.reconcile(before, before, Set.of(still)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(type.id() + " m: lost instance " + still + " is still in the topology after");
  }

  @ParameterizedTest(name = "{0}: a lost instance the topology before lacks is refused")
  @EnumSource(MiddlewareType.class)
  void aLostInstanceTheTopologyBeforeLacksIsRefused(MiddlewareType type) {
    Topology before = topology(type, 3);
    Topology after = topology(type, 4);
    Instance stranger = new Instance(ROLE.get(type), "dc3", 9);
    MembershipDriver driver = MembershipDrivers.of(type, TOOLS, Clock.systemUTC());
    assertThatThrownBy(() -> driver.reconcile(before, after, Set.of(stranger)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(type.id() + " m: lost instance " + stranger + " is not in the topology before");
  }

  @ParameterizedTest(name = "{0}: survivors and added instances")
  @EnumSource(MiddlewareType.class)
  void aChangeTellsSurvivorsAndAddedInstances(MiddlewareType type) {
    Topology before = topology(type, 3);
    Topology after = topology(type, 4);
    String role = ROLE.get(type);
    Change c = Change.of(before, after, Set.of(new Instance(role, "dc3", 3)));
    assertThat(c.survivors())
        .filteredOn(i -> i.role().equals(role))
        .containsExactly(new Instance(role, "dc1", 1), new Instance(role, "dc2", 2));
    assertThat(c.added()).containsExactly(new Instance(role, "dc3", 4));
    assertThat(c.middleware()).isEqualTo(type.id() + " m");
  }

  /** Three instances, one per cluster; the one in dc3 has id {@code dc3Base}. */
  private static Topology topology(MiddlewareType type, int dc3Base) {
    String role = ROLE.get(type);
    String extra = type == MiddlewareType.ROCKETMQ ? "\n    - {role: master, replicas: 1}" : "";
    Middleware mw =
        ObjectLoader.middlewares(
                "test",
                "apiVersion: flotilla.io/v1alpha1\n"
                    + "kind: Middleware\n"
                    + "metadata: {name: m, namespace: default}\n"
                    + "spec:\n"
                    + "  type: "
                    + type.id()
                    + "\n  replicaRequirements:\n"
                    + "    - {role: "
                    + role
                    + ", replicas: 3}"
                    + extra
                    + "\n")
            .get(0);
    Placement.Builder p =
        Placement.builder().put(role, "dc1", 1).put(role, "dc2", 1).put(role, "dc3", 1);
    Map<String, java.util.SortedMap<String, Integer>> bases =
        new java.util.HashMap<>(
            Map.of(role, new TreeMap<>(Map.of("dc1", 1, "dc2", 2, "dc3", dc3Base))));
    if (type == MiddlewareType.ROCKETMQ) {
      p.put("master", "dc1", 1);
      bases.put("master", new TreeMap<>(Map.of("dc1", 10)));
    }
    return Topology.of(
        mw,
        p.build(),
        new BaseIds(Map.copyOf(bases)),
        List.of(),
        new LoopbackAddressing(LocalDrill.CLUSTERS),
        Map.of());
  }
}
