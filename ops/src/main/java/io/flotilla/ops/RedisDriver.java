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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis, in either mode, with the password from the credential {@value RedisAdapter#PASSWORD}.
 *
 * <p>Redis Cluster: a lost master's slots are taken over by its replica (awaited, forced after half
 * the timeout); every lost node is forgotten on every node that still knows it; new nodes meet the
 * cluster; every member of a shard in {@code after} replicates the shard's current master; and when
 * that master is not the shard's primary in {@code after}, the primary takes its place by a
 * coordinated failover (no acknowledged write lost). Returns once every node agrees the cluster is
 * ok with exactly {@code after}'s nodes. The number of shards cannot change (that is resharding).
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

    // every shard: its members follow its master, and its primary is that master
    for (Map.Entry<Integer, List<Instance>> shard : after.shards().entrySet()) {
      int slot = RedisAdapter.slotRange(shard.getKey(), shards)[0];
      List<Address> members = shard.getValue().stream().map(i -> data(after, i)).toList();
      Node owner =
          membership
              .owner(probe, slot)
              .orElseThrow(
                  () ->
                      new MembershipException(
                          change.middleware(),
                          "reconcile shard " + shard.getKey(),
                          "no live master owns slot " + slot));
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
