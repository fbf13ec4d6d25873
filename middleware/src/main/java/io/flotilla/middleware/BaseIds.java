package io.flotilla.middleware;

import io.flotilla.api.Placement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where each cluster's share of each role starts numbering: the share of role r in cluster c is the
 * ids {@code [base, base + count)}, so StatefulSet ordinals, ZooKeeper myids and Kafka node ids are
 * unique across clusters ({@code spec.ordinals.start = base}). The controller assigns them and
 * never reuses an id within a resource's life; {@link #contiguous} numbers a fresh placement.
 */
public record BaseIds(Map<String, SortedMap<String, Integer>> bases) {
  public BaseIds {
    Map<String, SortedMap<String, Integer>> copy = new LinkedHashMap<>();
    bases.forEach(
        (role, byCluster) ->
            copy.put(
                Objects.requireNonNull(role, "role"),
                Collections.unmodifiableSortedMap(new TreeMap<>(byCluster))));
    bases = Collections.unmodifiableMap(copy);
  }

  /**
   * Numbers each role's shares one after another in cluster name order, starting at {@code first}:
   * 2+2+1 over dc1, dc2, dc3 from 1 gives dc1 [1,3), dc2 [3,5), dc3 [5,6).
   */
  public static BaseIds contiguous(Placement placement, int first) {
    Map<String, SortedMap<String, Integer>> out = new LinkedHashMap<>();
    placement
        .roles()
        .forEach(
            (role, counts) -> {
              SortedMap<String, Integer> byCluster = new TreeMap<>();
              int next = first;
              for (Map.Entry<String, Integer> e : counts.entrySet()) {
                byCluster.put(e.getKey(), next);
                next += e.getValue();
              }
              out.put(role, byCluster);
            });
    return new BaseIds(out);
  }

  /** The first id of a role's share in a cluster. */
  public int base(String role, String cluster) {
    Integer b = bases.getOrDefault(role, Collections.emptySortedMap()).get(cluster);
    if (b == null) {
      throw new IllegalArgumentException("no base id for role " + role + " in cluster " + cluster);
    }
    return b;
  }
}
