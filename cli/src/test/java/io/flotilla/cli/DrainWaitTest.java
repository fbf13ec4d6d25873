package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** How {@code cluster drain --wait} reads one Middleware against the drained cluster dc1. */
class DrainWaitTest {
  private static final String AVAILABLE =
      "{\"type\": \"Scheduled\", \"status\": \"True\"}, {\"type\": \"Available\", \"status\":"
          + " \"True\"}";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a Middleware that never had a share there is not followed",
            "{\"placement\": {\"p\": {\"dc2\": 3}}, \"conditions\": [" + AVAILABLE + "]}",
            null),
        Arguments.of(
            "still placed there: waiting for the scheduler",
            "{\"placement\": {\"p\": {\"dc1\": 2, \"dc2\": 1}}, \"running\": {\"p\": {\"dc1\": 2,"
                + " \"dc2\": 1}}, \"conditions\": ["
                + AVAILABLE
                + "]}",
            "2 instances on dc1 (waiting for the scheduler to move it)"),
        Arguments.of(
            "placed elsewhere, the membership still holding them: the rollout's state",
            "{\"placement\": {\"p\": {\"dc2\": 2, \"dc3\": 1}}, \"running\": {\"p\": {\"dc1\": 1,"
                + " \"dc2\": 2}}, \"conditions\": [{\"type\": \"Scheduled\", \"status\": \"True\"},"
                + " {\"type\": \"Propagated\", \"status\": \"False\", \"reason\": \"Rolling\","
                + " \"message\": \"rolling out to cluster dc3\"}]}",
            "1 instance on dc1 (Propagated=False Rolling: rolling out to cluster dc3)"),
        Arguments.of(
            "the membership changed, the drained copies still being deleted",
            "{\"placement\": {\"p\": {\"dc2\": 2, \"dc3\": 1}}, \"running\": {\"p\": {\"dc2\": 2,"
                + " \"dc3\": 1}}, \"clusters\": [{\"name\": \"dc1\"}], \"conditions\":"
                + " [{\"type\": \"Scheduled\", \"status\": \"True\"}, {\"type\": \"Available\","
                + " \"status\": \"False\", \"reason\": \"Rolling\", \"message\": \"rolling"
                + " out\"}]}",
            "0 instances on dc1 (Available=False Rolling: rolling out)"),
        Arguments.of(
            "off the cluster and Available again",
            "{\"placement\": {\"p\": {\"dc2\": 2, \"dc3\": 1}}, \"running\": {\"p\": {\"dc2\": 2,"
                + " \"dc3\": 1}}, \"clusters\": [{\"name\": \"dc1\"}], \"conditions\": ["
                + AVAILABLE
                + "]}",
            "off dc1"),
        Arguments.of(
            "the scheduler cannot move it: a failure with its reason",
            "{\"placement\": {\"p\": {\"dc1\": 3}}, \"conditions\": [{\"type\": \"Scheduled\","
                + " \"status\": \"False\", \"reason\": \"Unschedulable\", \"message\": \"p: no"
                + " room\"}]}",
            "FAILED cannot move: Unschedulable: p: no room"),
        Arguments.of(
            "a failed rollout: a failure with the member's message",
            "{\"placement\": {\"p\": {\"dc2\": 3}}, \"running\": {\"p\": {\"dc1\": 3}},"
                + " \"conditions\": [{\"type\": \"Scheduled\", \"status\": \"True\"}, {\"type\":"
                + " \"Propagated\", \"status\": \"False\", \"reason\": \"RolloutFailed\","
                + " \"message\": \"cluster dc2: quota\"}]}",
            "FAILED rollout failed: RolloutFailed: cluster dc2: quota"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void share(String name, String status, String expected) {
    var mw =
        JsonMapper.builder()
            .build()
            .readTree(
                "{\"metadata\": {\"namespace\": \"default\", \"name\": \"zk\"}, \"status\": "
                    + status
                    + "}");
    Optional<DrainWait.Share> s = DrainWait.Share.of(mw, "dc1");
    if (expected == null) {
      assertThat(s).isEmpty();
      return;
    }
    DrainWait.Share share = s.orElseThrow();
    assertThat(share.what()).isEqualTo("middleware.flotilla.io/default/zk");
    assertThat(share.failure().map(f -> "FAILED " + f).orElse(share.line())).isEqualTo(expected);
    assertThat(share.off()).isEqualTo(expected.startsWith("off"));
  }
}
