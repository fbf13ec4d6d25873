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
      copy.put(e.getKey(), positive(e.getKey(), e.getValue()));
    }
    roles = Collections.unmodifiableMap(copy);
  }

  /** The counts above zero, as an immutable map; linear when they are already sorted by name. */
  private static NameMap<Integer> positive(String role, SortedMap<String, Integer> in) {
    boolean allPositive = true;
    for (Map.Entry<String, Integer> c : in.entrySet()) {
      if (c.getValue() < 0) {
        throw new IllegalArgumentException(
            "negative count " + c.getValue() + " for role " + role + " in " + c.getKey());
      }
      allPositive &= c.getValue() > 0;
    }
    if (allPositive) {
      return NameMap.copyOf(in);
    }
    SortedMap<String, Integer> out = new TreeMap<>(in.comparator());
    in.forEach(
        (cluster, n) -> {
          if (n > 0) {
            out.put(cluster, n);
          }
        });
    return NameMap.copyOf(out);
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
      mutable(role).merge(cluster, count, Integer::sum);
      return this;
    }

    /** Adds counts to a role; an immutable {@link NameMap} for a new role is kept as it is. */
    public Builder role(String role, Map<String, Integer> counts) {
      if (!roles.containsKey(role) && counts instanceof NameMap<Integer> ready) {
        roles.put(role, ready);
      } else {
        counts.forEach((cluster, n) -> mutable(role).merge(cluster, n, Integer::sum));
      }
      return this;
    }

    private SortedMap<String, Integer> mutable(String role) {
      SortedMap<String, Integer> m = roles.get(role);
      if (!(m instanceof TreeMap<String, Integer>)) {
        m = m == null ? new TreeMap<>() : new TreeMap<>(m);
        roles.put(role, m);
      }
      return m;
    }

    public Placement build() {
      return new Placement(roles);
    }
  }

  public static Builder builder() {
    return new Builder();
  }
}
