package io.flotilla.scheduler.spread;

import java.util.Objects;

/**
 * A role's candidate clusters as parallel arrays, sorted by name (so index order is name order).
 *
 * @param names cluster names
 * @param old the role's previous count on each
 * @param noNew true where the cluster keeps what it holds but gets nothing more (cordoned)
 * @param freeCpu free millicores before this role: allocatable − allocated − earlier roles
 * @param freeMemory free bytes before this role
 * @param allocCpu allocatable millicores (above zero)
 * @param allocMemory allocatable bytes (above zero)
 */
public record Candidates(
    String[] names,
    int[] old,
    boolean[] noNew,
    long[] freeCpu,
    long[] freeMemory,
    long[] allocCpu,
    long[] allocMemory) {
  public Candidates {
    int n = names.length;
    Objects.requireNonNull(old, "old");
    if (old.length != n
        || noNew.length != n
        || freeCpu.length != n
        || freeMemory.length != n
        || allocCpu.length != n
        || allocMemory.length != n) {
      throw new IllegalArgumentException("candidate arrays must all have " + n + " entries");
    }
  }

  public int size() {
    return names.length;
  }
}
