package io.flotilla.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.api.KubeObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which clusters a pass lists pods in: those the Middleware's status says may hold instances. */
class HoldingClustersTest {
  private static final Set<String> ALL = Set.of("dc1", "dc2", "dc3", "dc4");

  private static Arguments c(String name, String status, String... expected) {
    return arguments(named(name, status), List.of(expected));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        c("no status yet: every cluster", "{}", "dc1", "dc2", "dc3", "dc4"),
        c(
            "placed: the clusters of the placement",
            "{\"placement\":{\"participant\":{\"dc1\":2,\"dc2\":1}}}",
            "dc1",
            "dc2"),
        c(
            "failing over: the new placement, what still runs, and the lost cluster",
            "{\"placement\":{\"participant\":{\"dc1\":2,\"dc3\":1}},"
                + "\"running\":{\"participant\":{\"dc1\":2,\"dc2\":1}},"
                + "\"lostClusters\":{\"dc2\":\"2026-11-27T00:00:00Z\"}}",
            "dc1",
            "dc2",
            "dc3"),
        c(
            "a fenced cluster is still listed (its stale pods go away)",
            "{\"placement\":{\"participant\":{\"dc1\":3}},\"fencedClusters\":{\"dc4\":\"2026-11-27T00:00:00Z\"}}",
            "dc1",
            "dc4"),
        c(
            "clusters that no longer exist are left out",
            "{\"placement\":{\"participant\":{\"dc1\":1,\"gone\":2}}}",
            "dc1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void podsAreListedWhereInstancesMayBe(String status, List<String> expected) {
    KubeObject mw =
        KubeObject.parse(
            "{\"apiVersion\":\"flotilla.io/v1alpha1\",\"kind\":\"Middleware\","
                + "\"metadata\":{\"name\":\"zk\",\"namespace\":\"default\"},\"status\":"
                + status
                + "}");
    assertThat(GlobalEndpointsController.holding(mw, ALL)).containsExactlyElementsOf(expected);
  }
}
