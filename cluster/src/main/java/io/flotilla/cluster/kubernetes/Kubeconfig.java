package io.flotilla.cluster.kubernetes;

import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A kubeconfig that was read and checked, reduced to what its current context says: the server,
 * whether TLS is verified, the namespace, and how the user authenticates. It holds credentials, so
 * {@link #toString()} shows only where it came from, the context and the server.
 *
 * <p>Made by {@link Kubeconfigs}; turned into a member by {@link KubernetesMember#connect}.
 */
public final class Kubeconfig {
  /** How the current context's user proves who it is. */
  public enum Credentials {
    /** A bearer token (token or tokenFile). */
    TOKEN,
    /** A client certificate and key. */
    CLIENT_CERTIFICATE,
    /** A user name and password. */
    BASIC,
    /** An exec credential plugin (only from kubeconfig files). */
    EXEC,
    /** An auth-provider such as oidc (only from kubeconfig files). */
    AUTH_PROVIDER,
    /** None: the server sees an anonymous user. */
    NONE
  }

  private final String source;
  private final String contents;
  private final Optional<Path> file;
  private final String context;
  private final String server;
  private final String namespace;
  private final boolean insecureSkipTlsVerify;
  private final Credentials credentials;

  Kubeconfig(
      String source,
      String contents,
      Optional<Path> file,
      String context,
      String server,
      String namespace,
      boolean insecureSkipTlsVerify,
      Credentials credentials) {
    this.source = Objects.requireNonNull(source, "source");
    this.contents = Objects.requireNonNull(contents, "contents");
    this.file = Objects.requireNonNull(file, "file");
    this.context = Objects.requireNonNull(context, "context");
    this.server = Objects.requireNonNull(server, "server");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.insecureSkipTlsVerify = insecureSkipTlsVerify;
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  /** Where it came from: a file path, or what the caller named ("Secret ns/name key config"). */
  public String source() {
    return source;
  }

  /** The current context's name. */
  public String context() {
    return context;
  }

  /** The API server's URL. */
  public String server() {
    return server;
  }

  /** The context's namespace, or "" when it names none. */
  public String namespace() {
    return namespace;
  }

  /** True when the cluster entry says insecure-skip-tls-verify: the server is not verified. */
  public boolean insecureSkipTlsVerify() {
    return insecureSkipTlsVerify;
  }

  public Credentials credentials() {
    return credentials;
  }

  /**
   * A new fabric8 configuration for the current context, with nothing taken from the environment or
   * system properties (a control plane talks to many clusters; the process's own settings must not
   * leak into any of them).
   */
  Config toFabric8Config() {
    Config config =
        file.isPresent()
            ? Config.fromKubeconfig(file.get().toFile())
            : Config.fromKubeconfig(contents);
    if (config.getNamespace() == null || config.getNamespace().isEmpty()) {
      config.setNamespace(namespace.isEmpty() ? "default" : namespace);
    }
    return config;
  }

  /** "kubeconfig /etc/flotilla/dc1.yaml (context dc1-admin, server https://10.0.0.1:6443)". */
  @Override
  public String toString() {
    return "kubeconfig "
        + source
        + " (context "
        + context
        + ", server "
        + server
        + (insecureSkipTlsVerify ? ", TLS not verified" : "")
        + ")";
  }
}
