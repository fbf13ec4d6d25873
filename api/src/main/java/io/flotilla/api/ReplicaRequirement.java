package io.flotilla.api;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One role of a middleware and how its replicas are placed.
 *
 * @param role the role's name, unique in the resource ("master", "participant", ...)
 * @param replicas how many replicas in all (with {@code Duplicated}: in every cluster)
 * @param maxSkew bound on max − min of the role's counts over its candidate clusters (default 1)
 * @param shard when present, this role holds the replicas of shards: {@code shard} replicas per
 *     shard, the shards' primaries being the role {@link #shardOf}; a shard's primary and its
 *     replicas are placed in different clusters
 * @param shardOf the primary role of the shards, present exactly when {@code shard} is
 * @param weights static weights per cluster name (Karmada's static weight division); empty for the
 *     even spread
 * @param minClusters the role needs at least this many candidate clusters
 * @param maxClusters the role uses at most this many clusters
 * @param voter whether the role's members vote for a quorum; absent: as the type says
 */
public record ReplicaRequirement(
    String role,
    int replicas,
    int maxSkew,
    OptionalInt shard,
    Optional<String> shardOf,
    ResourceRequirements resourceRequest,
    ReplicaSchedulingType replicaSchedulingType,
    SortedMap<String, Integer> weights,
    OptionalInt minClusters,
    OptionalInt maxClusters,
    Optional<Boolean> voter) {
  public ReplicaRequirement {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(shard, "shard");
    Objects.requireNonNull(shardOf, "shardOf");
    Objects.requireNonNull(resourceRequest, "resourceRequest");
    Objects.requireNonNull(replicaSchedulingType, "replicaSchedulingType");
    weights = Collections.unmodifiableSortedMap(new TreeMap<>(weights));
    Objects.requireNonNull(minClusters, "minClusters");
    Objects.requireNonNull(maxClusters, "maxClusters");
    Objects.requireNonNull(voter, "voter");
  }

  /** A plain evenly spread role with maxSkew 1 and no other constraint. */
  public static ReplicaRequirement of(String role, int replicas, ResourceRequirements resources) {
    return new ReplicaRequirement(
        role,
        replicas,
        1,
        OptionalInt.empty(),
        Optional.empty(),
        resources,
        ReplicaSchedulingType.Divided,
        new TreeMap<>(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        Optional.empty());
  }

  public boolean isVoter(MiddlewareType type) {
    return voter.orElseGet(() -> type.role(role).map(MiddlewareType.RoleSpec::voter).orElse(false));
  }

  public boolean isWeighted() {
    return !weights.isEmpty();
  }
}
