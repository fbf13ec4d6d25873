package io.flotilla.ops;

import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a reconcile changes: the instances lost, those that survive (in both topologies) and those
 * added (only in {@code after}), each list in {@code after}'s (or {@code before}'s) order.
 */
record Change(Topology before, Topology after, Set<Instance> lost) {
  Change {
    lost = Set.copyOf(lost);
    Set<Instance> known = new HashSet<>(before.instances());
    for (Instance i : lost) {
      if (!known.contains(i)) {
        throw new IllegalArgumentException(
            name(before) + ": lost instance " + i + " is not in the topology before");
      }
      if (after.instances().contains(i)) {
        throw new IllegalArgumentException(
            name(before) + ": lost instance " + i + " is still in the topology after");
      }
    }
  }

  static Change of(Topology before, Topology after, Set<Instance> lost) {
    return new Change(before, after, lost);
  }

  /** {@code <type> <name>}: how messages name the middleware. */
  static String name(Topology t) {
    return t.middleware().spec().type().id() + " " + t.middleware().name();
  }

  String middleware() {
    return name(after);
  }

  /** Instances in {@code after} that {@code before} had too. */
  List<Instance> survivors() {
    Set<Instance> was = new HashSet<>(before.instances());
    return after.instances().stream().filter(was::contains).toList();
  }

  /** Instances in {@code after} that {@code before} did not have: started and ready. */
  List<Instance> added() {
    Set<Instance> was = new HashSet<>(before.instances());
    return after.instances().stream().filter(i -> !was.contains(i)).toList();
  }

  /** The lost instances in {@code before}'s order. */
  List<Instance> lostInOrder() {
    return before.instances().stream().filter(lost::contains).toList();
  }
}
