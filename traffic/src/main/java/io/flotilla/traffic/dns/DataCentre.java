package io.flotilla.traffic.dns;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One data centre's DNS: the member clusters that live there, and how its answers for names across
 * clusters favour them.
 */
public record DataCentre(String name, Set<String> clusters, Locality locality) {
  public DataCentre {
    Objects.requireNonNull(name, "name");
    clusters = Set.copyOf(new TreeSet<>(clusters));
    Objects.requireNonNull(locality, "locality");
  }

  /** How a data centre's answers for a name across clusters treat its own clusters' addresses. */
  public enum Locality {
    /** Every ready cluster's addresses, alike. */
    ALL("All"),
    /**
     * Every ready cluster's addresses; SRV records of this data centre's clusters get priority 10,
     * the others 20 (A and AAAA records carry no order).
     */
    PREFER("Prefer"),
    /**
     * Only this data centre's addresses while one of its clusters has any; else every cluster's.
     */
    ONLY("Only");

    private final String id;

    Locality(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }
}
