package io.flotilla.ops.redis;

import io.flotilla.ops.MembershipException;
import io.flotilla.ops.redis.RedisConnection.RedisError;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis membership through Redis's own protocol. For Redis Cluster: form the cluster (slots, MEET,
 * REPLICATE), check slot coverage, and bring a shard back to full strength after a node is lost
 * (await or force the failover, FORGET the lost node on every survivor, MEET a replacement and make
 * it the shard's replica). For master/replica mode: REPLICAOF and promotion.
 *
 * <p>Waits poll the servers until a deadline; every failure names the middleware, the operation and
 * what was last seen.
 */
public final class RedisMembership {
  private static final Logger LOG = LoggerFactory.getLogger(RedisMembership.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration CONNECT = Duration.ofSeconds(2);
  public static final int SLOTS = 16384;

  private final String middleware;
  private final String password;
  private final Duration timeout;

  /**
   * @param middleware the middleware's name, for messages
   * @param password every server's password
   * @param timeout how long one operation may wait for the cluster to converge
   */
  public RedisMembership(String middleware, String password, Duration timeout) {
    this.middleware = "redis " + middleware;
    this.password = password;
    this.timeout = timeout;
  }

  /** A server's address. */
  public record Address(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** Slots {@code first..last}, inclusive. */
  public record SlotRange(int first, int last) {
    public int size() {
      return last - first + 1;
    }

    @Override
    public String toString() {
      return first == last ? Integer.toString(first) : first + "-" + last;
    }
  }

  /** One line of CLUSTER NODES. */
  public record Node(
      String id,
      Address address,
      Set<String> flags,
      Optional<String> masterId,
      boolean connected,
      List<SlotRange> slots) {
    public boolean master() {
      return flags.contains("master");
    }

    /** Marked failing by the cluster, or only suspected by the node asked. */
    public boolean failing() {
      return flags.contains("fail") || flags.contains("fail?");
    }

    public boolean handshake() {
      return flags.contains("handshake") || flags.contains("noaddr");
    }

    public boolean myself() {
      return flags.contains("myself");
    }
  }

  /** What CLUSTER INFO and CLUSTER NODES say about slot coverage, as one node sees it. */
  public record Coverage(String state, int assigned, int ok, List<SlotRange> uncovered) {
    /** Every slot owned by a master that is not failing, and the cluster state ok. */
    public boolean full() {
      return state.equals("ok") && assigned == SLOTS && ok == SLOTS && uncovered.isEmpty();
    }
  }

  /** What {@link #replace} did. */
  public record Repair(
      String lostId,
      boolean lostWasMaster,
      Optional<String> promotedId,
      boolean forcedTakeover,
      String replacementId,
      String shardMasterId) {}

  /** The cluster as one node sees it (CLUSTER NODES). */
  public List<Node> nodes(Address at) {
    try (RedisConnection c = connect(at)) {
      return parseNodes(c.text("CLUSTER", "NODES"));
    }
  }

  /** Slot coverage as one node sees it. */
  public Coverage coverage(Address at) {
    try (RedisConnection c = connect(at)) {
      Map<String, String> info = info(c.text("CLUSTER", "INFO"));
      List<Node> nodes = parseNodes(c.text("CLUSTER", "NODES"));
      return new Coverage(
          info.getOrDefault("cluster_state", "unknown"),
          Integer.parseInt(info.getOrDefault("cluster_slots_assigned", "0")),
          Integer.parseInt(info.getOrDefault("cluster_slots_ok", "0")),
          uncovered(nodes));
    }
  }

  /**
   * Forms a Redis Cluster from fresh nodes: shard s (in list order) owns an even share of the slots
   * ({@code [s*16384/n, (s+1)*16384/n)}); its first address is its master, the rest its replicas.
   * Does nothing when these nodes already form a healthy cluster.
   *
   * @throws MembershipException when a node is neither fresh nor part of this cluster, or the
   *     cluster does not converge in time
   */
  public void bootstrap(List<List<Address>> shards) {
    List<Address> all = shards.stream().flatMap(List::stream).toList();
    Address first = all.get(0);
    if (formed(first, all)) {
      LOG.atInfo().addKeyValue("middleware", middleware).log("cluster already formed");
      return;
    }
    for (Address a : all) {
      List<Node> seen = nodes(a);
      boolean fresh = seen.size() == 1 && seen.get(0).slots().isEmpty();
      if (!fresh && !all.containsAll(seen.stream().map(Node::address).toList())) {
        throw new MembershipException(
            middleware,
            "bootstrap",
            a + " already belongs to another cluster (it knows " + seen.size() + " nodes)");
      }
    }
    for (int s = 0; s < shards.size(); s++) {
      Address master = shards.get(s).get(0);
      String epoch = Integer.toString(s + 1);
      int firstSlot = (int) ((long) s * SLOTS / shards.size());
      int lastSlot = (int) ((long) (s + 1) * SLOTS / shards.size()) - 1;
      try (RedisConnection c = connect(master)) {
        if (mine(c).slots().isEmpty()) {
          ignore(() -> c.call("CLUSTER", "SET-CONFIG-EPOCH", epoch));
          c.call(
              "CLUSTER", "ADDSLOTSRANGE", Integer.toString(firstSlot), Integer.toString(lastSlot));
        }
      }
    }
    for (Address a : all.subList(1, all.size())) {
      meet(a, first);
    }
    await(
        "bootstrap",
        "every node to know all " + all.size(),
        () -> all.stream().allMatch(a -> known(a) == all.size()));
    for (List<Address> shard : shards) {
      String masterId = mine(shard.get(0)).id();
      for (Address replica : shard.subList(1, shard.size())) {
        replicate(replica, masterId);
      }
    }
    awaitHealthy("bootstrap", all);
  }

  /** Makes {@code node} meet the cluster that {@code known} belongs to. */
  public void meet(Address node, Address known) {
    try (RedisConnection c = connect(node)) {
      c.call("CLUSTER", "MEET", ip(known.host()), Integer.toString(known.port()));
    } catch (RedisError e) {
      throw new MembershipException(middleware, "meet " + node + " with " + known, e.reply(), e);
    }
  }

  /** Makes {@code replica} a replica of the master {@code masterId}, once it knows that master. */
  public void replicate(Address replica, String masterId) {
    await(
        "replicate " + replica,
        replica + " to know master " + masterId,
        () -> nodes(replica).stream().anyMatch(n -> n.id().equals(masterId) && !n.handshake()));
    try (RedisConnection c = connect(replica)) {
      c.call("CLUSTER", "REPLICATE", masterId);
    } catch (RedisError e) {
      throw new MembershipException(middleware, "replicate " + replica, e.reply(), e);
    }
    awaitReplicating(replica);
  }

  /** Waits until a replica's link to its master is up. */
  public void awaitReplicating(Address replica) {
    await(
        "replicate " + replica,
        replica + "'s link to its master to be up",
        () -> {
          try (RedisConnection c = connect(replica)) {
            Map<String, String> info = info(c.text("INFO", "replication"));
            return "slave".equals(info.get("role")) && "up".equals(info.get("master_link_status"));
          }
        });
  }

  /**
   * Sends CLUSTER FORGET for each id to each survivor (within Redis's 60-second ban, so that gossip
   * does not bring the nodes back). Nodes that never knew an id are fine.
   *
   * @return how many nodes forgot something
   */
  public int forget(Collection<Address> survivors, Collection<String> ids) {
    int forgot = 0;
    for (Address a : survivors) {
      try (RedisConnection c = connect(a)) {
        for (String id : ids) {
          try {
            c.call("CLUSTER", "FORGET", id);
            forgot++;
          } catch (RedisError e) {
            if (!e.reply().contains("Unknown node")) {
              throw new MembershipException(middleware, "forget " + id + " on " + a, e.reply(), e);
            }
          }
        }
      }
    }
    return forgot;
  }

  /**
   * Brings the shard of a lost node back to full strength: when it was a master, waits for a
   * replica to take its slots (forcing CLUSTER FAILOVER TAKEOVER on a connected replica if the
   * cluster has not elected one by half the timeout); forgets it on every survivor; then the
   * replacement (a fresh node) meets the cluster and becomes the shard's replica.
   *
   * @param survivors every node still running
   * @param lost the lost node's address
   * @param replacement a fresh node, started with the shard's configuration
   * @throws MembershipException when the shard's slots cannot be covered (no replica survived) or
   *     the cluster does not converge in time
   */
  public Repair replace(List<Address> survivors, Address lost, Address replacement) {
    Address probe = survivors.get(0);
    Node gone =
        nodes(probe).stream()
            .filter(n -> n.address().equals(lost))
            .findFirst()
            .orElseThrow(
                () ->
                    new MembershipException(
                        middleware, "replace " + lost, probe + " does not know " + lost));
    boolean forced = false;
    Optional<String> promoted = Optional.empty();
    String shardMaster;
    if (gone.master() && !gone.slots().isEmpty()) {
      TakeOver t = awaitNewOwner(survivors, gone);
      forced = t.forced();
      promoted = Optional.of(t.ownerId());
      shardMaster = t.ownerId();
    } else {
      shardMaster =
          gone.masterId()
              .orElseThrow(
                  () ->
                      new MembershipException(
                          middleware,
                          "replace " + lost,
                          lost + " was neither a master with slots nor a replica"));
    }
    forget(survivors, List.of(gone.id()));
    meet(replacement, probe);
    List<Address> all = new ArrayList<>(survivors);
    all.add(replacement);
    await(
        "replace " + lost,
        replacement + " to know every survivor",
        () -> known(replacement) == all.size());
    replicate(replacement, shardMaster);
    awaitHealthy("replace " + lost, all);
    Repair r =
        new Repair(gone.id(), gone.master(), promoted, forced, mine(replacement).id(), shardMaster);
    LOG.atInfo()
        .addKeyValue("middleware", middleware)
        .addKeyValue("lost", lost)
        .addKeyValue("replacement", replacement)
        .addKeyValue("forcedTakeover", forced)
        .log("shard back to full strength");
    return r;
  }

  /** Which node took a lost master's slots, and whether it had to be forced to. */
  public record TakeOver(String ownerId, boolean forced) {}

  /**
   * Waits for a replica to take a lost master's slots, forcing CLUSTER FAILOVER TAKEOVER on a
   * connected replica of it if the cluster has not elected one by half the timeout.
   *
   * @param survivors the nodes still running; the first is asked
   * @throws MembershipException when no replica takes the slots in time (none survived)
   */
  public TakeOver awaitNewOwner(List<Address> survivors, Node gone) {
    Address probe = survivors.get(0);
    long deadline = System.nanoTime() + timeout.toNanos();
    long takeoverAt = System.nanoTime() + timeout.toNanos() / 2;
    boolean forced = false;
    while (true) {
      Optional<Node> owner = newOwner(probe, gone);
      if (owner.isPresent()) {
        return new TakeOver(owner.get().id(), forced);
      }
      if (!forced && System.nanoTime() > takeoverAt) {
        forced = takeover(survivors, gone);
      }
      if (System.nanoTime() > deadline) {
        throw new MembershipException(
            middleware,
            "take over the slots of lost master " + gone.address(),
            "no replica took over slots " + gone.slots() + " of lost master " + gone.id());
      }
      pause();
    }
  }

  /** The connected master, not failing, that owns a slot, as {@code probe} sees it. */
  public Optional<Node> owner(Address probe, int slot) {
    return nodes(probe).stream()
        .filter(n -> n.master() && !n.failing())
        .filter(n -> n.slots().stream().anyMatch(r -> r.first() <= slot && slot <= r.last()))
        .findFirst();
  }

  /** Waits until every one of {@code nodes} sees {@code expected} as the owner of {@code slot}. */
  public void awaitOwner(String operation, List<Address> nodes, int slot, Address expected) {
    await(
        operation,
        "every node to see " + expected + " own slot " + slot,
        () ->
            nodes.stream()
                .allMatch(
                    a -> owner(a, slot).map(n -> n.address().equals(expected)).orElse(false)));
  }

  /** The node itself (its {@code myself} line of CLUSTER NODES). */
  public Node myself(Address a) {
    return mine(a);
  }

  /** How many nodes {@code a} knows, itself included, not counting handshakes. */
  public int knownNodes(Address a) {
    return known(a);
  }

  /** A connected master, other than the lost one, that owns the lost master's first slot. */
  private Optional<Node> newOwner(Address probe, Node gone) {
    int slot = gone.slots().get(0).first();
    return nodes(probe).stream()
        .filter(n -> !n.id().equals(gone.id()) && n.master() && !n.failing())
        .filter(n -> n.slots().stream().anyMatch(r -> r.first() <= slot && slot <= r.last()))
        .findFirst();
  }

  private boolean takeover(List<Address> survivors, Node gone) {
    for (Address a : survivors) {
      Node me = mine(a);
      if (me.masterId().equals(Optional.of(gone.id()))) {
        try (RedisConnection c = connect(a)) {
          c.call("CLUSTER", "FAILOVER", "TAKEOVER");
          LOG.atWarn()
              .addKeyValue("middleware", middleware)
              .addKeyValue("replica", a)
              .addKeyValue("lostMaster", gone.id())
              .log("no replica was elected in time: forced a takeover");
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Makes a replica its shard's master by a coordinated CLUSTER FAILOVER: the master stops
   * accepting writes until the replica has caught up, so no acknowledged write is lost. Used to put
   * a shard's master back in the cluster the placement chose after a replica took over elsewhere.
   */
  public void failover(Address replica) {
    try (RedisConnection c = connect(replica)) {
      c.call("CLUSTER", "FAILOVER");
    } catch (RedisError e) {
      throw new MembershipException(middleware, "failover to " + replica, e.reply(), e);
    }
    await("failover to " + replica, replica + " to be a master", () -> mine(replica).master());
  }

  /**
   * Waits until every node says the cluster is ok, knows exactly these nodes, sees none failing,
   * and all agree who is a master and whom each replica follows.
   */
  public void awaitHealthy(String operation, List<Address> all) {
    await(
        operation,
        "all " + all.size() + " nodes to agree the cluster is ok",
        () -> {
          Map<String, String> first = null;
          for (Address a : all) {
            List<Node> seen = nodes(a);
            if (seen.size() != all.size()
                || seen.stream().anyMatch(n -> n.failing() || n.handshake())
                || !coverage(a).full()) {
              return false;
            }
            Map<String, String> roles = new java.util.TreeMap<>();
            seen.forEach(n -> roles.put(n.id(), n.master() ? "master" : n.masterId().orElse("?")));
            if (first == null) {
              first = roles;
            } else if (!first.equals(roles)) {
              return false;
            }
          }
          return true;
        });
  }

  // --- master/replica mode ---

  /** Makes {@code replica} replicate {@code master} (REPLICAOF). */
  public void replicaOf(Address replica, Address master) {
    try (RedisConnection c = connect(replica)) {
      c.call("REPLICAOF", master.host(), Integer.toString(master.port()));
    } catch (RedisError e) {
      throw new MembershipException(middleware, "replicaof " + replica, e.reply(), e);
    }
    awaitReplicating(replica);
  }

  /** Promotes a replica to master (REPLICAOF NO ONE). */
  public void promote(Address replica) {
    try (RedisConnection c = connect(replica)) {
      c.call("REPLICAOF", "NO", "ONE");
    } catch (RedisError e) {
      throw new MembershipException(middleware, "promote " + replica, e.reply(), e);
    }
    await("promote " + replica, replica + " to be a master", () -> "master".equals(role(replica)));
  }

  /** INFO replication's role: {@code master} or {@code slave}. */
  public String role(Address a) {
    try (RedisConnection c = connect(a)) {
      return info(c.text("INFO", "replication")).get("role");
    }
  }

  /**
   * The master the sentinels agree on: every sentinel that answers names the same address.
   *
   * @throws MembershipException when no sentinel answers
   */
  public Optional<Address> sentinelMaster(List<Address> sentinels, String name) {
    Address agreed = null;
    int answered = 0;
    for (Address s : sentinels) {
      try (RedisConnection c = RedisConnection.open(s.host(), s.port(), null, CONNECT)) {
        Object r = c.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", name);
        answered++;
        if (r instanceof List<?> l && l.size() == 2) {
          Address a = new Address(l.get(0).toString(), Integer.parseInt(l.get(1).toString()));
          if (agreed != null && !agreed.equals(a)) {
            return Optional.empty();
          }
          agreed = a;
        }
      } catch (UncheckedIOException | RedisError e) {
        // a lost sentinel: the others decide
      }
    }
    if (answered == 0) {
      throw new MembershipException(
          middleware, "ask sentinels for " + name, "none of " + sentinels + " answered");
    }
    return Optional.ofNullable(agreed);
  }

  /** Waits until the sentinels agree on a master other than {@code lost}, and returns it. */
  public Address awaitSentinelFailover(List<Address> sentinels, String name, Address lost) {
    Address[] master = new Address[1];
    await(
        "failover of " + name,
        "the sentinels to agree on a master other than " + lost,
        () -> {
          Optional<Address> m = sentinelMaster(sentinels, name);
          m.ifPresent(a -> master[0] = a);
          return m.isPresent() && !m.get().equals(lost) && "master".equals(role(m.get()));
        });
    return master[0];
  }

  /**
   * Waits until the sentinels agree on a master that is none of {@code lost} and says it is a
   * master, and returns it (at once when the lost nodes held no master).
   */
  public Address awaitSentinelMaster(List<Address> sentinels, String name, Set<Address> lost) {
    Address[] master = new Address[1];
    await(
        "failover of " + name,
        "the sentinels to agree on a master other than " + lost,
        () -> {
          Optional<Address> m = sentinelMaster(sentinels, name);
          m.ifPresent(a -> master[0] = a);
          return m.isPresent() && !lost.contains(m.get()) && "master".equals(role(m.get()));
        });
    return master[0];
  }

  /** Waits until no sentinel is in the middle of a failover. */
  public void awaitNoFailoverInProgress(List<Address> sentinels, String name) {
    await(
        "failover of " + name,
        "the sentinels to finish the failover",
        () -> sentinels.stream().noneMatch(s -> failoverInProgress(s, name)));
  }

  /** The master a replica follows (INFO replication), if it is a replica. */
  public Optional<Address> masterOf(Address replica) {
    try (RedisConnection c = connect(replica)) {
      Map<String, String> info = info(c.text("INFO", "replication"));
      if (!"slave".equals(info.get("role"))) {
        return Optional.empty();
      }
      return Optional.of(
          new Address(info.get("master_host"), Integer.parseInt(info.get("master_port"))));
    }
  }

  /** The replicas a sentinel knows for the master {@code name}, whatever their state. */
  public List<Address> sentinelReplicaAddresses(Address sentinel, String name) {
    return sentinelList(sentinel, name, "REPLICAS");
  }

  /** The other sentinels a sentinel knows for the master {@code name}. */
  public List<Address> sentinelPeers(Address sentinel, String name) {
    return sentinelList(sentinel, name, "SENTINELS");
  }

  private List<Address> sentinelList(Address sentinel, String name, String what) {
    try (RedisConnection c =
        RedisConnection.open(sentinel.host(), sentinel.port(), null, CONNECT)) {
      Object r = c.call("SENTINEL", what, name);
      List<Address> out = new ArrayList<>();
      if (r instanceof List<?> entries) {
        for (Object o : entries) {
          if (o instanceof List<?> fields) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
              m.put(fields.get(i).toString(), fields.get(i + 1).toString());
            }
            out.add(new Address(m.get("ip"), Integer.parseInt(m.get("port"))));
          }
        }
      }
      return out;
    } catch (UncheckedIOException | RedisError e) {
      throw new MembershipException(middleware, "ask sentinel " + sentinel, e.getMessage(), e);
    }
  }

  /**
   * Settles a sentinel failover once the lost node has a replacement: waits until no sentinel is
   * still in the middle of the failover, makes every replica follow the promoted master (the
   * leading sentinel does so too, but one it had not reached yet would be forgotten by the reset,
   * as the sentinels rediscover replicas only through the master), then resets the sentinels so
   * they forget the lost node.
   */
  public void settleSentinelFailover(
      List<Address> sentinels, String name, Address master, List<Address> replicas) {
    await(
        "failover of " + name,
        "the sentinels to finish the failover",
        () -> sentinels.stream().noneMatch(s -> failoverInProgress(s, name)));
    for (Address r : replicas) {
      replicaOf(r, master);
    }
    resetSentinels(sentinels, name);
  }

  private boolean failoverInProgress(Address sentinel, String name) {
    try (RedisConnection c =
        RedisConnection.open(sentinel.host(), sentinel.port(), null, CONNECT)) {
      Object r = c.call("SENTINEL", "MASTER", name);
      if (r instanceof List<?> fields) {
        for (int i = 0; i + 1 < fields.size(); i += 2) {
          if (fields.get(i).toString().equals("flags")) {
            return fields.get(i + 1).toString().contains("failover_in_progress");
          }
        }
      }
      return false;
    } catch (UncheckedIOException | RedisError e) {
      return false; // a lost sentinel takes no part
    }
  }

  /**
   * SENTINEL RESET on every sentinel: they forget replicas and sentinels that are gone and
   * rediscover the live ones (run after a lost node is replaced).
   */
  public void resetSentinels(List<Address> sentinels, String name) {
    for (Address s : sentinels) {
      try (RedisConnection c = RedisConnection.open(s.host(), s.port(), null, CONNECT)) {
        c.call("SENTINEL", "RESET", name);
      } catch (UncheckedIOException | RedisError e) {
        throw new MembershipException(middleware, "reset sentinel " + s, e.getMessage(), e);
      }
    }
  }

  /** How many replicas the sentinels' view of the master lists as connected. */
  public int sentinelReplicas(Address sentinel, String name) {
    try (RedisConnection c =
        RedisConnection.open(sentinel.host(), sentinel.port(), null, CONNECT)) {
      Object r = c.call("SENTINEL", "REPLICAS", name);
      int ok = 0;
      if (r instanceof List<?> replicas) {
        for (Object o : replicas) {
          if (o instanceof List<?> fields) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
              m.put(fields.get(i).toString(), fields.get(i + 1).toString());
            }
            if (m.getOrDefault("flags", "").equals("slave")
                && "ok".equals(m.get("master-link-status"))) {
              ok++;
            }
          }
        }
      }
      return ok;
    } catch (UncheckedIOException | RedisError e) {
      throw new MembershipException(middleware, "ask sentinel " + sentinel, e.getMessage(), e);
    }
  }

  // --- helpers ---

  private boolean formed(Address first, List<Address> all) {
    try {
      List<Node> seen = nodes(first);
      return seen.size() == all.size()
          && seen.stream().map(Node::address).toList().containsAll(all)
          && coverage(first).full();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private int known(Address a) {
    return (int) nodes(a).stream().filter(n -> !n.handshake()).count();
  }

  private Node mine(Address a) {
    try (RedisConnection c = connect(a)) {
      return mine(c);
    }
  }

  private static Node mine(RedisConnection c) {
    return parseNodes(c.text("CLUSTER", "NODES")).stream()
        .filter(Node::myself)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(c.address() + " does not list itself"));
  }

  private RedisConnection connect(Address a) {
    try {
      return RedisConnection.open(a.host(), a.port(), password, CONNECT);
    } catch (UncheckedIOException | RedisError e) {
      throw new MembershipException(middleware, "connect to " + a, e.getMessage(), e);
    }
  }

  private void await(String operation, String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        if (condition.get()) {
          return;
        }
        last = null;
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new MembershipException(
            middleware,
            operation,
            "timed out after "
                + timeout.toSeconds()
                + " s waiting for "
                + what
                + (last == null ? "" : " (last: " + last.getMessage() + ")"),
            last);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void ignore(Runnable r) {
    try {
      r.run();
    } catch (RedisError e) {
      // an epoch already set is fine: the cluster resolves collisions itself
    }
  }

  private static String ip(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new UncheckedIOException("cannot resolve " + host, e);
    }
  }

  static Map<String, String> info(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        out.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return out;
  }

  /** Parses CLUSTER NODES: {@code <id> <ip:port@bus[,hostname]> <flags> <master> ... <slots>}. */
  static List<Node> parseNodes(String text) {
    List<Node> out = new ArrayList<>();
    for (String line : text.split("\r?\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.strip().split(" ");
      String addr = f[1];
      int at = addr.indexOf('@');
      String hostPort = at >= 0 ? addr.substring(0, at) : addr;
      int colon = hostPort.lastIndexOf(':');
      Address address =
          new Address(
              hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
      Set<String> flags = Set.of(f[2].split(","));
      Optional<String> master = f[3].equals("-") ? Optional.empty() : Optional.of(f[3]);
      boolean connected = f[7].equals("connected");
      List<SlotRange> slots = new ArrayList<>();
      for (int i = 8; i < f.length; i++) {
        String s = f[i];
        if (s.startsWith("[")) {
          continue; // a slot being migrated or imported
        }
        int dash = s.indexOf('-');
        int first = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
        int last = dash < 0 ? first : Integer.parseInt(s.substring(dash + 1));
        slots.add(new SlotRange(first, last));
      }
      out.add(new Node(f[0], address, flags, master, connected, List.copyOf(slots)));
    }
    return out;
  }

  /** The slot ranges no master that is not failing owns. */
  static List<SlotRange> uncovered(List<Node> nodes) {
    boolean[] covered = new boolean[SLOTS];
    for (Node n : nodes) {
      if (n.master() && !n.failing()) {
        for (SlotRange r : n.slots()) {
          for (int s = r.first(); s <= r.last(); s++) {
            covered[s] = true;
          }
        }
      }
    }
    List<SlotRange> out = new ArrayList<>();
    int start = -1;
    for (int s = 0; s <= SLOTS; s++) {
      boolean c = s == SLOTS || covered[s];
      if (!c && start < 0) {
        start = s;
      } else if (c && start >= 0) {
        out.add(new SlotRange(start, s - 1));
        start = -1;
      }
    }
    return out;
  }
}
