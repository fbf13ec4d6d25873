package io.flotilla.sandbox.workload;

import io.flotilla.ops.redis.RedisConnection;
import io.flotilla.ops.redis.RedisConnection.RedisError;
import io.flotilla.ops.redis.RedisMembership.Address;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small Redis Cluster client: sends each command to the master of its key's slot, from a slot map
 * read with {@code CLUSTER SLOTS} from any reachable node. It follows {@code MOVED} (updates the
 * map and re-reads it), {@code ASK} ({@code ASKING}, then the command on the importing node, once),
 * and on a connection error or {@code CLUSTERDOWN}/{@code TRYAGAIN}/{@code MASTERDOWN}/{@code
 * LOADING} re-reads the map and tries again, on another known node when the map still names the
 * failed one (which then redirects). One command takes a few attempts at most, each bounded by the
 * connection timeout, and gives up at its deadline. Not thread-safe.
 */
final class RedisClusterClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisClusterClient.class);
  private static final int ATTEMPTS = 5;

  private final List<Address> seeds;
  private final String password;
  private final Duration timeout;
  private final Duration deadline;
  private final LongSupplier nanoTime;
  private final Map<Address, RedisConnection> connections = new HashMap<>();
  private SlotMap slots = SlotMap.EMPTY;
  private int rotation;

  /**
   * @param seeds nodes to read the slot map from at first
   * @param password every node's password, or null for none
   * @param timeout how long to wait to connect to a node or for one reply
   * @param deadline how long one command may take over all its attempts
   */
  RedisClusterClient(
      List<Address> seeds,
      String password,
      Duration timeout,
      Duration deadline,
      LongSupplier nanoTime) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("redis cluster client: no seed addresses");
    }
    this.seeds = List.copyOf(seeds);
    this.password = password;
    this.timeout = timeout;
    this.deadline = deadline;
    this.nanoTime = nanoTime;
  }

  /** The slot map as last read. */
  SlotMap slots() {
    return slots;
  }

  /**
   * Reads the slot map from the first node that answers: the known nodes (starting with a different
   * one each time, so that one stale view does not stick) and then the seeds.
   *
   * @throws IllegalStateException naming every node asked and the last error when none answers
   */
  void refresh() {
    List<Address> candidates = candidates();
    RuntimeException last = null;
    for (Address a : candidates) {
      try {
        Object reply = connection(a).call("CLUSTER", "SLOTS");
        slots = SlotMap.parse(reply, a.host());
        return;
      } catch (UncheckedIOException e) {
        drop(a);
        last = e;
      } catch (RedisError | IllegalArgumentException e) {
        last = e;
      }
    }
    throw new IllegalStateException(
        "redis cluster: no node answered CLUSTER SLOTS (asked "
            + candidates
            + "): "
            + (last == null ? "no nodes" : last.getMessage()),
        last);
  }

  private List<Address> candidates() {
    List<Address> known = slots.nodes();
    Set<Address> order = new LinkedHashSet<>();
    if (!known.isEmpty()) {
      int start = Math.floorMod(rotation++, known.size());
      for (int k = 0; k < known.size(); k++) {
        order.add(known.get((start + k) % known.size()));
      }
    }
    order.addAll(seeds);
    return new ArrayList<>(order);
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (IllegalStateException e) {
      LOG.atDebug().addKeyValue("error", e.getMessage()).log("redis slot map not refreshed");
    }
  }

  /**
   * Sends a command to the master of {@code key}'s slot, following redirections.
   *
   * @return the reply, as {@link RedisConnection#call} returns it
   * @throws RedisError for an error reply that is no redirection or transient cluster state, or the
   *     last one when the attempts ran out
   * @throws UncheckedIOException when the last attempt could not reach its node
   * @throws IllegalStateException when no master is known for the slot
   */
  Object call(String key, String... command) {
    int slot = RedisSlots.slot(key);
    long giveUp = nanoTime.getAsLong() + deadline.toNanos();
    Address ask = null;
    boolean asked = false;
    Address avoid = null;
    RuntimeException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0 && nanoTime.getAsLong() - giveUp > 0) {
        break;
      }
      Address target = ask != null ? ask : route(slot, avoid);
      if (target == null) {
        last =
            new IllegalStateException(
                "redis cluster: no master known for slot " + slot + " (key " + key + ")");
        refreshQuietly();
        continue;
      }
      try {
        RedisConnection c = connection(target);
        if (ask != null) {
          c.call("ASKING");
        }
        return c.call(command);
      } catch (UncheckedIOException e) {
        last = e;
        drop(target);
        ask = null;
        avoid = target;
        refreshQuietly();
      } catch (RedisError e) {
        last = e;
        Optional<Redirect> redirect = Redirect.parse(e.reply(), target.host());
        if (redirect.isPresent() && redirect.get().kind() == Redirect.Kind.MOVED) {
          ask = null;
          avoid = null;
          refreshQuietly();
          slots = slots.with(redirect.get().slot(), redirect.get().address());
        } else if (redirect.isPresent() && !asked) {
          ask = redirect.get().address();
          asked = true;
        } else if (transientState(e.reply())) {
          ask = null;
          refreshQuietly();
        } else {
          throw e;
        }
      }
    }
    throw last;
  }

  /** The slot's master, or another known node when that master just failed us. */
  private Address route(int slot, Address avoid) {
    Optional<Address> master = slots.master(slot);
    if (master.isPresent() && !master.get().equals(avoid)) {
      return master.get();
    }
    List<Address> others = new ArrayList<>(slots.nodes());
    seeds.forEach(
        s -> {
          if (!others.contains(s)) {
            others.add(s);
          }
        });
    others.remove(avoid);
    if (others.isEmpty()) {
      return master.orElse(null);
    }
    return others.get(Math.floorMod(rotation++, others.size()));
  }

  private static boolean transientState(String reply) {
    return reply.startsWith("CLUSTERDOWN")
        || reply.startsWith("TRYAGAIN")
        || reply.startsWith("MASTERDOWN")
        || reply.startsWith("LOADING");
  }

  private RedisConnection connection(Address a) {
    RedisConnection c = connections.get(a);
    if (c == null) {
      c = RedisConnection.open(a.host(), a.port(), password, timeout);
      connections.put(a, c);
    }
    return c;
  }

  private void drop(Address a) {
    RedisConnection c = connections.remove(a);
    if (c != null) {
      c.close();
    }
  }

  @Override
  public void close() {
    connections.values().forEach(RedisConnection::close);
    connections.clear();
  }
}
