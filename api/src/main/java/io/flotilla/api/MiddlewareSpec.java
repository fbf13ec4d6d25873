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
 */
public record MiddlewareSpec(
    MiddlewareType type,
    Optional<String> version,
    List<ReplicaRequirement> replicaRequirements,
    ClusterAffinity clusterAffinity,
    List<Toleration> tolerations,
    Placement pinnedPlacement,
    SortedMap<String, String> settings) {
  public MiddlewareSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(version, "version");
    replicaRequirements = List.copyOf(replicaRequirements);
    Objects.requireNonNull(clusterAffinity, "clusterAffinity");
    tolerations = List.copyOf(tolerations);
    Objects.requireNonNull(pinnedPlacement, "pinnedPlacement");
    settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
  }

  public Optional<ReplicaRequirement> role(String name) {
    return replicaRequirements.stream().filter(r -> r.role().equals(name)).findFirst();
  }
}
