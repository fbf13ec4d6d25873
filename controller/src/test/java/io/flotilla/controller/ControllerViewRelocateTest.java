package io.flotilla.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Problem;
import io.flotilla.middleware.Addressing;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.server.RefusedException;
import io.flotilla.server.Relocation;
import io.flotilla.store.ObjectStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Relocating instances by hand: the pinned placement after the move is checked by the scheduler
 * with the controller's inputs, refused with the scheduler's reasons (each naming the request's
 * field), and otherwise written so that the controller rolls it out.
 */
class ControllerViewRelocateTest {
  static final String ZK = MiddlewareReconcilerTest.ZK;

  Harness h;

  @BeforeEach
  void clusters() {
    h = new Harness();
    for (String c : List.of("dc1", "dc2", "dc3")) {
      h.cluster(c, true, false);
    }
  }

  ControllerView view(ObjectStore store) {
    return new ControllerView(
        store,
        Scheduler.withDefaultPlugins(),
        Addressing.kubernetes(),
        c -> Optional.empty(),
        h.clock);
  }

  /** Deploys {@code yaml} and lets the controller place it 1+1+1. */
  void placed(String yaml) {
    h.middleware(yaml);
    h.settle(h.reconciler());
  }

  /**
   * One relocation: what is deployed and changed before, the move, and the outcome: {@code ok
   * PINNED} or {@code STATUS fields: messages}.
   */
  record Case(
      String name, Consumer<ControllerViewRelocateTest> before, Relocation move, String expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Relocation move(String role, String from, String to, int count) {
    return new Relocation(role, from, to, count);
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "moving 1 of 3 voters from dc2 to dc3 pins 1+0+2",
            t -> t.placed(ZK),
            move("participant", "dc2", "dc3", 1),
            "ok {\"participant\":{\"dc1\":1,\"dc3\":2}}"),
        new Case(
            "moving more than the cluster runs is refused on count",
            t -> t.placed(ZK),
            move("participant", "dc2", "dc3", 2),
            "422 count: dc2 runs 1 participant instance of Middleware default/zk, fewer than the 2"),
        new Case(
            "a move onto a cordoned cluster is refused on to",
            t -> {
              t.placed(ZK);
              t.taint("dc3", "flotilla.io/cordoned", "NoSchedule");
            },
            move("participant", "dc2", "dc3", 1),
            "422 to: role participant, cluster dc3: pinned 2 replicas of role participant here, but"
                + " it is cordoned"),
        new Case(
            "a move onto a NotReady cluster is refused on to",
            t -> {
              t.placed(ZK);
              t.h.cluster("dc3", false, true);
            },
            move("participant", "dc2", "dc3", 1),
            "422 to: role participant, cluster dc3: pinned 2 replicas of role participant here, but"
                + " it is not a candidate"),
        new Case(
            "a move onto a cluster without room is refused on to",
            t -> {
              t.placed(ZK);
              t.allocated("dc3", "63900m");
            },
            move("participant", "dc2", "dc3", 1),
            "422 to: role participant, cluster dc3: pinned 2 replicas of role participant here, but"
                + " it holds at most 1"),
        new Case(
            "a move below minClusters is refused on role",
            t ->
                t.placed(
                    ZK.replace(
                        "role: participant, replicas: 3",
                        "role: participant, replicas: 3, minClusters: 3")),
            move("participant", "dc2", "dc3", 1),
            "422 role: role participant: pinned placement spans 2"),
        new Case(
            "another role's pin is kept",
            t ->
                t.placed(
                    ZK
                        + "    - {role: observer, replicas: 2, resourceRequest: {requests: {cpu: 100m, memory: 256Mi}}}\n"
                        + "  pinnedPlacement: {observer: {dc1: 1, dc2: 1}}\n"),
            move("participant", "dc1", "dc2", 1),
            "ok {\"participant\":{\"dc2\":2,\"dc3\":1},\"observer\":{\"dc1\":1,\"dc2\":1}}"),
        new Case(
            "a Middleware not placed yet is refused on role",
            t -> t.h.middleware(ZK),
            move("participant", "dc2", "dc3", 1),
            "422 role: Middleware default/zk has no placement for role participant yet"),
        new Case(
            "a Middleware that breaks its type's rules is refused on the spec's field",
            t -> t.h.middleware(ZK.replace("role: participant", "role: observer")),
            move("observer", "dc2", "dc3", 1),
            "422 spec.replicaRequirements: zookeeper needs a participant role: the voters"),
        new Case(
            "a Duplicated role is refused on role",
            t ->
                t.h.middleware(
                    ZK
                        + "    - {role: observer, replicas: 1, replicaSchedulingType: Duplicated,"
                        + " resourceRequest: {requests: {cpu: 100m, memory: 256Mi}}}\n"),
            move("observer", "dc2", "dc3", 1),
            "422 role: role observer of Middleware default/zk is Duplicated"),
        new Case(
            "a Middleware being deleted is refused",
            t -> {
              t.placed(ZK);
              t.h.store.delete(Harness.ZK);
            },
            move("participant", "dc2", "dc3", 1),
            "422 metadata: being deleted since "),
        new Case(
            "an unknown role is 404",
            t -> t.placed(ZK),
            move("observer", "dc2", "dc3", 1),
            "404 Middleware default/zk has no role observer; its roles: [participant]"),
        new Case(
            "an unknown cluster is 404",
            t -> t.placed(ZK),
            move("participant", "dc2", "dc9", 1),
            "404 MemberCluster dc9 not found"),
        new Case(
            "an unknown Middleware is 404",
            t -> {},
            move("participant", "dc2", "dc3", 1),
            "404 Middleware default/zk not found"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void relocations(Case c) {
    c.before().accept(this);
    long generation = h.store.get(Harness.ZK).map(KubeObject::generation).orElse(0L);
    assertThat(outcome(view(h.store), c.move(), true)).startsWith(c.expect());
    assertThat(h.store.get(Harness.ZK).map(KubeObject::generation).orElse(0L))
        .as("a dry run writes nothing")
        .isEqualTo(generation);
    assertThat(outcome(view(h.store), c.move(), false)).startsWith(c.expect());
  }

  static String outcome(ControllerView view, Relocation move, boolean dryRun) {
    try {
      return "ok " + view.relocate("default", "zk", move, dryRun).get("pinnedPlacement");
    } catch (NoSuchElementException e) {
      return "404 " + e.getMessage();
    } catch (RefusedException e) {
      return "422 "
          + e.problems().stream().map(Problem::toString).collect(Collectors.joining("; "));
    }
  }

  @Test
  void anAcceptedMoveIsWrittenAndRolledOutByTheController() {
    placed(ZK);
    JsonNode answer =
        view(h.store).relocate("default", "zk", move("participant", "dc2", "dc3", 1), false);
    assertThat(answer.get("dryRun").asBoolean()).isFalse();
    assertThat(answer.get("placement").toString())
        .isEqualTo("{\"participant\":{\"dc1\":1,\"dc2\":1,\"dc3\":1}}");
    assertThat(answer.at("/skewExceeded/participant").asInt()).isEqualTo(2);
    assertThat(answer.at("/survivability/participant/survivesAnyClusterLoss").asBoolean())
        .as("dc3 would hold 2 of 3 voters")
        .isFalse();
    KubeObject stored = h.store.get(Harness.ZK).orElseThrow();
    assertThat(stored.at("/spec/pinnedPlacement").toString())
        .isEqualTo("{\"participant\":{\"dc1\":1,\"dc3\":2}}");
    assertThat(answer.get("generation").asLong()).isEqualTo(stored.generation());
    h.settle(h.reconciler());
    assertThat(h.status().placement().role("participant"))
        .containsExactly(Map.entry("dc1", 1), Map.entry("dc3", 2));
    assertThat(h.membershipCalls).last().asString().endsWith("lost [dc2:4]");
  }

  @Test
  void aConflictIsReadAgainAndCheckedAgain() {
    placed(ZK);
    AtomicInteger updates = new AtomicInteger();
    ControllerView v = view(interfering(updates, 1));
    JsonNode answer = v.relocate("default", "zk", move("participant", "dc2", "dc3", 1), false);
    assertThat(updates).hasValue(2);
    assertThat(answer.get("pinnedPlacement").toString())
        .isEqualTo("{\"participant\":{\"dc1\":1,\"dc3\":2}}");
    assertThat(h.store.get(Harness.ZK).orElseThrow().labels()).containsEntry("touched", "1");
  }

  @Test
  void aMiddlewareThatKeepsChangingIsAConflictAfterTheLastTry() {
    placed(ZK);
    AtomicInteger updates = new AtomicInteger();
    ControllerView v = view(interfering(updates, Integer.MAX_VALUE));
    assertThatThrownBy(
            () -> v.relocate("default", "zk", move("participant", "dc2", "dc3", 1), false))
        .isInstanceOf(ConcurrentModificationException.class)
        .hasMessageContaining("kept changing");
    assertThat(updates).hasValue(ControllerView.RELOCATE_TRIES);
    assertThat(h.store.get(Harness.ZK).orElseThrow().at("/spec/pinnedPlacement").isMissingNode())
        .isTrue();
  }

  /**
   * The store, with another writer changing the Middleware's labels before each of the first
   * updates.
   */
  ObjectStore interfering(AtomicInteger updates, int times) {
    return (ObjectStore)
        Proxy.newProxyInstance(
            ObjectStore.class.getClassLoader(),
            new Class<?>[] {ObjectStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("update") && updates.incrementAndGet() <= times) {
                KubeObject now = h.store.get(Harness.ZK).orElseThrow();
                h.store.update(
                    now.edit(
                        n ->
                            ((ObjectNode) n.get("metadata"))
                                .withObjectProperty("labels")
                                .put("touched", String.valueOf(updates.get()))));
              }
              try {
                return method.invoke(h.store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  void taint(String cluster, String key, String effect) {
    ObjectRef ref = new ObjectRef(ApiVersion.API_VERSION, "MemberCluster", "", cluster);
    KubeObject c = h.store.get(ref).orElseThrow();
    h.store.update(
        c.edit(
            n ->
                ((ObjectNode) n.get("spec"))
                    .withArrayProperty("taints")
                    .addObject()
                    .put("key", key)
                    .put("effect", effect)));
  }

  void allocated(String cluster, String cpu) {
    ObjectRef ref = new ObjectRef(ApiVersion.API_VERSION, "MemberCluster", "", cluster);
    KubeObject c = h.store.get(ref).orElseThrow();
    h.store.updateStatus(
        c.edit(n -> ((ObjectNode) n.at("/status/resourceSummary/allocated")).put("cpu", cpu)));
  }
}
