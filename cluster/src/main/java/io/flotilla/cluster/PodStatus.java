package io.flotilla.cluster;

import java.util.Map;
import java.util.Objects;

/**
 * A pod as the propagation and traffic layers need it.
 *
 * @param phase Kubernetes' pod phase: Pending, Running, Succeeded, Failed or Unknown (Pending while
 *     the server has set none)
 * @param ready the pod's Ready condition is True
 * @param ip the pod IP, or "" before it has one
 * @param hostname spec.hostname, or the pod name when unset (as a StatefulSet pod's is)
 */
public record PodStatus(
    String namespace,
    String name,
    String phase,
    boolean ready,
    String ip,
    String hostname,
    Map<String, String> labels) {
  public PodStatus {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(hostname, "hostname");
    labels = Map.copyOf(labels);
  }
}
