package io.flotilla.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Which clusters a middleware may use: by name (empty: any) and by labels (absent: any). */
public record ClusterAffinity(Optional<LabelSelector> labelSelector, List<String> clusterNames) {
  public static final ClusterAffinity ANY = new ClusterAffinity(Optional.empty(), List.of());

  public ClusterAffinity {
    Objects.requireNonNull(labelSelector, "labelSelector");
    clusterNames = List.copyOf(clusterNames);
  }
}
