package io.flotilla.ops;

import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.redis.RedisAdapter;
import io.flotilla.ops.redis.RedisMembership;
import io.flotilla.ops.redis.RedisMembership.Address;
import io.flotilla.ops.redis.RedisMembership.Node;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis, in either mode, with the password from the credential {@value RedisAdapter#PASSWORD}.
 *
 * <p>Redis Cluster: a lost master's slots are taken over by its replica (awaited, forced after half
 * the timeout); every lost node is forgotten on every node that still knows it; new nodes meet the
 * cluster; each shard of {@code after} is matched to the slot range its survivors serve ({@link
 * #ranges}: the same shard number unless the topology was built without its running members), a
 * range served by a node outside its shard is handed to that shard's primary; every member of a
 * shard replicates the shard's current master; and when that master is not the shard's primary in
 * {@code after}, the primary takes its place by a coordinated failover (no acknowledged write
 * lost). Returns once every node agrees the cluster is ok with exactly {@code after}'s nodes. The
 * number of shards cannot change (that is resharding).
 *
 * <p>Sentinel mode: the sentinels' failover is awaited (a master none of the lost nodes), every
 * other data node is made to follow it, and the sentinels are reset when they still know a replica
 * or sentinel that {@code after} lacks; returns once every sentinel sees all replicas linked. The
 * promoted master stays the master: in this mode the roles say where instances start.
 */
final class RedisDriver implements MembershipDriver {
  private static final Logger LOG = LoggerFactory.getLogger(RedisDriver.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Poll poll;

  RedisDriver(Clock clock) {
    this.poll = new Poll(clock, Duration.ofMillis(200));
  }

  @Override
  public void reconcile(Topology before, Topology after, Set<Instance> lost) {
    Change change = Change.of(before, after, lost);
    RedisMembership membership =
        new RedisMembership(
            after.middleware().name(), after.credential(RedisAdapter.PASSWORD), TIMEOUT);
    if (RedisAdapter.mode(after.middleware()) == RedisAdapter.Mode.CLUSTER) {
      cluster(change, membership);
    } else {
      sentinel(change, membership);
    }
  }

  private void cluster(Change change, RedisMembership membership) {
    Topology after = change.after();
    int shards = after.shards().size();
    if (change.before().shards().size() != shards) {
      throw new MembershipException(
          change.middleware(),
          "reconcile",
          "the shards go from "
              + change.before().shards().size()
              + " to "
              + shards
              + ": that is resharding, not a membership change");
    }
    List<Address> live = after.instances().stream().map(i -> data(after, i)).toList();
    List<Address> survivors = change.survivors().stream().map(i -> data(after, i)).toList();
    if (survivors.isEmpty()) {
      throw new MembershipException(change.middleware(), "reconcile", "no node survived");
    }
    Set<Address> lostAt =
        change.lost().stream().map(i -> data(change.before(), i)).collect(Collectors.toSet());

    // every lost node: its slots taken over, then forgotten everywhere
    Map<String, Node> gone = new LinkedHashMap<>();
    for (Address a : survivors) {
      for (Node n : membership.nodes(a)) {
        if (lostAt.contains(n.address())) {
          gone.putIfAbsent(n.id(), n);
        }
      }
    }
    for (Node n : gone.values()) {
      if (n.master() && !n.slots().isEmpty()) {
        RedisMembership.TakeOver t = membership.awaitNewOwner(survivors, n);
        LOG.atInfo()
            .addKeyValue("middleware", change.middleware())
            .addKeyValue("lost", n.address())
            .addKeyValue("owner", t.ownerId())
            .addKeyValue("forcedTakeover", t.forced())
            .log("lost master's slots taken over");
      }
    }
    if (!gone.isEmpty()) {
      membership.forget(live, gone.keySet());
      LOG.atInfo()
          .addKeyValue("middleware", change.middleware())
          .addKeyValue("forgotten", gone.values().stream().map(Node::address).toList())
          .log("lost nodes forgotten");
    }

    // new nodes meet the cluster
    Address probe = survivors.get(0);
    for (Instance i : change.added()) {
      Address a = data(after, i);
      if (membership.knownNodes(a) < 2) {
        membership.meet(a, probe);
      }
    }

    // which slot range each shard serves: the controller keeps survivors in their shards
    // (status.runningShardIds), but a topology built without that record (a status written
    // before it existed) may number them otherwise
    Map<Integer, Integer> ranges = ranges(after, membership, probe, shards);
    // a range served by a node outside its shard is handed to the shard's primary first (it
    // replicates the owner, then takes over by a coordinated failover), so that the old owner,
    // a replica without slots now, can follow its own shard
    for (Map.Entry<Integer, List<Instance>> shard : after.shards().entrySet()) {
      int slot = RedisAdapter.slotRange(ranges.get(shard.getKey()), shards)[0];
      List<Address> members = shard.getValue().stream().map(i -> data(after, i)).toList();
      Node owner = owner(change, membership, probe, shard.getKey(), slot);
      if (!members.contains(owner.address())) {
        Address primary = members.get(0);
        membership.replicate(primary, owner.id());
        membership.failover(primary);
        membership.awaitOwner("hand over slot " + slot, live, slot, primary);
        LOG.atInfo()
            .addKeyValue("middleware", change.middleware())
            .addKeyValue("shard", shard.getKey())
            .addKeyValue("from", owner.address())
            .addKeyValue("to", primary)
            .log("slots handed to their shard's primary");
      }
    }

    // every shard: its members follow its master, and its primary is that master
    for (Map.Entry<Integer, List<Instance>> shard : after.shards().entrySet()) {
      int slot = RedisAdapter.slotRange(ranges.get(shard.getKey()), shards)[0];
      List<Address> members = shard.getValue().stream().map(i -> data(after, i)).toList();
      Node owner = owner(change, membership, probe, shard.getKey(), slot);
      for (Address m : members) {
        if (m.equals(owner.address())) {
          continue;
        }
        Node me = membership.myself(m);
        if (me.master() || !me.masterId().equals(Optional.of(owner.id()))) {
          membership.replicate(m, owner.id());
          LOG.atInfo()
              .addKeyValue("middleware", change.middleware())
              .addKeyValue("replica", m)
              .addKeyValue("master", owner.address())
              .log("replicating its shard's master");
        }
      }
      Address primary = members.get(0);
      if (!owner.address().equals(primary)) {
        membership.awaitReplicating(primary);
        membership.failover(primary);
        LOG.atInfo()
            .addKeyValue("middleware", change.middleware())
            .addKeyValue("shard", shard.getKey())
            .addKeyValue("master", primary)
            .log("shard's primary back as its master");
      }
    }
    membership.awaitHealthy("reconcile", live);
  }

  private static Node owner(
      Change change, RedisMembership membership, Address probe, int shard, int slot) {
    return membership
        .owner(probe, slot)
        .orElseThrow(
            () ->
                new MembershipException(
                    change.middleware(),
                    "reconcile shard " + shard,
                    "no live master owns slot " + slot));
  }

  /**
   * The slot range (by index) each shard of {@code after} serves. A shard whose primary owns a
   * range keeps it; then a shard with another member owning a range not yet taken takes that one;
   * the ranges left go to the shards left, in order. So a shard keeps the data its survivors hold,
   * and only shards made of new nodes (or of replicas) receive a range by hand-over.
   */
  static Map<Integer, Integer> ranges(
      Topology after, RedisMembership membership, Address probe, int shards) {
    Map<Address, Integer> owns = new LinkedHashMap<>();
    for (int r = 0; r < shards; r++) {
      int range = r;
      membership
          .owner(probe, RedisAdapter.slotRange(r, shards)[0])
          .ifPresent(n -> owns.putIfAbsent(n.address(), range));
    }
    return assignRanges(
        after.shards().entrySet().stream()
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey,
                    e -> e.getValue().stream().map(i -> data(after, i)).toList(),
                    (a, b) -> a,
                    TreeMap::new)),
        owns,
        shards);
  }

  /**
   * {@link #ranges}'s matching, pure: {@code members} by shard (primary first), {@code owns} the
   * range each owning node serves.
   */
  static Map<Integer, Integer> assignRanges(
      Map<Integer, List<Address>> members, Map<Address, Integer> owns, int shards) {
    Map<Integer, Integer> out = new TreeMap<>();
    Set<Integer> taken = new HashSet<>();
    for (Map.Entry<Integer, List<Address>> e : members.entrySet()) {
      Integer r = owns.get(e.getValue().get(0));
      if (r != null && taken.add(r)) {
        out.put(e.getKey(), r);
      }
    }
    for (Map.Entry<Integer, List<Address>> e : members.entrySet()) {
      if (out.containsKey(e.getKey())) {
        continue;
      }
      for (Address m : e.getValue()) {
        Integer r = owns.get(m);
        if (r != null && taken.add(r)) {
          out.put(e.getKey(), r);
          break;
        }
      }
    }
    Iterator<Integer> free =
        IntStream.range(0, shards).boxed().filter(r -> !taken.contains(r)).iterator();
    for (Integer s : members.keySet()) {
      if (!out.containsKey(s)) {
        out.put(s, free.next());
      }
    }
    return out;
  }

  private void sentinel(Change change, RedisMembership membership) {
    Topology after = change.after();
    String name = RedisAdapter.monitorName(after.middleware());
    List<Address> sentinels =
        after.role(RedisAdapter.SENTINEL).stream().map(i -> sentinel(after, i)).toList();
    List<Address> data =
        after.instances().stream()
            .filter(i -> !i.role().equals(RedisAdapter.SENTINEL))
            .map(i -> data(after, i))
            .toList();
    Set<Address> lostData =
        change.lost().stream()
            .filter(i -> !i.role().equals(RedisAdapter.SENTINEL))
            .map(i -> data(change.before(), i))
            .collect(Collectors.toSet());

    Address master = membership.awaitSentinelMaster(sentinels, name, lostData);
    membership.awaitNoFailoverInProgress(sentinels, name);
    for (Address r : data) {
      if (!r.equals(master) && !membership.masterOf(r).equals(Optional.of(master))) {
        membership.replicaOf(r, master);
        LOG.atInfo()
            .addKeyValue("middleware", change.middleware())
            .addKeyValue("replica", r)
            .addKeyValue("master", master)
            .log("following the master");
      }
    }
    Set<Address> replicas = new HashSet<>(data);
    replicas.remove(master);
    Set<Address> others = new HashSet<>(sentinels);
    boolean stale = false;
    for (Address s : sentinels) {
      List<Address> peers = new ArrayList<>(others);
      peers.remove(s);
      if (!replicas.containsAll(membership.sentinelReplicaAddresses(s, name))
          || !peers.containsAll(membership.sentinelPeers(s, name))) {
        stale = true;
      }
    }
    if (stale) {
      membership.resetSentinels(sentinels, name);
      LOG.atInfo()
          .addKeyValue("middleware", change.middleware())
          .log("sentinels reset to forget lost nodes");
    }
    poll.until(
        change.middleware(),
        "wait for the sentinels",
        "every sentinel to see master " + master + " with " + replicas.size() + " replicas",
        TIMEOUT,
        () ->
            sentinels.stream()
                    .allMatch(
                        s ->
                            membership.sentinelReplicas(s, name) == replicas.size()
                                && membership
                                    .sentinelMaster(List.of(s), name)
                                    .equals(Optional.of(master)))
                ? Optional.of(true)
                : Optional.empty());
  }

  private static Address data(Topology t, Instance i) {
    return new Address(t.host(i), RedisAdapter.PORT);
  }

  private static Address sentinel(Topology t, Instance i) {
    return new Address(t.host(i), RedisAdapter.SENTINEL_PORT);
  }
}
