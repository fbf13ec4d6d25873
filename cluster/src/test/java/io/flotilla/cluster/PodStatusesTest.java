package io.flotilla.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.KubeObject;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodStatusesTest {
  private static KubeObject pod(String specAndStatus) {
    return KubeObject.parse(
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"zk-1\",\"namespace\":\"mw\","
            + "\"labels\":{\"app\":\"zk\"}}"
            + (specAndStatus.isEmpty() ? "" : "," + specAndStatus)
            + "}");
  }

  static Stream<Arguments> pods() {
    return Stream.of(
        row("a pod the server has not looked at yet is Pending", "", "Pending", false, "", "zk-1"),
        row(
            "a running ready pod with an address",
            "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.1.2.3\",\"conditions\":["
                + "{\"type\":\"PodScheduled\",\"status\":\"True\"},{\"type\":\"Ready\",\"status\":\"True\"}]}",
            "Running",
            true,
            "10.1.2.3",
            "zk-1"),
        row(
            "a running pod whose Ready condition is False",
            "\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}",
            "Running",
            false,
            "",
            "zk-1"),
        row(
            "spec.hostname names the host",
            "\"spec\":{\"hostname\":\"zk-one\"},\"status\":{\"phase\":\"Failed\"}",
            "Failed",
            false,
            "",
            "zk-one"));
  }

  private static Arguments row(
      String name, String json, String phase, boolean ready, String ip, String hostname) {
    return Arguments.of(
        Named.of(name, json),
        new PodStatus("mw", "zk-1", phase, ready, ip, hostname, Map.of("app", "zk")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pods")
  void readsThePodsStatus(String json, PodStatus expected) {
    assertThat(PodStatuses.of(pod(json))).isEqualTo(expected);
  }
}
