package io.flotilla.middleware;

import java.util.Objects;

/**
 * One instance of a middleware: a pod in a member cluster, a process in the sandbox. Its id is
 * unique within its role across every cluster (base ids never overlap), so its name is too.
 */
public record Instance(String role, String cluster, int id) implements Comparable<Instance> {
  public Instance {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(cluster, "cluster");
    if (id < 0) {
      throw new IllegalArgumentException("an instance id is >= 0, got " + id);
    }
  }

  /** The StatefulSet of this instance's role: {@code <middleware>-<role>}. */
  public String statefulSet(String middleware) {
    return middleware + "-" + role;
  }

  /** The pod's name: {@code <middleware>-<role>-<id>} (the StatefulSet's ordinal is the id). */
  public String podName(String middleware) {
    return statefulSet(middleware) + "-" + id;
  }

  @Override
  public int compareTo(Instance o) {
    int c = role.compareTo(o.role);
    if (c == 0) {
      c = Integer.compare(id, o.id);
    }
    return c != 0 ? c : cluster.compareTo(o.cluster);
  }

  @Override
  public String toString() {
    return role + "-" + id + "@" + cluster;
  }
}
