package io.flotilla.scheduler;

import io.flotilla.api.NameMap;
import io.flotilla.api.Placement;
import io.flotilla.api.ShardPlacement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A scheduling decision for one middleware resource. It is all or nothing: when {@code scheduled}
 * is false the placement is empty and {@code unschedulable} says why, per role and cluster.
 *
 * @param placement role → cluster → count, clusters with a count above zero
 * @param shards where each shard's primary and replicas are, when a role is sharded
 * @param skewExceeded per role, the skew used when replicas that must stay made maxSkew impossible
 *     (or a pinned placement exceeds it)
 * @param survivability per voter role, whether it survives the loss of any one cluster
 * @param displaced per role, the previous replicas on clusters that are no longer candidates, which
 *     this placement moves elsewhere
 * @param filtered clusters that are not (full) candidates, and why
 * @param headroom each candidate's headroom after the placement, for display
 * @param warnings notes for people that do not stop the placement
 */
public record ScheduleResult(
    boolean scheduled,
    Placement placement,
    List<ShardPlacement> shards,
    List<Unschedulable> unschedulable,
    Map<String, Integer> skewExceeded,
    Map<String, Survivability> survivability,
    Map<String, SortedMap<String, Integer>> displaced,
    List<FilteredCluster> filtered,
    SortedMap<String, Double> headroom,
    List<String> warnings) {
  public ScheduleResult {
    shards = List.copyOf(shards);
    unschedulable = List.copyOf(unschedulable);
    skewExceeded = Collections.unmodifiableMap(new LinkedHashMap<>(skewExceeded));
    survivability = Collections.unmodifiableMap(new LinkedHashMap<>(survivability));
    displaced = Collections.unmodifiableMap(new LinkedHashMap<>(displaced));
    filtered = List.copyOf(filtered);
    headroom = NameMap.copyOf(headroom);
    warnings = List.copyOf(warnings);
  }
}
