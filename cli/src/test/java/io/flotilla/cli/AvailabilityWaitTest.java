package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What apply --wait makes of one look at a Middleware applied at resourceVersion 7, generation 2.
 */
class AvailabilityWaitTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ApplyCommand.Applied applied(boolean unchanged) {
    return new ApplyCommand.Applied(
        "Middleware", "/p", "middleware.flotilla.io/zk", "7", 2, unchanged, "");
  }

  /** A Middleware at resourceVersion rv whose status observed generation og, with conditions. */
  private static JsonNode mw(String rv, long og, String conditions) {
    return JSON.readTree(
        "{\"metadata\": {\"resourceVersion\": \""
            + rv
            + "\", \"generation\": 2}, \"status\": {\"observedGeneration\": "
            + og
            + ", \"conditions\": ["
            + conditions
            + "]}}");
  }

  private static String c(String type, String status, String reason, String message) {
    return String.format(
        "{\"type\": \"%s\", \"status\": \"%s\", \"reason\": \"%s\", \"message\": \"%s\"}",
        type, status, reason, message);
  }

  static Stream<Arguments> looks() {
    String scheduled = c("Scheduled", "True", "Scheduled", "participant dc1=2");
    String rolling = c("Propagated", "False", "Rolling", "rolling out to cluster dc2");
    String unschedulable = c("Scheduled", "False", "Unschedulable", "no room in dc1");
    return Stream.of(
        Arguments.of(
            "Available once the controller placed this generation",
            mw("9", 2, scheduled + "," + c("Available", "True", "AllInstancesReady", "")),
            false,
            new AvailabilityWait.State(true, Optional.empty(), "Available")),
        Arguments.of(
            "Available for the generation before is not yet available",
            mw("9", 1, scheduled + "," + c("Available", "True", "AllInstancesReady", "")),
            false,
            new AvailabilityWait.State(false, Optional.empty(), "waiting for the controller")),
        Arguments.of(
            "a rollout in progress reads as its first condition that is not True",
            mw("9", 2, scheduled + "," + rolling),
            false,
            new AvailabilityWait.State(
                false, Optional.empty(), "Propagated=False Rolling: rolling out to cluster dc2")),
        Arguments.of(
            "Unschedulable written after the apply is a failure",
            mw("9", 1, unschedulable),
            false,
            new AvailabilityWait.State(
                false, Optional.of("not scheduled: Unschedulable: no room in dc1"), "")),
        Arguments.of(
            "Unschedulable in a status older than the apply is only progress",
            mw("7", 1, unschedulable),
            false,
            new AvailabilityWait.State(
                false, Optional.empty(), "Scheduled=False Unschedulable: no room in dc1")),
        Arguments.of(
            "an apply that changed nothing takes the status as it is",
            mw("7", 1, unschedulable),
            true,
            new AvailabilityWait.State(
                false, Optional.of("not scheduled: Unschedulable: no room in dc1"), "")),
        Arguments.of(
            "a failed rollout of this generation is a failure",
            mw(
                "9",
                2,
                scheduled
                    + ","
                    + c("Propagated", "False", "RolloutFailed", "cluster dc2: quota exceeded")),
            false,
            new AvailabilityWait.State(
                false,
                Optional.of("rollout failed: RolloutFailed: cluster dc2: quota exceeded"),
                "")),
        Arguments.of(
            "no status yet",
            JSON.readTree("{\"metadata\": {\"resourceVersion\": \"8\"}}"),
            false,
            new AvailabilityWait.State(false, Optional.empty(), "waiting for the controller")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("looks")
  void oneLookAtTheMiddleware(
      String name, JsonNode mw, boolean unchanged, AvailabilityWait.State expected) {
    assertThat(AvailabilityWait.State.of(mw, applied(unchanged))).isEqualTo(expected);
  }
}
