package io.flotilla.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.store.StoreHandler;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A member cluster's events, from the changes of its object in the store. */
class ClusterEventsTest {
  private static final ObjectRef DC2 =
      new ObjectRef(ApiVersion.API_VERSION, "MemberCluster", "", "dc2");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a cluster first seen is no event, whatever its state",
            List.<Consumer<Harness>>of(h -> h.cluster("dc3", false, true)),
            List.of()),
        Arguments.of(
            "turning NotReady is a warning with the health monitor's reason",
            List.<Consumer<Harness>>of(h -> h.cluster("dc2", false, true)),
            List.of(
                "Warning ClusterNotReady: not Ready",
                "Normal TaintAdded: flotilla.io/unreachable:NoExecute")),
        Arguments.of(
            "coming back is Ready again and the unreachable taint removed",
            List.<Consumer<Harness>>of(
                h -> h.cluster("dc2", false, true), h -> h.cluster("dc2", true, false)),
            List.of(
                "Warning ClusterNotReady: not Ready",
                "Normal TaintAdded: flotilla.io/unreachable:NoExecute",
                "Normal ClusterReady: Ready",
                "Normal TaintRemoved: flotilla.io/unreachable:NoExecute")),
        Arguments.of(
            "a cordon",
            List.<Consumer<Harness>>of(h -> h.taint("dc2", ClusterEvents.CORDONED, "NoSchedule")),
            List.of("Normal Cordoned: no new replicas are placed here; what runs here stays")),
        Arguments.of(
            "a drain",
            List.<Consumer<Harness>>of(h -> h.taint("dc2", ClusterEvents.DRAINED, "NoExecute")),
            List.of(
                "Normal Draining: every share moves off this cluster, rolling as in a failover")),
        Arguments.of(
            "uncordoning removes both taints",
            List.<Consumer<Harness>>of(
                h -> h.taint("dc2", ClusterEvents.CORDONED, "NoSchedule"),
                h -> h.taint("dc2", ClusterEvents.DRAINED, "NoExecute"),
                h -> h.cluster("dc2", true, false)),
            List.of(
                "Normal Cordoned: no new replicas are placed here; what runs here stays",
                "Normal Draining: every share moves off this cluster, rolling as in a failover",
                "Normal Uncordoned: replicas may be placed here again",
                "Normal Undrained: shares may be placed here again")),
        Arguments.of(
            "a heartbeat alone is no event",
            List.<Consumer<Harness>>of(h -> h.cluster("dc2", true, false)),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void events(String name, List<Consumer<Harness>> changes, List<String> expected) {
    Harness h = new Harness();
    h.cluster("dc2", true, false);
    ClusterEvents events = new ClusterEvents(h.store, h.events);
    seeClusters(h, events);
    for (Consumer<Harness> c : changes) {
      c.accept(h);
      seeClusters(h, events);
    }
    assertThat(eventsOf(h, DC2)).containsExactlyElementsOf(expected);
  }

  @Test
  void startedItFollowsTheStoresChanges() {
    Harness h = new Harness();
    h.cluster("dc2", true, false);
    try (ClusterEvents events = new ClusterEvents(h.store, h.events)) {
      events.start();
      // the first ADDED is seen before the watch reports any later change
      h.taint("dc2", ClusterEvents.CORDONED, "NoSchedule");
      Awaitility.await()
          .untilAsserted(
              () ->
                  assertThat(eventsOf(h, DC2))
                      .containsExactly(
                          "Normal Cordoned: no new replicas are placed here; what runs here stays"));
    }
  }

  private static void seeClusters(Harness h, ClusterEvents events) {
    for (KubeObject o : h.store.list(ApiVersion.API_VERSION, "MemberCluster", "")) {
      events.onChange(StoreHandler.Change.MODIFIED, o);
    }
  }

  private static List<String> eventsOf(Harness h, ObjectRef ref) {
    return h.events.of(ref).stream()
        .map(e -> e.type() + " " + e.reason() + ": " + e.message())
        .toList();
  }
}
