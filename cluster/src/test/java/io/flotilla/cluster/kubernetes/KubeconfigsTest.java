package io.flotilla.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.kubernetes.Kubeconfig.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading kubeconfigs: what is accepted, and what is refused with which words. */
class KubeconfigsTest {
  /** Every credential below contains this; no message may. */
  private static final String SECRET = "s3cr3t";

  private static final String TOKEN_USER = "token: tok-" + SECRET;

  private static final String PEM_B64 =
      Base64.getEncoder()
          .encodeToString(
              ("-----BEGIN CERTIFICATE-----\n" + SECRET + "\n-----END CERTIFICATE-----\n")
                  .getBytes(StandardCharsets.UTF_8));

  /** A kubeconfig whose pieces a case replaces. */
  private static String kubeconfig(
      String currentContext, String context, String cluster, String user) {
    return """
        apiVersion: v1
        kind: Config
        %s
        contexts:
        - name: ctx
          context:
        %s
        - name: other
          context: {cluster: k, user: u}
        clusters:
        - name: k
          cluster:
        %s
        users:
        - name: u
          user:
        %s
        """
        .formatted(currentContext, indent(context), indent(cluster), indent(user));
  }

  private static String indent(String lines) {
    return lines.isEmpty() ? "    {}" : "    " + lines.replace("\n", "\n    ");
  }

  private static String valid(String cluster, String user) {
    return kubeconfig("current-context: ctx", "cluster: k\nuser: u\nnamespace: mw", cluster, user);
  }

