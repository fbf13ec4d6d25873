package io.flotilla.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.KubeObject;
import io.flotilla.api.Resources;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Effective pod requests and cluster sums, exactly as Kubernetes counts them. */
class ResourceSummerTest {
  private static KubeObject pod(String spec) {
    return KubeObject.parse(
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"mw\"},"
            + "\"spec\":"
            + spec
            + ",\"status\":{\"phase\":\"Running\"}}");
  }

  private static String c(String cpu, String memory) {
    return "{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\""
        + cpu
        + "\",\"memory\":\""
        + memory
        + "\"}}}";
  }

  private static String sidecar(String cpu, String memory) {
    return c(cpu, memory).replaceFirst("\\{", "{\"restartPolicy\":\"Always\",");
  }

  static Stream<Arguments> pods() {
    return Stream.of(
        row(
            "containers add up exactly",
            "{\"containers\":[" + c("500m", "1Gi") + "," + c("1.5", "512Mi") + "]}",
            2_000,
            1536L << 20),
        row(
            "a container without requests counts zero",
            "{\"containers\":[{\"name\":\"c\"}]}",
            0,
            0),
        row(
            "quantities in other spellings",
            "{\"containers\":[" + c("0.25", "1G") + "," + c("250m", "1e3") + "]}",
            500,
            1_000_001_000L),
        row("sub-millicore cpu rounds up", "{\"containers\":[" + c("1n", "1") + "]}", 1, 1),
        row(
            "an init container larger than the containers wins",
            "{\"containers\":["
                + c("500m", "256Mi")
                + "],\"initContainers\":["
                + c("2", "128Mi")
                + "]}",
            2_000,
            256L << 20),
        row(
            "init containers run one at a time: the largest counts",
            "{\"containers\":["
                + c("100m", "1Mi")
                + "],\"initContainers\":["
                + c("1", "1Mi")
                + ","
                + c("3", "2Mi")
                + "]}",
            3_000,
            2L << 20),
        row(
            "a sidecar adds to the containers and to later init containers",
            "{\"containers\":["
                + c("1", "1Gi")
                + "],\"initContainers\":["
                + sidecar("500m", "512Mi")
                + ","
                + c("2", "256Mi")
                + "]}",
            2_500,
            1536L << 20),
        row(
            "an init container before the sidecar does not carry it",
            "{\"containers\":["
                + c("1", "1Gi")
                + "],\"initContainers\":["
                + c("1200m", "100Mi")
                + ","
                + sidecar("500m", "512Mi")
                + "]}",
            1_500,
            1536L << 20),
        row(
            "pod overhead is added",
            "{\"containers\":["
                + c("1", "1Gi")
                + "],\"overhead\":{\"cpu\":\"250m\",\"memory\":\"120Mi\"}}",
            1_250,
            (1L << 30) + (120L << 20)),
        row(
            "pod-level requests replace the containers' sum",
            "{\"containers\":["
                + c("1", "1Gi")
                + ","
                + c("1", "1Gi")
                + "],\"resources\":{\"requests\":{\"cpu\":\"3\"}}}",
            3_000,
            2L << 30));
  }

  private static Arguments row(String name, String spec, long cpuMillis, long memoryBytes) {
    return Arguments.of(Named.of(name, spec), new Resources(cpuMillis, memoryBytes));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pods")
  void podRequests(String spec, Resources expected) {
    assertThat(ResourceSummer.requests(pod(spec))).isEqualTo(expected);
  }

  private static KubeObject node(String name, String ready, String cpu, String memory) {
    return KubeObject.parse(
        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\""
            + name
            + "\"},\"status\":{\"allocatable\":{\"cpu\":\""
            + cpu
            + "\",\"memory\":\""
            + memory
            + "\",\"pods\":\"110\"},\"conditions\":[{\"type\":\"MemoryPressure\",\"status\":\"False\"},"
            + "{\"type\":\"Ready\",\"status\":\""
            + ready
            + "\"}]}}");
  }

  private static KubeObject podIn(String phase, String cpu, String memory) {
    return pod("{\"containers\":[" + c(cpu, memory) + "]}")
        .edit(n -> ((tools.jackson.databind.node.ObjectNode) n.get("status")).put("phase", phase));
  }

  @Test
  void allocatableSumsReadyNodesOnly() {
    ResourceUsage u =
        ResourceSummer.usage(
            List.of(
                node("a", "True", "3500m", "7Gi"),
                node("b", "True", "4", "16Gi"),
                node("c", "False", "64", "1Ti"),
                node("d", "Unknown", "64", "1Ti")),
            List.of());

    assertThat(u.allocatable()).isEqualTo(new Resources(7_500, 23L << 30));
  }

  @Test
  void aNodeWithoutConditionsIsNotReady() {
    KubeObject bare = KubeObject.create("v1", "Node", "", "bare");

    assertThat(ResourceSummer.usage(List.of(bare), List.of()).allocatable())
        .isEqualTo(Resources.ZERO);
  }

  @Test
  void allocatedSumsPodsThatAreNotTerminated() {
    ResourceUsage u =
        ResourceSummer.usage(
            List.of(),
            List.of(
                podIn("Running", "500m", "1Gi"),
                podIn("Pending", "1.5", "1Gi"),
                podIn("Succeeded", "10", "10Gi"),
                podIn("Failed", "10", "10Gi"),
                podIn("Unknown", "10", "10Gi")));

    assertThat(u.allocated()).isEqualTo(new Resources(2_000, 2L << 30));
  }

  @Test
  void aQuantityThatDoesNotParseNamesTheObjectAndField() {
    assertThatThrownBy(
            () -> ResourceSummer.usage(List.of(node("n1", "True", "lots", "1Gi")), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Node n1: status.allocatable.cpu: quantity \"lots\"");
  }

  @Test
  void aSumBeyondWhatFlotillaCountsIsRefused() {
    assertThatThrownBy(
            () ->
                ResourceSummer.usage(
                    List.of(node("n1", "True", "1", "2Ei"), node("n2", "True", "1", "1Ei")),
                    List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allocatable is beyond what Flotilla counts");
  }
}
