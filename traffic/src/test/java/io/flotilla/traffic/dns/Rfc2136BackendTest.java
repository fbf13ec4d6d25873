package io.flotilla.traffic.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

/** RFC 2136 updates with TSIG against a real BIND 9 on loopback, checked by real DNS queries. */
class Rfc2136BackendTest {
  @RegisterExtension static final BindServer BIND = BindServer.launch();

  private static Rfc2136Backend backend(String secret) {
    return new Rfc2136Backend(
        BIND.address(), BindServer.ZONE, BindServer.KEY_NAME, BindServer.ALGORITHM, secret, "east");
  }

  private static DnsRecord a(String name, String ip) {
    return new DnsRecord(name + "." + BindServer.ZONE, ip, 0, 0, 30);
  }

  @Test
  void recordsResolveThroughARealQueryAndStaleOnesOfOursGoButOthersStay() {
    Rfc2136Backend b = backend(BIND.secret());
    DnsRecord web1 = a("web.shop", "127.0.1.10");
    DnsRecord web2 = a("web.shop", "127.0.2.10");
    DnsRecord srv = new DnsRecord("_http._tcp.web.shop.example.org", "127.0.1.10", 8080, 10, 30);
    DnsRecord alias = a("lb.shop", "lb-1.cloud.example.com");

    assertThat(b.sync(List.of(web1, web2, srv, alias))).isEqualTo(4);

    assertThat(BIND.query("web.shop.example.org", Type.A))
        .containsExactly("A 127.0.1.10", "A 127.0.2.10");
    assertThat(BIND.query("_http._tcp.web.shop.example.org", Type.SRV))
        .containsExactly("SRV 10 0 8080 ip-127-0-1-10.example.org.");
    assertThat(BIND.query("ip-127-0-1-10.example.org", Type.A)).containsExactly("A 127.0.1.10");
    assertThat(BIND.query("lb.shop.example.org", Type.CNAME))
        .containsExactly("CNAME lb-1.cloud.example.com.");
    assertThat(BIND.query("_flotilla-owner.web.shop.example.org", Type.TXT))
        .containsExactly("TXT \"heritage=flotilla,owner=east\"");
    assertThat(b.sync(List.of(web1, web2, srv, alias))).as("nothing to change").isZero();

    b.sync(List.of(web1));

    assertThat(BIND.query("web.shop.example.org", Type.A)).containsExactly("A 127.0.1.10");
    assertThat(BIND.query("lb.shop.example.org", Type.CNAME)).isEmpty();
    assertThat(BIND.query("_http._tcp.web.shop.example.org", Type.SRV)).isEmpty();
    assertThat(BIND.query("legacy.example.org", Type.A)).containsExactly("A 127.0.0.99");
  }

  @Test
  void aNameThatIsNotOursIsNeverChanged() {
    Rfc2136Backend b = backend(BIND.secret());

    b.sync(List.of(a("legacy", "127.0.5.5")));

    assertThat(BIND.query("legacy.example.org", Type.A)).containsExactly("A 127.0.0.99");
  }

  @Test
  void aWrongKeyIsRefusedWithAClearError() {
    Rfc2136Backend b = backend("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

    assertThatThrownBy(() -> b.sync(List.of(a("x", "127.0.0.7"))))
        .isInstanceOf(DnsBackendException.class)
        .hasMessageStartingWith(
            "rfc2136 127.0.0.1:" + BIND.address().getPort() + " zone example.org.")
        .hasMessageContaining("is the TSIG key right?");
    assertThat(BIND.query("x.example.org", Type.A)).isEmpty();
  }

  @Test
  void aMalformedSecretIsRefusedNamingTheField() {
    assertThatThrownBy(() -> backend("not base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tsigSecret is not valid base64");
  }
}
