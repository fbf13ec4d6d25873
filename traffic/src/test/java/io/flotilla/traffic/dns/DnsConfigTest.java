package io.flotilla.traffic.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.api.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DnsConfigTest {
  @TempDir Path dir;

  @Test
  void aConfigWithBothKindsOfDnsIsRead() throws Exception {
    Files.writeString(dir.resolve("tsig"), "c2VjcmV0LXNlY3JldC1zZWNyZXQ=\n");
    DnsConfig c =
        DnsConfig.read(
            "dns.yaml",
            """
            zone: Example.org.
            ttl: 20
            dataCentres:
              - {name: east, clusters: [dc1], locality: Only, etcd: {endpoint: "http://127.0.0.1:2379"}}
              - name: west
                clusters: [dc2, dc3]
                rfc2136: {server: "127.0.0.1:5353", tsigKeyName: k, tsigSecretFile: tsig}
            """,
            dir);

    assertThat(c.settings().zone()).isEqualTo("example.org");
    assertThat(c.settings().ttl()).isEqualTo(20);
    assertThat(c.targets()).hasSize(2);
    assertThat(c.targets().get(0).dataCentre().locality()).isEqualTo(DataCentre.Locality.ONLY);
    assertThat(c.targets().get(0).backend().describe())
        .isEqualTo("etcd http://127.0.0.1:2379 /skydns");
    assertThat(c.targets().get(1).backend().describe())
        .isEqualTo("rfc2136 127.0.0.1:5353 zone example.org.");
  }

  private static Arguments bad(String name, String yaml, String expected) {
    return arguments(named(name, yaml), expected);
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        bad(
            "no zone",
            "dataCentres: [{name: a, etcd: {endpoint: 'http://127.0.0.1:1'}}]",
            "zone: "),
        bad(
            "a negative ttl",
            "zone: example.org\nttl: -1\ndataCentres: [{name: a, etcd: {endpoint: 'http://127.0.0.1:1'}}]",
            "ttl: must be > 0 seconds, got -1"),
        bad(
            "no data centre",
            "zone: example.org",
            "dataCentres: must name at least one data centre"),
        bad(
            "a data centre with both DNS kinds",
            "zone: example.org\ndataCentres: [{name: a, etcd: {endpoint: 'http://127.0.0.1:1'},"
                + " rfc2136: {server: '127.0.0.1', tsigKeyName: k, tsigSecret: c2VjcmV0}}]",
            "dataCentres[0]: must give exactly one DNS: etcd or rfc2136"),
        bad(
            "an etcd endpoint that is not a URL",
            "zone: example.org\ndataCentres: [{name: a, etcd: {endpoint: '127.0.0.1:2379'}}]",
            "dataCentres[0].etcd.endpoint: must be http://host:port"),
        bad(
            "a malformed TSIG secret",
            "zone: example.org\ndataCentres: [{name: a, rfc2136: {server: '127.0.0.1', tsigKeyName: k,"
                + " tsigSecret: 'not base64!'}}]",
            "dataCentres[0].rfc2136: tsigSecret is not valid base64"),
        bad(
            "an unknown locality",
            "zone: example.org\ndataCentres: [{name: a, locality: Near, etcd: {endpoint: 'http://127.0.0.1:1'}}]",
            "dataCentres[0].locality: must be All, Prefer or Only, got \"Near\""),
        bad(
            "the same data centre twice",
            "zone: example.org\ndataCentres: [{name: a, etcd: {endpoint: 'http://127.0.0.1:1'}},"
                + " {name: a, etcd: {endpoint: 'http://127.0.0.1:2'}}]",
            "dataCentres[1].name: \"a\" is given twice"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void aBadConfigIsRefusedNamingTheFieldAndTheReason(String yaml, String expected) {
    assertThatThrownBy(() -> DnsConfig.read("dns.yaml", yaml, dir))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(expected)
        .hasMessageNotContaining("not base64!");
  }
}
