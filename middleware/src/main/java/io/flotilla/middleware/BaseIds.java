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
   * Numbers a fresh placement from {@code first}, one counter for the whole resource: each role in
   * the placement's order, each role's shares in cluster name order. Ids are unique across roles
   * too, as ZooKeeper myids (participants and observers) and Kafka node ids (controllers and
   * brokers) must be. 2+2+1 masters and 1+1+1 replicas over dc1, dc2, dc3 from 1 give masters dc1
   * [1,3), dc2 [3,5), dc3 [5,6) and replicas dc1 6, dc2 7, dc3 8.
   */
  public static BaseIds contiguous(Placement placement, int first) {
    Map<String, SortedMap<String, Integer>> out = new LinkedHashMap<>();
    int next = first;
    for (Map.Entry<String, SortedMap<String, Integer>> role : placement.roles().entrySet()) {
      SortedMap<String, Integer> byCluster = new TreeMap<>();
      for (Map.Entry<String, Integer> e : role.getValue().entrySet()) {
        byCluster.put(e.getKey(), next);
        next += e.getValue();
      }
      out.put(role.getKey(), byCluster);
    }
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
