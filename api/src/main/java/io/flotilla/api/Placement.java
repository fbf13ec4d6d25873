package io.flotilla.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a middleware's replicas are: role → cluster → count. Roles keep the order they were added
 * in (spec order); clusters are sorted by name; only counts above zero are kept.
 */
public record Placement(Map<String, SortedMap<String, Integer>> roles) {
  public static final Placement EMPTY = new Placement(Map.of());

  public Placement {
    Map<String, SortedMap<String, Integer>> copy = new LinkedHashMap<>();
    for (Map.Entry<String, SortedMap<String, Integer>> e : roles.entrySet()) {
      Objects.requireNonNull(e.getKey(), "role");
      copy.put(e.getKey(), Collections.unmodifiableSortedMap(positive(e.getKey(), e.getValue())));
    }
    roles = Collections.unmodifiableMap(copy);
  }

  /** A copy of the counts above zero; linear when they are already sorted by name. */
  private static SortedMap<String, Integer> positive(String role, SortedMap<String, Integer> in) {
    boolean allPositive = true;
    for (Map.Entry<String, Integer> c : in.entrySet()) {
      if (c.getValue() < 0) {
        throw new IllegalArgumentException(
            "negative count " + c.getValue() + " for role " + role + " in " + c.getKey());
      }
      allPositive &= c.getValue() > 0;
    }
    if (allPositive && in.comparator() == null) {
      return new TreeMap<>(in); // built from sorted entries in linear time
    }
    SortedMap<String, Integer> out = new TreeMap<>();
    in.forEach(
        (cluster, n) -> {
          if (n > 0) {
            out.put(cluster, n);
          }
        });
    return out;
  }

  /** The role's counts by cluster (empty when the role is not placed). */
  public SortedMap<String, Integer> role(String role) {
    SortedMap<String, Integer> m = roles.get(role);
    return m == null ? Collections.emptySortedMap() : m;
  }

  public int count(String role, String cluster) {
    return role(role).getOrDefault(cluster, 0);
  }

  public int total(String role) {
    return role(role).values().stream().mapToInt(Integer::intValue).sum();
  }

  public boolean isEmpty() {
    return roles.values().stream().allMatch(Map::isEmpty);
  }

  /** Builds a placement role by role, in the order roles are added. */
  public static final class Builder {
    private final Map<String, SortedMap<String, Integer>> roles = new LinkedHashMap<>();

    public Builder put(String role, String cluster, int count) {
      roles.computeIfAbsent(role, r -> new TreeMap<>()).merge(cluster, count, Integer::sum);
      return this;
    }

    public Builder role(String role, Map<String, Integer> counts) {
      SortedMap<String, Integer> m = roles.get(role);
      if (m == null
          && counts instanceof SortedMap<String, Integer> sorted
          && sorted.comparator() == null) {
        roles.put(role, new TreeMap<>(sorted)); // linear from sorted entries
      } else {
        roles.computeIfAbsent(role, r -> new TreeMap<>()).putAll(counts);
      }
      return this;
    }

    public Placement build() {
      return new Placement(roles);
    }
  }

  public static Builder builder() {
    return new Builder();
  }
}
