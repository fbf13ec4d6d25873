package io.flotilla.ops;

import io.flotilla.ops.redis.RedisConnection;
import io.flotilla.ops.redis.RedisConnection.RedisError;
import io.flotilla.ops.redis.RedisMembership;
import io.flotilla.ops.redis.RedisMembership.Address;
import io.flotilla.ops.redis.RedisMembership.Node;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A minimal Redis Cluster client for drills: routes each key to its slot's master (from CLUSTER
 * NODES of a live node) and counts a write as acknowledged only when a replica has it too ({@code
 * WAIT 1}).
 */
final class ClusterKeys {
  private final String password;
  private final RedisMembership membership;
  private final Node[] owner = new Node[RedisMembership.SLOTS];

  ClusterKeys(String password, RedisMembership membership) {
    this.password = password;
    this.membership = membership;
  }

  /** Learns which master owns each slot, from the first of these nodes that answers. */
  void refresh(List<Address> nodes) {
    for (Address a : nodes) {
      try {
        for (Node n : membership.nodes(a)) {
          if (n.master() && !n.failing()) {
            for (RedisMembership.SlotRange r : n.slots()) {
              for (int s = r.first(); s <= r.last(); s++) {
                owner[s] = n;
              }
            }
          }
        }
        return;
      } catch (RuntimeException e) {
        // try the next node
      }
    }
  }

  /** SET then WAIT 1: true when the master and at least one replica hold the value. */
  boolean write(String key, String value) {
    Node n = owner[slot(key)];
    if (n == null) {
      return false;
    }
    try (RedisConnection c = open(n.address())) {
      c.call("SET", key, value);
      Object replicas = c.call("WAIT", "1", "1000");
      return replicas instanceof Long l && l >= 1;
    } catch (RedisError | UncheckedIOException e) {
      return false;
    }
  }

  Optional<String> read(String key) {
    Node n = owner[slot(key)];
    try (RedisConnection c = open(n.address())) {
      return Optional.ofNullable(c.text("GET", key));
    }
  }

  private RedisConnection open(Address a) {
    return RedisConnection.open(a.host(), a.port(), password, Duration.ofSeconds(2));
  }

  /** Redis Cluster's key slot: CRC16 (XMODEM) of the key, or of its {hash tag}, mod 16384. */
  static int slot(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        key = key.substring(open + 1, close);
      }
    }
    return crc16(key.getBytes(StandardCharsets.UTF_8)) % RedisMembership.SLOTS;
  }

  static int crc16(byte[] bytes) {
    int crc = 0;
    for (byte b : bytes) {
      crc ^= (b & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
        crc &= 0xffff;
      }
    }
    return crc;
  }
}
