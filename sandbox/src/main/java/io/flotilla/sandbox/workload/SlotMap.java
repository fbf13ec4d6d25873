package io.flotilla.sandbox.workload;

import io.flotilla.ops.redis.RedisMembership.Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which master serves each slot of a Redis Cluster, and every node the cluster mentioned, as read
 * from a {@code CLUSTER SLOTS} reply. Immutable and pure.
 *
 * <p>A reply is a list of ranges {@code [first, last, master, replica...]}, each node a list {@code
 * [endpoint, port, id, ...]}. An empty endpoint means the node that was asked (Redis 7's rule for
 * an unknown endpoint, host "" in our terms); {@code "?"} is an endpoint the node does not know, so
 * that range is left without a master.
 */
final class SlotMap {
  static final SlotMap EMPTY = new SlotMap(new Address[RedisSlots.SLOTS], List.of());

  private final Address[] masters;
  private final List<Address> nodes;

  private SlotMap(Address[] masters, List<Address> nodes) {
    this.masters = masters;
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Reads a {@code CLUSTER SLOTS} reply as {@link io.flotilla.ops.redis.RedisConnection} returns
   * it.
   *
   * @param askedHost the host of the node that answered, for empty endpoints
   * @throws IllegalArgumentException naming the range and what is wrong when the reply is malformed
   */
  static SlotMap parse(Object reply, String askedHost) {
    if (!(reply instanceof List<?> ranges)) {
      throw new IllegalArgumentException("CLUSTER SLOTS: expected a list of ranges, got " + reply);
    }
    Address[] masters = new Address[RedisSlots.SLOTS];
    Set<Address> mastersSeen = new LinkedHashSet<>();
    Set<Address> replicasSeen = new LinkedHashSet<>();
    for (int r = 0; r < ranges.size(); r++) {
      if (!(ranges.get(r) instanceof List<?> range) || range.size() < 3) {
        throw new IllegalArgumentException(
            "CLUSTER SLOTS: range " + r + " is not [first, last, master, ...]: " + ranges.get(r));
      }
      int first = slot(range.get(0), r);
      int last = slot(range.get(1), r);
      if (first > last) {
        throw new IllegalArgumentException(
            "CLUSTER SLOTS: range " + r + " runs backwards, " + first + "-" + last);
      }
      Optional<Address> master = node(range.get(2), r, askedHost);
      if (master.isPresent()) {
        Arrays.fill(masters, first, last + 1, master.get());
        mastersSeen.add(master.get());
      }
      for (int k = 3; k < range.size(); k++) {
        node(range.get(k), r, askedHost).ifPresent(replicasSeen::add);
      }
    }
    List<Address> nodes = new ArrayList<>(mastersSeen);
    replicasSeen.stream().filter(a -> !mastersSeen.contains(a)).forEach(nodes::add);
    return new SlotMap(masters, nodes);
  }

  private static int slot(Object value, int range) {
    if (!(value instanceof Long l) || l < 0 || l >= RedisSlots.SLOTS) {
      throw new IllegalArgumentException(
          "CLUSTER SLOTS: range " + range + " has a slot out of 0-16383: " + value);
    }
    return l.intValue();
  }

  private static Optional<Address> node(Object value, int range, String askedHost) {
    if (!(value instanceof List<?> node)
        || node.size() < 2
        || !(node.get(0) instanceof String endpoint)
        || !(node.get(1) instanceof Long port)) {
      throw new IllegalArgumentException(
          "CLUSTER SLOTS: range "
              + range
              + " has a node that is not [endpoint, port, ...]: "
              + value);
    }
    if (endpoint.equals("?")) {
      return Optional.empty();
    }
    return Optional.of(new Address(endpoint.isEmpty() ? askedHost : endpoint, port.intValue()));
  }

  /** The master serving a slot, if the reply named one. */
  Optional<Address> master(int slot) {
    return Optional.ofNullable(masters[slot]);
  }

  /** This map with one slot moved to another master (what a MOVED redirection says). */
  SlotMap with(int slot, Address master) {
    Address[] moved = masters.clone();
    moved[slot] = master;
    List<Address> known = new ArrayList<>(nodes);
    if (!known.contains(master)) {
      known.add(master);
    }
    return new SlotMap(moved, known);
  }

  /** Every node the reply mentioned: masters first, in slot order, then replicas. */
  List<Address> nodes() {
    return nodes;
  }

  /** How many slots have a master. */
  int covered() {
    int n = 0;
    for (Address a : masters) {
      if (a != null) {
        n++;
      }
    }
    return n;
  }
}
