package io.flotilla.api;

import java.util.Objects;

/**
 * Names one Kubernetes object: its apiVersion, kind, namespace (empty for cluster-scoped objects)
 * and name.
 */
public record ObjectRef(String apiVersion, String kind, String namespace, String name)
    implements Comparable<ObjectRef> {
  public ObjectRef {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** The API group: "" for the core group ("v1"), "apps" for "apps/v1". */
  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** "StatefulSet default/zk", or "MemberCluster dc1" when cluster-scoped. */
  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }

  @Override
  public int compareTo(ObjectRef o) {
    int c = apiVersion.compareTo(o.apiVersion);
    if (c == 0) {
      c = kind.compareTo(o.kind);
    }
    if (c == 0) {
      c = namespace.compareTo(o.namespace);
    }
    return c != 0 ? c : name.compareTo(o.name);
  }
}