  private static Kubeconfig read(String text) {
    return Kubeconfigs.fromBytes(
        "Secret flotilla-system/dc1", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theCurrentContextGivesServerNamespaceAndCredentials() {
    Kubeconfig k = read(valid("server: https://10.0.0.1:6443", TOKEN_USER));

    assertThat(k.source()).isEqualTo("Secret flotilla-system/dc1");
    assertThat(k.context()).isEqualTo("ctx");
    assertThat(k.server()).isEqualTo("https://10.0.0.1:6443");
    assertThat(k.namespace()).isEqualTo("mw");
    assertThat(k.insecureSkipTlsVerify()).isFalse();
    assertThat(k.credentials()).isEqualTo(Credentials.TOKEN);
    assertThat(k.toString())
        .isEqualTo(
            "kubeconfig Secret flotilla-system/dc1 (context ctx, server https://10.0.0.1:6443)")
        .doesNotContain(SECRET);
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of(
            named("a token", valid("server: https://a:6443", TOKEN_USER)),
            Credentials.TOKEN,
            false),
        Arguments.of(
            named(
                "a client certificate and key",
                valid(
                    "server: https://a:6443\ncertificate-authority-data: " + PEM_B64,
                    "client-certificate-data: " + PEM_B64 + "\nclient-key-data: " + PEM_B64)),
            Credentials.CLIENT_CERTIFICATE,
            false),
        Arguments.of(
            named(
                "a user name and password",
                valid("server: https://a:6443", "username: admin\npassword: " + SECRET)),
            Credentials.BASIC,
            false),
        Arguments.of(
            named(
                "no user at all",
                kubeconfig(
                    "current-context: ctx", "cluster: k", "server: http://127.0.0.1:8080", "")),
            Credentials.NONE,
            false),
        Arguments.of(
            named(
                "insecure-skip-tls-verify",
                valid("server: https://a:6443\ninsecure-skip-tls-verify: true", TOKEN_USER)),
            Credentials.TOKEN,
            true),
        Arguments.of(
            named(
                "JSON rather than YAML",
                """
                {"apiVersion": "v1", "kind": "Config", "current-context": "c",
                 "contexts": [{"name": "c", "context": {"cluster": "k"}}],
                 "clusters": [{"name": "k", "cluster": {"server": "https://a:6443"}}]}
                """),
            Credentials.NONE,
            false));
  }

  @ParameterizedTest(name = "a kubeconfig with {0} is accepted")
  @MethodSource("accepted")
  void accepted(String text, Credentials credentials, boolean insecure) {
    Kubeconfig k = read(text);

    assertThat(k.credentials()).isEqualTo(credentials);
    assertThat(k.insecureSkipTlsVerify()).isEqualTo(insecure);
  }

  static Stream<Arguments> refused() {
    String cluster = "server: https://10.0.0.1:6443";
    return Stream.of(
        Arguments.of(named("nothing in it", ""), List.of("is empty")),
        Arguments.of(named("only blanks", "  \n\n"), List.of("is empty")),
        Arguments.of(
            named("text that is not YAML", "token: " + SECRET + "\n  this is: not: [yaml"),
            List.of("does not parse", "not valid YAML at line 2")),
        Arguments.of(
            named("a word rather than a mapping", "hello token=" + SECRET),
            List.of("does not parse", "not a mapping")),
        Arguments.of(
            named("a list rather than a mapping", "- " + SECRET + "\n- b\n"),
            List.of("does not parse", "not a mapping")),
        Arguments.of(
            named("clusters that are a number", "apiVersion: v1\nclusters: 3\n"),
            List.of("field clusters has the wrong type")),
        Arguments.of(
            named("no current-context", kubeconfig("", "cluster: k\nuser: u", cluster, TOKEN_USER)),
            List.of("has no current-context")),
        Arguments.of(
            named(
                "a current-context that names no context",
                kubeconfig("current-context: prod", "cluster: k\nuser: u", cluster, TOKEN_USER)),
            List.of("current-context \"prod\" names no context (contexts: ctx, other)")),
        Arguments.of(
            named(
                "a context naming a cluster that is not defined",
                kubeconfig("current-context: ctx", "cluster: gone\nuser: u", cluster, TOKEN_USER)),
            List.of("context \"ctx\" names cluster \"gone\", which is not defined (clusters: k)")),
        Arguments.of(
            named(
                "a context naming no cluster",
                kubeconfig("current-context: ctx", "user: u", cluster, TOKEN_USER)),
            List.of("context \"ctx\" names no cluster")),
        Arguments.of(
            named(
                "a cluster without a server",
                valid("certificate-authority-data: " + PEM_B64, TOKEN_USER)),
            List.of("cluster \"k\" has no server")),
        Arguments.of(
            named("a server that is not a URL", valid("server: 'https://a b:6443'", TOKEN_USER)),
            List.of("cluster \"k\" has server \"https://a b:6443\", which is not a URL")),
        Arguments.of(
            named("a server that is not http", valid("server: ftp://10.0.0.1", TOKEN_USER)),
            List.of("which is not an http or https URL with a host")),
        Arguments.of(
            named(
                "a context naming a user that is not defined",
                kubeconfig(
                    "current-context: ctx", "cluster: k\nuser: nobody", cluster, TOKEN_USER)),
            List.of("context \"ctx\" names user \"nobody\", which is not defined (users: u)")),
        Arguments.of(
            named(
                "certificate-authority-data that is not base64",
                valid(cluster + "\ncertificate-authority-data: '" + SECRET + "!!'", TOKEN_USER)),
            List.of("cluster \"k\" has certificate-authority-data that is not base64")),
        Arguments.of(
            named(
                "a client certificate without its key",
                valid(cluster, "client-certificate-data: " + PEM_B64)),
            List.of("user \"u\" has a client certificate but no key")),
        Arguments.of(
            named(
                "an exec credential plugin",
                valid(
                    cluster,
                    "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: /bin/"
                        + SECRET)),
            List.of("user \"u\" runs an exec credential plugin", "may not use")),
        Arguments.of(
            named(
                "an auth-provider",
                valid(
                    cluster, "auth-provider:\n  name: oidc\n  config: {id-token: " + SECRET + "}")),
            List.of("user \"u\" uses an auth-provider")),
        Arguments.of(
            named(
                "files on the control plane",
                valid(
                    cluster + "\ncertificate-authority: /etc/" + SECRET + "/ca.crt",
                    "client-certificate: c.crt\nclient-key: c.key\ntokenFile: /var/run/token")),
            List.of(
                "cluster \"k\" refers to a local file (certificate-authority)",
                "user \"u\" refers to local files (client-certificate, client-key, tokenFile)")));
  }

  @ParameterizedTest(name = "a kubeconfig with {0} is refused")
  @MethodSource("refused")
  void refused(String text, List<String> says) {
    assertThatThrownBy(() -> read(text))
        .isInstanceOfSatisfying(
            MemberException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.INVALID_CONFIG);
              assertThat(e.getMessage()).startsWith("kubeconfig Secret flotilla-system/dc1 ");
              assertThat(e.getMessage()).contains(says).doesNotContain(SECRET);
              assertThat(e.getCause()).isNull();
            });
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() {
    assertThatThrownBy(
            () -> Kubeconfigs.fromBytes("Secret a/b", new byte[] {(byte) 0xff, (byte) 0xfe, 0x41}))
        .isInstanceOfSatisfying(
            MemberException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.INVALID_CONFIG);
              assertThat(e.getMessage()).isEqualTo("kubeconfig Secret a/b is not UTF-8 text");
            });
  }

  @Test
  void aFileThatIsMissingIsRefusedNamingThePath(@TempDir Path dir) {
    Path missing = dir.resolve("dc1.yaml");

    assertThatThrownBy(() -> Kubeconfigs.fromFile(missing))
        .isInstanceOfSatisfying(
            MemberException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.INVALID_CONFIG);
              assertThat(e.getMessage())
                  .isEqualTo("kubeconfig " + missing + " cannot be read (NoSuchFileException)");
            });
  }

  @Test
  void aFileMayUseExecPluginsAndLocalFilesWhichItsOperatorWrote(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("dc1.yaml");
    Files.writeString(
        file,
        valid(
            "server: https://10.0.0.1:6443\ncertificate-authority: ca.crt",
            "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: get-token"));

    Kubeconfig k = Kubeconfigs.fromFile(file);

    assertThat(k.credentials()).isEqualTo(Credentials.EXEC);
    assertThat(k.source()).isEqualTo(file.toString());
  }

  @Test
  void aFileWithProblemsIsRefusedNamingThePath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("dc1.yaml");
    Files.writeString(file, valid("insecure-skip-tls-verify: true", TOKEN_USER));

    assertThatThrownBy(() -> Kubeconfigs.fromFile(file))
        .isInstanceOf(MemberException.class)
        .hasMessage("kubeconfig " + file + " cluster \"k\" has no server");
  }

  @Test
  void certificateDataThatIsNotACertificateIsRefusedWhenConnecting() {
    Kubeconfig k =
        read(
            valid(
                "server: https://10.0.0.1:6443",
                "client-certificate-data: " + PEM_B64 + "\nclient-key-data: " + PEM_B64));

    assertThatThrownBy(
            () -> KubernetesMember.connect("dc1", k, KubernetesMemberOptions.defaults()).close())
        .isInstanceOfSatisfying(
            MemberException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.INVALID_CONFIG);
              assertThat(e.getMessage())
                  .contains("member cluster dc1", "kubeconfig Secret flotilla-system/dc1")
                  .doesNotContain(SECRET);
            });
  }
}
