package io.flotilla.api;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a middleware resource asks for.
 *
 * @param pinnedPlacement a placement chosen by hand (role → cluster → count); roles it names are
 *     placed exactly so, after the scheduler has checked it
 * @param settings type-specific settings, as text
 * @param failback whether replicas return to a member cluster they were moved off when it was lost
 * @param globalEndpoints which member clusters get the middleware's global endpoints, and in which
 *     form
 */
public record MiddlewareSpec(
    MiddlewareType type,
    Optional<String> version,
    List<ReplicaRequirement> replicaRequirements,
    ClusterAffinity clusterAffinity,
    List<Toleration> tolerations,
    Placement pinnedPlacement,
    SortedMap<String, String> settings,
    Failback failback,
    GlobalEndpoints globalEndpoints) {
  public MiddlewareSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(version, "version");
    replicaRequirements = List.copyOf(replicaRequirements);
    Objects.requireNonNull(clusterAffinity, "clusterAffinity");
    tolerations = List.copyOf(tolerations);
    Objects.requireNonNull(pinnedPlacement, "pinnedPlacement");
    settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
    Objects.requireNonNull(failback, "failback");
    Objects.requireNonNull(globalEndpoints, "globalEndpoints");
  }

  /** A spec with the default global endpoints (EndpointSlices in every candidate cluster). */
  public MiddlewareSpec(
      MiddlewareType type,
      Optional<String> version,
      List<ReplicaRequirement> replicaRequirements,
      ClusterAffinity clusterAffinity,
      List<Toleration> tolerations,
      Placement pinnedPlacement,
      SortedMap<String, String> settings,
      Failback failback) {
    this(
        type,
        version,
        replicaRequirements,
        clusterAffinity,
        tolerations,
        pinnedPlacement,
        settings,
        failback,
        GlobalEndpoints.DEFAULT);
  }

  /** A spec that never fails back (the default). */
  public MiddlewareSpec(
      MiddlewareType type,
      Optional<String> version,
      List<ReplicaRequirement> replicaRequirements,
      ClusterAffinity clusterAffinity,
      List<Toleration> tolerations,
      Placement pinnedPlacement,
      SortedMap<String, String> settings) {
    this(
        type,
        version,
        replicaRequirements,
        clusterAffinity,
        tolerations,
        pinnedPlacement,
        settings,
        Failback.NEVER);
  }

  public Optional<ReplicaRequirement> role(String name) {
    return replicaRequirements.stream().filter(r -> r.role().equals(name)).findFirst();
  }
}
