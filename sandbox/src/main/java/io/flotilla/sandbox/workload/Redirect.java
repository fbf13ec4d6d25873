package io.flotilla.sandbox.workload;

import io.flotilla.ops.redis.RedisMembership.Address;
import java.util.Optional;

/**
 * A Redis Cluster redirection, read from an error reply: {@code MOVED <slot> <endpoint>:<port>}
 * (the slot now lives elsewhere: update the map) or {@code ASK <slot> <endpoint>:<port>} (the slot
 * is migrating: send {@code ASKING} and the command there, once). An empty endpoint means the host
 * of the node that answered. Pure.
 */
record Redirect(Kind kind, int slot, Address address) {
  enum Kind {
    MOVED,
    ASK
  }

  /**
   * The redirection in an error reply, or empty for any other error (or a malformed redirection).
   *
   * @param answeringHost the host of the node that sent the reply, for an empty endpoint
   */
  static Optional<Redirect> parse(String reply, String answeringHost) {
    String[] parts = reply.strip().split(" ");
    if (parts.length != 3) {
      return Optional.empty();
    }
    Kind kind;
    if (parts[0].equals("MOVED")) {
      kind = Kind.MOVED;
    } else if (parts[0].equals("ASK")) {
      kind = Kind.ASK;
    } else {
      return Optional.empty();
    }
    int colon = parts[2].lastIndexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    try {
      int slot = Integer.parseInt(parts[1]);
      int port = Integer.parseInt(parts[2].substring(colon + 1));
      if (slot < 0 || slot >= RedisSlots.SLOTS || port <= 0 || port > 65535) {
        return Optional.empty();
      }
      String host = parts[2].substring(0, colon);
      return Optional.of(
          new Redirect(kind, slot, new Address(host.isEmpty() ? answeringHost : host, port)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
