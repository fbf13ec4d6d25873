package io.flotilla.traffic.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The etcd backend against a real etcd on loopback. */
class EtcdBackendTest {
  @RegisterExtension static final EtcdServer ETCD = EtcdServer.launch();

  private static final DnsRecord WEB = new DnsRecord("web.shop.example.org", "10.0.0.1", 0, 0, 30);
  private static final DnsRecord WEB_SRV =
      new DnsRecord("_http._tcp.web.shop.example.org", "10.0.0.1", 8080, 10, 30);

  private EtcdBackend backend;
  private String prefix;

  @BeforeEach
  void fresh(org.junit.jupiter.api.TestInfo info) {
    ETCD.start();
    prefix = "/skydns-" + info.getTestMethod().orElseThrow().getName();
    backend = new EtcdBackend(ETCD.endpoint(), prefix, "east");
  }

  @Test
  void recordsAreWrittenInTheSkyDnsLayoutWithAnExplicitTtlAndTheOwnerMark() {
    assertThat(backend.sync(List.of(WEB, WEB_SRV))).isEqualTo(2);

    Map<String, String> stored = backend.range(prefix + "/");
    assertThat(stored).hasSize(2);
    assertThat(stored)
        .containsEntry(
            prefix + "/org/example/shop/web/" + idOf(stored, "/org/example/shop/web/"),
            "{\"host\":\"10.0.0.1\",\"ttl\":30,\"owner\":\"flotilla.io/east\"}")
        .containsEntry(
            prefix
                + "/org/example/shop/web/_tcp/_http/"
                + idOf(stored, "/org/example/shop/web/_tcp/_http/"),
            "{\"host\":\"10.0.0.1\",\"port\":8080,\"priority\":10,\"ttl\":30,"
                + "\"owner\":\"flotilla.io/east\"}");
    assertThat(backend.sync(List.of(WEB, WEB_SRV))).as("nothing to change").isZero();
  }

  /** The id part of the one key directly under a directory. */
  private String idOf(Map<String, String> stored, String dir) {
    return stored.keySet().stream()
        .filter(
            k -> k.startsWith(prefix + dir) && !k.substring((prefix + dir).length()).contains("/"))
        .map(k -> k.substring((prefix + dir).length()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aFullResyncRemovesOurStaleRecordsAndOnlyOurs() {
    backend.put(prefix + "/org/example/shop/legacy/x1", "{\"host\":\"10.9.9.9\"}");
    backend.put(
        prefix + "/org/example/shop/other/y1",
        "{\"host\":\"10.8.8.8\",\"ttl\":60,\"owner\":\"flotilla.io/west\"}");
    backend.sync(List.of(WEB, WEB_SRV));

    assertThat(backend.sync(List.of(WEB))).as("the SRV record removed").isEqualTo(1);

    Map<String, String> stored = backend.range(prefix + "/");
    assertThat(stored.keySet())
        .containsExactlyInAnyOrder(
            prefix + "/org/example/shop/legacy/x1",
            prefix + "/org/example/shop/other/y1",
            SkyDns.key(prefix, WEB));
    assertThat(stored.get(prefix + "/org/example/shop/legacy/x1"))
        .isEqualTo("{\"host\":\"10.9.9.9\"}");
  }

  @Test
  void aKeyOfSomeoneElseIsNeverOverwrittenAndTheRestIsWritten() {
    backend.put(SkyDns.key(prefix, WEB), "{\"host\":\"10.7.7.7\"}");

    assertThat(backend.sync(List.of(WEB, WEB_SRV))).isEqualTo(1);

    assertThat(backend.range(prefix + "/"))
        .containsEntry(SkyDns.key(prefix, WEB), "{\"host\":\"10.7.7.7\"}")
        .containsKey(SkyDns.key(prefix, WEB_SRV));
  }

  @Test
  void anEtcdThatIsDownGivesAClearErrorAndTheNextSyncCatchesUpWithNothingLostOrDoubled() {
    backend.sync(List.of(WEB));
    ETCD.stop();

    assertThatThrownBy(() -> backend.sync(List.of(WEB, WEB_SRV)))
        .isInstanceOf(DnsBackendException.class)
        .hasMessageStartingWith("etcd " + ETCD.endpoint() + " " + prefix + ": kv/range failed");

    ETCD.start();
    assertThat(backend.sync(List.of(WEB, WEB_SRV))).isEqualTo(1);
    assertThat(backend.range(prefix + "/").keySet())
        .containsExactlyInAnyOrder(SkyDns.key(prefix, WEB), SkyDns.key(prefix, WEB_SRV));
  }
}
