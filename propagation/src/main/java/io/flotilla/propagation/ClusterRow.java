package io.flotilla.propagation;

import java.util.Objects;
import java.util.Optional;

/**
 * One member cluster's copy of a propagated object, as the binding's status reports it.
 *
 * @param applied the copy matches the template's current generation
 * @param appliedGeneration the template generation last applied there (0 when never)
 * @param replicas the copy's desired replicas, when the kind has replicas
 * @param readyReplicas the copy's ready replicas, when the kind has replicas
 * @param ready the copy is ready: all its replicas are, or it exists when the kind has none
 * @param lastError why the last attempt failed, or "" after a success
 */
public record ClusterRow(
    String cluster,
    boolean applied,
    long appliedGeneration,
    Optional<Integer> replicas,
    Optional<Integer> readyReplicas,
    boolean ready,
    String lastError) {
  public ClusterRow {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(replicas, "replicas");
    Objects.requireNonNull(readyReplicas, "readyReplicas");
    Objects.requireNonNull(lastError, "lastError");
  }

  /** A row for a copy that could not be applied. */
  public static ClusterRow failed(String cluster, long appliedGeneration, String error) {
    return new ClusterRow(
        cluster, false, appliedGeneration, Optional.empty(), Optional.empty(), false, error);
  }
}
