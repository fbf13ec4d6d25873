package io.flotilla.api;

import java.util.Objects;

/**
 * How the control plane reaches a member cluster's API: a kubeconfig in a Secret, or in a file, or
 * (the sandbox) a local cluster run by the same process.
 */
public sealed interface ClusterAccess {
  /** The namespace a kubeconfig Secret is looked up in when none is given. */
  String DEFAULT_NAMESPACE = "flotilla-system";

  /** The Secret key holding the kubeconfig when none is given. */
  String DEFAULT_KEY = "kubeconfig";

  /** A kubeconfig stored in a Secret of the control plane's store (or host cluster). */
  record KubeconfigSecret(String namespace, String name, String key) implements ClusterAccess {
    public KubeconfigSecret {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
      return "Secret " + namespace + "/" + name + " key " + key;
    }
  }

  /** A kubeconfig file on the control plane's machine (embedded mode). */
  record KubeconfigFile(String path) implements ClusterAccess {
    public KubeconfigFile {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return "file " + path;
    }
  }

  /**
   * A local cluster of the sandbox ({@code flotilla sandbox up}), run in the control plane's own
   * process; only the sandbox can reach it.
   */
  record Local() implements ClusterAccess {
    @Override
    public String toString() {
      return "the sandbox's local cluster";
    }
  }
}
