package io.flotilla.api;

import java.util.Objects;

/** A Kubernetes cluster (or a local sandbox cluster) that runs a share of the middleware. */
public record MemberCluster(
    ObjectMeta metadata, MemberClusterSpec spec, MemberClusterStatus status) {
  public static final String KIND = "MemberCluster";

  public MemberCluster {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
  }

  public String name() {
    return metadata.name();
  }
}
