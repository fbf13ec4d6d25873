package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code flotilla server} in embedded mode: the token is created and printed once; the API wants
 * it; the client commands apply and read through it; a second replica on the same data directory
 * stands by (503) and takes over, with what the first stored, when the first stops.
 */
class ServerCommandTest {
  static final String DC1 =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: MemberCluster
      metadata: {name: dc1}
      spec:
        access:
          kubeconfigFile: {path: /nonexistent/dc1.kubeconfig}
      """;

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  record Started(ServerCommand.Server server, String out, String url) {}

  private Started start(String identity, String... extra) {
    ServerCommand command = new ServerCommand();
    CommandLine cl = new CommandLine(command);
    String[] args =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(
                    "--data-dir",
                    dir.resolve("data").toString(),
                    "--port",
                    "0",
                    "--identity",
                    identity),
                java.util.stream.Stream.of(extra))
            .toArray(String[]::new);
    cl.parseArgs(args);
    StringWriter out = new StringWriter();
    ServerCommand.Server server = command.start(new PrintWriter(out));
    return new Started(server, out.toString(), "http://127.0.0.1:" + server.port());
  }

  private int status(String url, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private Cli client(Started s, String... args) {
    String[] all =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(args),
                java.util.stream.Stream.of(
                    "--server", s.url(), "--token-file", dir.resolve("data/token").toString()))
            .toArray(String[]::new);
    return Cli.run(all);
  }

  @Test
  void aReplicaLeadsServesWithItsTokenAndAStandbyTakesOverWithTheData() throws Exception {
    Started a = start("replica-a");
    Started b = null;
    try {
      Path tokenFile = dir.resolve("data/token");
      String token = Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
      assertThat(a.out()).contains("API token (printed once").contains(token);
      assertThat(a.out()).contains("replica replica-a, embedded mode");

      await().atMost(Duration.ofSeconds(20)).until(() -> status(a.url(), "/readyz", null) == 200);
      assertThat(status(a.url(), "/apis/flotilla.io/v1alpha1/memberclusters", null)).isEqualTo(401);
      assertThat(status(a.url(), "/apis/flotilla.io/v1alpha1/memberclusters", "wrong"))
          .isEqualTo(401);

      Path manifest = dir.resolve("dc1.yaml");
      Files.writeString(manifest, DC1);
      Cli applied = client(a, "apply", "-f", manifest.toString());
      assertThat(applied.exit()).as(applied.err()).isZero();
      assertThat(applied.out()).contains("membercluster.flotilla.io/dc1 created");

      b = start("replica-b");
      Started standby = b;
      assertThat(b.out()).doesNotContain("API token");
      assertThat(status(b.url(), "/readyz", null)).isEqualTo(503);
      assertThat(status(b.url(), "/apis/flotilla.io/v1alpha1/memberclusters", token))
          .isEqualTo(503);
      Cli refused = client(b, "get", "memberclusters");
      assertThat(refused.exit()).isNotZero();
      assertThat(refused.err()).contains("replica replica-b is a standby");

      a.server().close();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> status(standby.url(), "/readyz", null) == 200);
      Cli got = client(b, "get", "memberclusters");
      assertThat(got.exit()).as(got.err()).isZero();
      assertThat(got.out()).contains("dc1");
    } finally {
      a.server().close();
      if (b != null) {
        b.server().close();
      }
    }
  }

  @Test
  void kubernetesModeKeepsObjectsAsCustomResourcesAndLeadsThroughALease() throws Exception {
    KubernetesMockServer mock =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    mock.init(InetAddress.getLoopbackAddress(), 0);
    KubernetesClient admin = mock.createClient();
    try (Stream<Path> crds = Files.list(Path.of("../deploy/crds"))) {
      for (Path f : crds.sorted().toList()) {
        admin
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(
                admin
                    .getKubernetesSerialization()
                    .unmarshal(Files.readString(f), CustomResourceDefinition.class))
            .create();
      }
    }
    Path kubeconfig = dir.resolve("host.kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: host, cluster: {server: "%s"}}]
        users: [{name: admin, user: {token: secret}}]
        contexts: [{name: host, context: {cluster: host, user: admin}}]
        current-context: host
        """
            .formatted(mock.url("/")));
    Started k =
        start(
            "replica-k",
            "--kubernetes",
            "--kubeconfig",
            kubeconfig.toString(),
            "--namespace",
            "flotilla-system");
    try {
      assertThat(k.out()).contains("Kubernetes mode (namespace flotilla-system)");
      await().atMost(Duration.ofSeconds(20)).until(() -> status(k.url(), "/readyz", null) == 200);
      assertThat(
              admin
                  .leases()
                  .inNamespace("flotilla-system")
                  .withName("flotilla-controller")
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isEqualTo("replica-k");
      Path manifest = dir.resolve("dc1.yaml");
      Files.writeString(manifest, DC1);
      Cli applied = client(k, "apply", "-f", manifest.toString());
      assertThat(applied.exit()).as(applied.err()).isZero();
      assertThat(
              admin
                  .genericKubernetesResources("flotilla.io/v1alpha1", "MemberCluster")
                  .withName("dc1")
                  .get())
          .isNotNull();
    } finally {
      k.server().close();
      admin.close();
      mock.destroy();
    }
  }

  @Test
  void anUnreadableKubeconfigIsRefusedNamingTheOption() {
    Cli c =
        Cli.run(
            "server",
            "--kubernetes",
            "--kubeconfig",
            dir.resolve("missing.kubeconfig").toString(),
            "--data-dir",
            dir.resolve("data").toString(),
            "--port",
            "0");
    assertThat(c.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(c.err()).contains("--kubeconfig").contains("missing.kubeconfig cannot be used");
  }

  @Test
  void aPortInUseIsRefusedNamingTheOption() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Cli c =
          Cli.run(
              "server",
              "--data-dir",
              dir.resolve("data").toString(),
              "--port",
              String.valueOf(taken.getLocalPort()));
      assertThat(c.exit()).isEqualTo(Main.BAD_INPUT);
      assertThat(c.err()).contains("--port").contains("cannot listen on 127.0.0.1:");
    }
  }

  @Test
  void aBadDnsFileIsRefusedNamingEveryFieldBeforeAnythingStarts() throws Exception {
    java.nio.file.Path dns = dir.resolve("dns.yaml");
    java.nio.file.Files.writeString(
        dns,
        """
        zone: example.org
        dataCentres:
          - {name: east, rfc2136: {server: "127.0.0.1", tsigKeyName: k, tsigSecret: "not base64!"}}
        """);
    Cli c =
        Cli.run(
            "server",
            "--dns",
            dns.toString(),
            "--data-dir",
            dir.resolve("data").toString(),
            "--port",
            "0");
    assertThat(c.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(c.err())
        .contains("dns.yaml")
        .contains("dataCentres[0].rfc2136: tsigSecret is not valid base64")
        .doesNotContain("not base64!");
    assertThat(dir.resolve("data").resolve("token")).doesNotExist();
  }
}
