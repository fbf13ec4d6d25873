package io.flotilla.traffic.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.traffic.dns.DataCentre.Locality;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordPlannerTest {
  private static final String ZONE = "example.org";
  private static final Set<String> ALL_READY = Set.of("dc1", "dc2", "dc3");

  private static Published svc(
      String cluster, String name, List<String> targets, Published.Port... ports) {
    return new Published(cluster, "Service", "shop", name, targets, List.of(ports), List.of());
  }

  private static Published ingress(
      String cluster, String name, List<String> hosts, String... targets) {
    return new Published(cluster, "Ingress", "shop", name, List.of(targets), List.of(), hosts);
  }

  private static final Published.Port HTTP = new Published.Port("http", "TCP", 8080);

  private static DataCentre dc(Locality l) {
    return new DataCentre("east", Set.of("dc1"), l);
  }

  /** Records as "name host[:port prio]". */
  private static List<String> show(RecordPlanner.Plan p) {
    return p.records().stream()
        .map(
            r -> r.name() + " " + r.host() + (r.isSrv() ? ":" + r.port() + " " + r.priority() : ""))
        .toList();
  }

  record Case(List<Published> published, DataCentre dc, Set<String> ready) {}

  private static Arguments c(String name, Case c, String... expected) {
    return arguments(named(name, c), List.of(expected));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        c(
            "a Service in one cluster gets its own name and the name across clusters",
            new Case(List.of(svc("dc1", "web", List.of("10.0.0.1"))), dc(Locality.ALL), ALL_READY),
            "web.shop.dc1.example.org 10.0.0.1",
            "web.shop.example.org 10.0.0.1"),
        c(
            "a named port adds SRV records to both names",
            new Case(
                List.of(svc("dc1", "web", List.of("10.0.0.1"), HTTP)), dc(Locality.ALL), ALL_READY),
            "_http._tcp.web.shop.dc1.example.org 10.0.0.1:8080 0",
            "_http._tcp.web.shop.example.org 10.0.0.1:8080 0",
            "web.shop.dc1.example.org 10.0.0.1",
            "web.shop.example.org 10.0.0.1"),
        c(
            "two clusters: the name across clusters holds both",
            new Case(
                List.of(
                    svc("dc1", "web", List.of("10.0.0.1")), svc("dc2", "web", List.of("10.0.1.1"))),
                dc(Locality.ALL),
                ALL_READY),
            "web.shop.dc1.example.org 10.0.0.1",
            "web.shop.dc2.example.org 10.0.1.1",
            "web.shop.example.org 10.0.0.1",
            "web.shop.example.org 10.0.1.1"),
        c(
            "a cluster that is not Ready keeps its own name but leaves the name across clusters",
            new Case(
                List.of(
                    svc("dc1", "web", List.of("10.0.0.1")), svc("dc2", "web", List.of("10.0.1.1"))),
                dc(Locality.ALL),
                Set.of("dc1")),
            "web.shop.dc1.example.org 10.0.0.1",
            "web.shop.dc2.example.org 10.0.1.1",
            "web.shop.example.org 10.0.0.1"),
        c(
            "locality Only answers with the data centre's own addresses while it has some",
            new Case(
                List.of(
                    svc("dc1", "web", List.of("10.0.0.1")), svc("dc2", "web", List.of("10.0.1.1"))),
                dc(Locality.ONLY),
                ALL_READY),
            "web.shop.dc1.example.org 10.0.0.1",
            "web.shop.dc2.example.org 10.0.1.1",
            "web.shop.example.org 10.0.0.1"),
        c(
            "locality Only falls back to every cluster when its own is not Ready",
            new Case(
                List.of(
                    svc("dc1", "web", List.of("10.0.0.1")), svc("dc2", "web", List.of("10.0.1.1"))),
                dc(Locality.ONLY),
                Set.of("dc2")),
            "web.shop.dc1.example.org 10.0.0.1",
            "web.shop.dc2.example.org 10.0.1.1",
            "web.shop.example.org 10.0.1.1"),
        c(
            "locality Prefer gives the data centre's own SRV records the lower priority",
            new Case(
                List.of(
                    svc("dc1", "web", List.of("10.0.0.1"), HTTP),
                    svc("dc2", "web", List.of("10.0.1.1"), HTTP)),
                dc(Locality.PREFER),
                ALL_READY),
            "_http._tcp.web.shop.dc1.example.org 10.0.0.1:8080 0",
            "_http._tcp.web.shop.dc2.example.org 10.0.1.1:8080 0",
            "_http._tcp.web.shop.example.org 10.0.0.1:8080 10",
            "_http._tcp.web.shop.example.org 10.0.1.1:8080 20",
            "web.shop.dc1.example.org 10.0.0.1",
            "web.shop.dc2.example.org 10.0.1.1",
            "web.shop.example.org 10.0.0.1",
            "web.shop.example.org 10.0.1.1"),
        c(
            "a load balancer's host name becomes an alias",
            new Case(
                List.of(svc("dc1", "web", List.of("lb-1.cloud.example"))),
                dc(Locality.ALL),
                ALL_READY),
            "web.shop.dc1.example.org lb-1.cloud.example",
            "web.shop.example.org lb-1.cloud.example"),
        c(
            "an Ingress host inside the zone gets every ready cluster's addresses",
            new Case(
                List.of(
                    ingress("dc1", "shop", List.of("shop.example.org"), "10.0.0.9"),
                    ingress("dc2", "shop", List.of("shop.example.org"), "10.0.1.9")),
                dc(Locality.ALL),
                ALL_READY),
            "shop.example.org 10.0.0.9",
            "shop.example.org 10.0.1.9"),
        c(
            "a Service without an address publishes nothing",
            new Case(List.of(svc("dc1", "web", List.of())), dc(Locality.ALL), ALL_READY)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void recordsFollowTheSpec(Case c, List<String> expected) {
    RecordPlanner.Plan p = RecordPlanner.plan(ZONE, 30, c.dc(), c.published(), c.ready());
    assertThat(show(p)).containsExactlyElementsOf(expected);
    assertThat(p.skipped()).isEmpty();
    assertThat(p.records()).allMatch(r -> r.ttl() == 30);
  }

  @Test
  void badInputIsSkippedWithTheObjectAndTheReasonAndTheRestIsPublished() {
    RecordPlanner.Plan p =
        RecordPlanner.plan(
            ZONE,
            30,
            dc(Locality.ALL),
            List.of(
                svc("dc1", "Web_Front", List.of("10.0.0.2")),
                svc("dc1", "web", List.of("10.0.0.1", "not an address")),
                ingress(
                    "dc1",
                    "shop",
                    List.of("shop.other.net", "*.example.org", "ok.example.org"),
                    "10.0.0.9")),
            ALL_READY);

    assertThat(show(p))
        .containsExactly(
            "ok.example.org 10.0.0.9",
            "web.shop.dc1.example.org 10.0.0.1",
            "web.shop.example.org 10.0.0.1");
    assertThat(p.skipped())
        .containsExactly(
            "Ingress shop/shop in dc1: host \"shop.other.net\" is outside the zone example.org",
            "Ingress shop/shop in dc1: host \"*.example.org\" is a wildcard; wildcards are not published",
            "Service shop/Web_Front in dc1: name \"Web_Front\" cannot be a DNS label: "
                + io.flotilla.api.Names.checkDnsLabel("Web_Front").orElseThrow(),
            "Service shop/web in dc1: address \"not an address\" is neither an IP nor a host name");
  }
}
