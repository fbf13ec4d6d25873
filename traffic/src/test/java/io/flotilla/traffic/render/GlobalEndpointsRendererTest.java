package io.flotilla.traffic.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.api.KubeObject;
import io.flotilla.traffic.render.GlobalEndpointsRenderer.Endpoint;
import io.flotilla.traffic.render.GlobalEndpointsRenderer.Port;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class GlobalEndpointsRendererTest {
  private static final List<Port> PORTS =
      List.of(new Port("client", 2181, 2181, "TCP"), new Port("peer", 2888, 2888, "TCP"));

  private static Endpoint ep(String cluster, String host, String address, boolean ready) {
    return new Endpoint(cluster, host, address, ready);
  }

  /** n instances spread round-robin over dc1..dc3, all ready, on 127.0.x.y. */
  private static List<Endpoint> many(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> ep("dc" + (1 + i % 3), "zk-" + i, "127.0." + i / 200 + "." + i % 200, true))
        .toList();
  }

  /** What a case's slices hold: per slice its address type and endpoint count. */
  record Expected(List<String> shape) {}

  private static Arguments slicing(String name, List<Endpoint> endpoints, String... shape) {
    return arguments(named(name, endpoints), new Expected(List.of(shape)));
  }

  static Stream<Arguments> slicings() {
    return Stream.of(
        slicing(
            "3 instances in 3 clusters give one IPv4 slice",
            List.of(
                ep("dc2", "zk-2", "127.0.2.1", true),
                ep("dc1", "zk-1", "127.0.1.1", true),
                ep("dc3", "zk-3", "127.0.3.1", false)),
            "IPv4:3"),
        slicing("100 instances fit one slice", many(100), "IPv4:100"),
        slicing(
            "250 instances are split 100, 100, 50", many(250), "IPv4:100", "IPv4:100", "IPv4:50"),
        slicing(
            "IPv4, IPv6 and host names go to slices of their own address type",
            List.of(
                ep("dc1", "a-0", "127.0.0.1", true),
                ep("dc2", "a-1", "fd00::1", true),
                ep("dc3", "a-2", "a-2.sandbox.local", true)),
            "FQDN:1",
            "IPv4:1",
            "IPv6:1"),
        slicing("no instance gives no slice", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("slicings")
  void slicesHoldEveryInstanceByAddressTypeAtMost100Each(
      List<Endpoint> endpoints, Expected expected) {
    List<KubeObject> slices = GlobalEndpointsRenderer.slices("ns", "zk", PORTS, endpoints);

    List<String> shape = new ArrayList<>();
    for (int i = 0; i < slices.size(); i++) {
      KubeObject s = slices.get(i);
      shape.add(s.at("/addressType").asString() + ":" + s.at("/endpoints").size());
      assertThat(s.name()).isEqualTo("zk-flotilla-" + i);
      assertThat(s.namespace()).isEqualTo("ns");
      assertThat(s.labels())
          .containsEntry("kubernetes.io/service-name", "zk")
          .containsEntry("endpointslice.kubernetes.io/managed-by", "flotilla.io");
    }
    assertThat(shape).isEqualTo(expected.shape());
    assertThat(slices.stream().mapToInt(s -> s.at("/endpoints").size()).sum())
        .isEqualTo(endpoints.size());
  }

  @Test
  void eachEndpointHasItsHostnameReadinessAndClusterAsZoneInClusterThenHostnameOrder() {
    KubeObject slice =
        GlobalEndpointsRenderer.slices(
                "ns",
                "zk",
                PORTS,
                List.of(
                    ep("dc2", "zk-3", "127.0.2.1", false), ep("dc1", "zk-1", "127.0.1.1", true)))
            .get(0);

    JsonNode first = slice.at("/endpoints/0");
    assertThat(first.at("/hostname").asString()).isEqualTo("zk-1");
    assertThat(first.at("/addresses/0").asString()).isEqualTo("127.0.1.1");
    assertThat(first.at("/zone").asString()).isEqualTo("dc1");
    assertThat(first.at("/conditions/ready").asBoolean()).isTrue();
    JsonNode second = slice.at("/endpoints/1");
    assertThat(second.at("/hostname").asString()).isEqualTo("zk-3");
    assertThat(second.at("/conditions/ready").asBoolean()).isFalse();
    assertThat(slice.at("/ports").toString())
        .isEqualTo(
            "[{\"name\":\"client\",\"port\":2181,\"protocol\":\"TCP\"},"
                + "{\"name\":\"peer\",\"port\":2888,\"protocol\":\"TCP\"}]");
  }

  @Test
  void theServiceIsHeadlessWithoutASelector() {
    KubeObject svc = GlobalEndpointsRenderer.service("ns", "zk", PORTS);

    assertThat(svc.at("/spec/clusterIP").asString()).isEqualTo("None");
    assertThat(svc.at("/spec/selector").isMissingNode()).isTrue();
    assertThat(svc.at("/spec/ports/1/port").asInt()).isEqualTo(2888);
  }

  @Test
  void theLegacyEndpointsKeepReadyAndNotReadyAddressesApartAndLeaveHostNamesOut() {
    KubeObject e =
        GlobalEndpointsRenderer.endpoints(
            "ns",
            "zk",
            PORTS,
            List.of(
                ep("dc1", "zk-1", "127.0.1.1", true),
                ep("dc2", "zk-2", "127.0.2.1", false),
                ep("dc3", "zk-3", "zk-3.example", true)));

    assertThat(e.at("/subsets/0/addresses").toString())
        .isEqualTo("[{\"ip\":\"127.0.1.1\",\"hostname\":\"zk-1\"}]");
    assertThat(e.at("/subsets/0/notReadyAddresses").toString())
        .isEqualTo("[{\"ip\":\"127.0.2.1\",\"hostname\":\"zk-2\"}]");
  }

  @Test
  void theLegacyEndpointsHoldAPlaceholderWhenNoInstanceHasAnAddress() {
    KubeObject e = GlobalEndpointsRenderer.endpoints("ns", "zk", PORTS, List.of());

    assertThat(e.at("/subsets/0/addresses").isMissingNode()).isTrue();
    assertThat(e.at("/subsets/0/notReadyAddresses").toString())
        .isEqualTo("[{\"ip\":\"192.0.2.1\",\"hostname\":\"flotilla-placeholder\"}]");
  }
}
