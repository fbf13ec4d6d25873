package io.flotilla.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.ProbeResult;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Member.probe: each way a member can fail is told apart, within the timeout, without throwing. */
class ProbeTest {
  @RegisterExtension static final MockMembers MEMBERS = MockMembers.start("dc1");

  private static final Duration TIMEOUT = Duration.ofMillis(500);

  /** The mock server over HTTPS, its certificate for localhost and 127.0.0.1. */
  private static KubernetesMockServer https;

  private static String httpsCaData;

  @BeforeAll
  static void startHttps() throws Exception {
    https =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            true);
    https.init(InetAddress.getLoopbackAddress(), 0);
    httpsCaData = TestServers.base64(Path.of(https.getSelfSignedCertificate().certificatePath()));
  }

  @AfterAll
  static void stopHttps() {
    https.destroy();
  }

  private static KubernetesMember member(String kubeconfig, Duration timeout) {
    KubernetesMemberOptions test = MockMembers.testOptions();
    return KubernetesMember.connect(
        "dc9",
        Kubeconfigs.fromBytes("test", kubeconfig.getBytes(StandardCharsets.UTF_8)),
        new KubernetesMemberOptions(
            timeout.compareTo(test.connectTimeout()) > 0 ? timeout : test.connectTimeout(),
            test.requestTimeout(),
            test.watchReconnectLimit(),
            test.watchReconnectInterval()));
  }

  /** A kubeconfig for {@code server} with extra lines under the cluster and under the user. */
  static String kubeconfig(String server, String clusterExtra, String userExtra) {
    return """
        apiVersion: v1
        kind: Config
        current-context: c
        contexts:
        - name: c
          context: {cluster: k, user: u}
        clusters:
        - name: k
          cluster:
            server: %s
        %s
        users:
        - name: u
          user:
        %s
        """
        .formatted(
            server, indent(clusterExtra), indent(userExtra.isEmpty() ? "token: abc" : userExtra));
  }

  private static String indent(String lines) {
    return lines.isEmpty() ? "" : "    " + lines.replace("\n", "\n    ");
  }

  private static ProbeResult probe(String kubeconfig) {
    return probe(kubeconfig, TIMEOUT);
  }

  /** TLS tests allow for the JVM's first handshake, which alone can take half a second. */
  private static ProbeResult probeTls(String kubeconfig) {
    return probe(kubeconfig, Duration.ofSeconds(5));
  }

  private static ProbeResult probe(String kubeconfig, Duration timeout) {
    try (KubernetesMember m = member(kubeconfig, timeout)) {
      return m.probe(timeout);
    }
  }

  @Test
  void aHealthyMemberAnswersTheProbe() {
    MockMember dc1 = MEMBERS.get("dc1");

    ProbeResult r = dc1.member().probe(TIMEOUT);

    assertThat(r.ok()).isTrue();
    assertThat(r.failure()).isEmpty();
    assertThat(r.latency()).isLessThan(TIMEOUT);
  }

  @Test
  void aServerThatAcceptsAndNeverAnswersIsATimeoutWithinTheTimeout() throws Exception {
    try (TestServers.Silent silent = new TestServers.Silent()) {
      long start = System.nanoTime();

      ProbeResult r = probe(kubeconfig(silent.url(), "", ""));

      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(r.failure()).contains(FailureReason.TIMEOUT);
      assertThat(r.message()).contains("dc9", "500ms");
      assertThat(r.latency()).isGreaterThanOrEqualTo(TIMEOUT);
      assertThat(took).isLessThan(TIMEOUT.plusMillis(1500));
    }
  }

  @Test
  void aPortWhereNothingListensIsRefused() {
    ProbeResult r = probe(kubeconfig(TestServers.closedPortUrl(), "", ""));

    assertThat(r.failure()).contains(FailureReason.REFUSED);
    assertThat(r.message()).contains("member cluster dc9", "refused");
  }

  @Test
  void aHostThatDoesNotResolveIsRefused() {
    ProbeResult r = probe(kubeconfig("https://flotilla-no-such-host.invalid:6443", "", ""));

    assertThat(r.failure()).contains(FailureReason.REFUSED);
    assertThat(r.message()).contains("does not resolve");
  }

  @Test
  void aCertificateNotSignedByATrustedAuthorityFailsTheTlsHandshake() {
    ProbeResult r = probeTls(kubeconfig("https://127.0.0.1:" + https.getPort(), "", ""));

    assertThat(r.failure()).contains(FailureReason.TLS);
    assertThat(r.message()).contains("TLS handshake failed");
  }

  @Test
  void theKubeconfigsCertificateAuthorityDataMakesTheServerTrusted() {
    ProbeResult r =
        probeTls(
            kubeconfig(
                "https://127.0.0.1:" + https.getPort(),
                "certificate-authority-data: " + httpsCaData,
                ""));

    assertThat(r.ok()).as(r.message()).isTrue();
  }

  @Test
  void insecureSkipTlsVerifyAcceptsAnyCertificate() {
    ProbeResult r =
        probeTls(
            kubeconfig(
                "https://127.0.0.1:" + https.getPort(), "insecure-skip-tls-verify: true", ""));

    assertThat(r.ok()).as(r.message()).isTrue();
  }

  @Test
  void aCertificateForAnotherNameFailsTheTlsHandshakeEvenFromATrustedAuthority() throws Exception {
    try (TestServers.ClientCertServer server = new TestServers.ClientCertServer()) {
      String client =
          "client-certificate-data: "
              + server.certificateData()
              + "\nclient-key-data: "
              + server.keyData();

      ProbeResult byIp =
          probeTls(
              kubeconfig(
                  "https://127.0.0.1:" + server.port(),
                  "certificate-authority-data: " + server.certificateData(),
                  client));
      ProbeResult byName =
          probeTls(
              kubeconfig(
                  "https://localhost:" + server.port(),
                  "certificate-authority-data: " + server.certificateData(),
                  client));

      assertThat(byIp.failure()).as(byIp.message()).contains(FailureReason.TLS);
      assertThat(byName.ok()).as(byName.message()).isTrue();
    }
  }

  @Test
  void aClientCertificateFromTheKubeconfigIsPresentedToTheServer() throws Exception {
    try (TestServers.ClientCertServer server = new TestServers.ClientCertServer()) {
      String url = "https://localhost:" + server.port();
      String ca = "certificate-authority-data: " + server.certificateData();

      ProbeResult withCert =
          probeTls(
              kubeconfig(
                  url,
                  ca,
                  "client-certificate-data: "
                      + server.certificateData()
                      + "\nclient-key-data: "
                      + server.keyData()));
      ProbeResult withToken = probeTls(kubeconfig(url, ca, "token: abc"));

      assertThat(withCert.ok()).as(withCert.message()).isTrue();
      assertThat(withToken.failure()).as(withToken.message()).contains(FailureReason.UNAUTHORIZED);
    }
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        Arguments.of(401, Optional.of(FailureReason.UNAUTHORIZED), "credentials were not accepted"),
        Arguments.of(403, Optional.of(FailureReason.UNAUTHORIZED), "may not list namespaces"),
        Arguments.of(404, Optional.of(FailureReason.REJECTED), "HTTP 404"),
        Arguments.of(429, Optional.of(FailureReason.ERROR), "HTTP 429"),
        Arguments.of(500, Optional.of(FailureReason.ERROR), "HTTP 500"),
        Arguments.of(503, Optional.of(FailureReason.ERROR), "HTTP 503"),
        Arguments.of(504, Optional.of(FailureReason.TIMEOUT), "HTTP 504"),
        Arguments.of(200, Optional.empty(), ""));
  }

  @ParameterizedTest(name = "a server answering {0} is {1}")
  @MethodSource("answers")
  void theAnswersStatusCodeIsClassified(int code, Optional<FailureReason> reason, String says) {
    KubernetesMockServer server = TestServers.answering("GET", "/" + Prober.PATH, code);
    try {
      ProbeResult r = probe(kubeconfig("http://127.0.0.1:" + server.getPort(), "", ""));

      assertThat(r.failure()).isEqualTo(reason);
      assertThat(r.message()).contains(says);
    } finally {
      server.destroy();
    }
  }

  @Test
  void theProbeSendsTheKubeconfigsToken() throws Exception {
    // The mock server does not check tokens; the request it recorded shows what was sent.
    KubernetesMockServer server = TestServers.answering("GET", "/" + Prober.PATH, 200);
    try {
      probe(kubeconfig("http://127.0.0.1:" + server.getPort(), "", "token: s3cr3t-t0ken"));
      var request = server.takeRequest(5, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(request.getHeader("Authorization")).isEqualTo("Bearer s3cr3t-t0ken");
      assertThat(request.getPath()).isEqualTo("/" + Prober.PATH);
    } finally {
      server.destroy();
    }
  }
}
