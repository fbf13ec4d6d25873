package io.flotilla.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.kubernetes.Kubeconfig.Credentials;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Reads kubeconfigs, from a file or from bytes (as a kubeconfig held in a Secret arrives), and
 * checks that the current context is usable: it exists, names a cluster with a server, and names a
 * user that is defined.
 *
 * <p>Every problem is a {@link MemberException} with reason {@link FailureReason#INVALID_CONFIG}
 * whose message names the source and what is wrong: never a credential, and never a piece of the
 * text (a parser's message quotes the text, so only its line and column are kept).
 *
 * <p>A kubeconfig from bytes must be self-contained: it may not run an exec credential plugin or an
 * auth-provider, nor point at local files (certificate-authority, client-certificate, client-key,
 * tokenFile). Whoever can write the Secret must not be able to run commands or read files on the
 * control plane. A kubeconfig file, written by the operator, may use all of these.
 */
public final class Kubeconfigs {
  private Kubeconfigs() {}

  /** Reads a kubeconfig file; relative paths in it are relative to the file. */
  public static Kubeconfig fromFile(Path path) {
    Objects.requireNonNull(path, "path");
    String source = path.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw invalid(source, "cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    return read(source, bytes, Optional.of(path.toAbsolutePath()));
  }

  /**
   * Reads a kubeconfig from bytes.
   *
   * @param source what to call it in messages, such as "Secret flotilla-system/dc1 key config"
   */
  public static Kubeconfig fromBytes(String source, byte[] bytes) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(bytes, "bytes");
    return read(source, bytes, Optional.empty());
  }

  private static Kubeconfig read(String source, byte[] bytes, Optional<Path> file) {
    String text = utf8(source, bytes);
    if (text.isBlank()) {
      throw invalid(source, "is empty", null);
    }
    Config config = parse(source, text);
    String contextName = required(source, config.getCurrentContext(), "has no current-context");
    NamedContext named =
        find(config.getContexts(), NamedContext::getName, contextName)
            .orElseThrow(
                () ->
                    invalid(
                        source,
                        "current-context \""
                            + contextName
                            + "\" names no context (contexts: "
                            + names(config.getContexts(), NamedContext::getName)
                            + ")",
                        null));
    Context context = named.getContext();
    if (context == null) {
      throw invalid(source, "context \"" + contextName + "\" is empty", null);
    }
    String clusterName =
        required(source, context.getCluster(), "context \"" + contextName + "\" names no cluster");
    Cluster cluster =
        find(config.getClusters(), NamedCluster::getName, clusterName)
            .map(NamedCluster::getCluster)
            .orElseThrow(
                () ->
                    invalid(
                        source,
                        "context \""
                            + contextName
                            + "\" names cluster \""
                            + clusterName
                            + "\", which is not defined (clusters: "
                            + names(config.getClusters(), NamedCluster::getName)
                            + ")",
                        null));
    String server =
        required(source, cluster.getServer(), "cluster \"" + clusterName + "\" has no server");
    checkServer(source, clusterName, server);
    AuthInfo user = user(source, config, contextName, context);
    List<String> problems = new ArrayList<>();
    checkBase64(
        problems,
        "cluster \"" + clusterName + "\"",
        "certificate-authority-data",
        cluster.getCertificateAuthorityData());
    Credentials credentials = Credentials.NONE;
    if (user != null) {
      String who = "user \"" + context.getUser() + "\"";
      checkBase64(problems, who, "client-certificate-data", user.getClientCertificateData());
      checkBase64(problems, who, "client-key-data", user.getClientKeyData());
      boolean cert =
          present(user.getClientCertificateData()) || present(user.getClientCertificate());
      boolean key = present(user.getClientKeyData()) || present(user.getClientKey());
      if (cert != key) {
        problems.add(
            who + " has a client " + (cert ? "certificate but no key" : "key but no certificate"));
      }
      credentials = credentials(user, cert);
      if (file.isEmpty()) {
        selfContained(problems, who, "cluster \"" + clusterName + "\"", cluster, user);
      }
    }
    if (!problems.isEmpty()) {
      throw invalid(source, String.join("; ", problems), null);
    }
    boolean insecure = Boolean.TRUE.equals(cluster.getInsecureSkipTlsVerify());
    String namespace = context.getNamespace() == null ? "" : context.getNamespace();
    return new Kubeconfig(
        source, text, file, contextName, server, namespace, insecure, credentials);
  }

  private static String utf8(String source, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalid(source, "is not UTF-8 text", null);
    }
  }

  private static Config parse(String source, String text) {
    Config config;
    try {
      config = KubeConfigUtils.parseConfigFromString(text);
    } catch (RuntimeException e) {
      throw invalid(source, "does not parse as a kubeconfig" + where(e), null);
    }
    if (config == null) {
      throw invalid(source, "is empty", null);
    }
    return config;
  }

  /** Where parsing failed, without quoting the text: " (line 3, column 7)", " (at clusters)". */
  private static String where(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof MarkedYamlEngineException y) {
        Optional<Mark> mark = y.getProblemMark();
        if (mark.isPresent()) {
          return ": not valid YAML at line "
              + (mark.get().getLine() + 1)
              + ", column "
              + (mark.get().getColumn() + 1);
        }
        return ": not valid YAML";
      }
      if (c instanceof DatabindException d) {
        String path =
            d.getPath().stream()
                .map(
                    r ->
                        r.getPropertyName() != null
                            ? r.getPropertyName()
                            : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty()
            ? ": the document is not a mapping of kubeconfig fields"
            : ": field " + path + " has the wrong type";
      }
      if (c instanceof JacksonException j && j.getLocation() != null) {
        return ": not valid YAML or JSON at line "
            + j.getLocation().getLineNr()
            + ", column "
            + j.getLocation().getColumnNr();
      }
    }
    return "";
  }

  private static AuthInfo user(String source, Config config, String contextName, Context context) {
    if (!present(context.getUser())) {
      return null;
    }
    return find(config.getUsers(), NamedAuthInfo::getName, context.getUser())
        .map(u -> u.getUser() == null ? new AuthInfo() : u.getUser())
        .orElseThrow(
            () ->
                invalid(
                    source,
                    "context \""
                        + contextName
                        + "\" names user \""
                        + context.getUser()
                        + "\", which is not defined (users: "
                        + names(config.getUsers(), NamedAuthInfo::getName)
                        + ")",
                    null));
  }

  private static Credentials credentials(AuthInfo user, boolean cert) {
    if (user.getExec() != null) {
      return Credentials.EXEC;
    }
    if (user.getAuthProvider() != null) {
      return Credentials.AUTH_PROVIDER;
    }
    if (present(user.getToken()) || present(user.getTokenFile())) {
      return Credentials.TOKEN;
    }
    if (cert) {
      return Credentials.CLIENT_CERTIFICATE;
    }
    if (present(user.getUsername())) {
      return Credentials.BASIC;
    }
    return Credentials.NONE;
  }

  private static void selfContained(
      List<String> problems, String who, String clusterWho, Cluster cluster, AuthInfo user) {
    String refusal = ", which a kubeconfig not read from a file may not use";
    if (user.getExec() != null) {
      problems.add(who + " runs an exec credential plugin" + refusal);
    }
    if (user.getAuthProvider() != null) {
      problems.add(who + " uses an auth-provider" + refusal);
    }
    List<String> files = new ArrayList<>();
    if (present(cluster.getCertificateAuthority())) {
      problems.add(
          clusterWho
              + " refers to a local file (certificate-authority); embed certificate-authority-data instead");
    }
    if (present(user.getClientCertificate())) {
      files.add("client-certificate");
    }
    if (present(user.getClientKey())) {
      files.add("client-key");
    }
    if (present(user.getTokenFile())) {
      files.add("tokenFile");
    }
    if (!files.isEmpty()) {
      problems.add(
          who
              + " refers to local files ("
              + String.join(", ", files)
              + "); embed the data instead");
    }
  }

  private static void checkServer(String source, String clusterName, String server) {
    try {
      URI uri = new URI(server);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme();
      if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
        throw invalid(
            source,
            "cluster \""
                + clusterName
                + "\" has server \""
                + server
                + "\", which is not an http or https URL with a host",
            null);
      }
    } catch (URISyntaxException e) {
      throw invalid(
          source,
          "cluster \"" + clusterName + "\" has server \"" + server + "\", which is not a URL",
          null);
    }
  }

  private static void checkBase64(List<String> problems, String who, String field, String value) {
    if (!present(value)) {
      return;
    }
    try {
      Base64.getDecoder().decode(value.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      problems.add(who + " has " + field + " that is not base64");
    }
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  private static String required(String source, String value, String problem) {
    if (!present(value)) {
      throw invalid(source, problem, null);
    }
    return value;
  }

  private static <T> Optional<T> find(
      List<T> items, java.util.function.Function<T, String> name, String wanted) {
    return items == null
        ? Optional.empty()
        : items.stream().filter(i -> i != null && wanted.equals(name.apply(i))).findFirst();
  }

  private static <T> String names(List<T> items, java.util.function.Function<T, String> name) {
    if (items == null || items.isEmpty()) {
      return "none";
    }
    return items.stream()
        .filter(Objects::nonNull)
        .map(name)
        .map(n -> n == null ? "<unnamed>" : n)
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private static MemberException invalid(String source, String problem, Throwable cause) {
    return new MemberException(
        FailureReason.INVALID_CONFIG, "kubeconfig " + source + " " + problem, cause);
  }
}
