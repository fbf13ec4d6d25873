package io.flotilla.ops;

import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.rocketmq.RocketMqAdapter;
import io.flotilla.runtime.LocalRuntimeException;
import io.flotilla.runtime.Tools;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RocketMQ's membership, through its own admin protocol (MQAdminExt) in a child JVM (the {@code
 * rocketmq} distribution's {@code RocketMqAdmin}): the name server list of every broker, and what
 * becomes of a broker group that lost its master. In controller mode the controllers elect one of
 * the group's in-sync slaves (this waits for that, and asks for an election itself if none comes);
 * without controllers RocketMQ never promotes a slave, and the group is read-only until its master
 * is back.
 */
public final class RocketMqMembership {
  private static final String TOOL = "io.flotilla.servers.rocketmq.RocketMqAdmin";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofSeconds(1);

  private final Tools tools;
  private final Clock clock;

  public RocketMqMembership(Tools tools, Clock clock) {
    this.tools = tools;
    this.clock = clock;
  }

  /** A broker as the name servers list it: id 0 is its group's master. */
  public record Broker(String cluster, String group, long id, String address) {
    public boolean master() {
      return id == 0;
    }
  }

  /** A replica of a group as the controllers know it. */
  public record Replica(long id, String address, boolean alive) {}

  /** A group's master and replicas as the controllers know them. */
  public record SyncState(
      String group,
      long masterId,
      String masterAddress,
      int masterEpoch,
      List<Replica> inSync,
      List<Replica> outOfSync) {
    public SyncState {
      inSync = List.copyOf(inSync);
      outOfSync = List.copyOf(outOfSync);
    }

    /** The in-sync replicas that are alive, the master among them. */
    public List<Replica> aliveInSync() {
      return inSync.stream().filter(Replica::alive).toList();
    }
  }

  /** What became of a broker group that lost its master. */
  public sealed interface GroupFailover {
    String group();

    /**
     * A slave is the group's master now; the group takes writes again once enough replicas are in
     * sync ({@code minInSyncReplicas}).
     *
     * @param electedByUs whether the controllers had not elected one in time and this asked them to
     */
    record Promoted(
        String group, long masterId, String masterAddress, int masterEpoch, boolean electedByUs)
        implements GroupFailover {}

    /**
     * No controllers: the group's slaves serve reads (its stored messages stay readable), and it
     * takes no writes until its master returns. Producers send to the other groups meanwhile.
     */
    record ReadOnly(String group, List<String> slaves) implements GroupFailover {
      public ReadOnly {
        slaves = List.copyOf(slaves);
      }
    }
  }

  /** Every broker the name servers know, by group and id. */
  public List<Broker> brokers(String namesrvAddr) {
    List<Broker> out = new ArrayList<>();
    for (String line : run("clusters", List.of(namesrvAddr)).lines()) {
      String[] f = line.split(" ");
      if (f.length == 5 && f[0].equals("broker")) {
        out.add(new Broker(f[1], f[2], Long.parseLong(f[3]), f[4]));
      }
    }
    return out;
  }

  /**
   * Sets every broker's name server list to the topology's (every name server of every cluster).
   * Brokers apply it within {@code updateNameServerAddrPeriod} (10 s as rendered) and register with
   * the new name servers at their next heartbeat; their configuration file keeps it.
   *
   * @param brokers the live brokers to update
   * @return each broker's address and the list it now has
   */
  public Map<String, String> updateNameServers(Topology t, List<Instance> brokers) {
    if (brokers.isEmpty()) {
      return Map.of();
    }
    List<String> args = new ArrayList<>();
    args.add(RocketMqAdapter.namesrvAddr(t));
    brokers.forEach(b -> args.add(RocketMqAdapter.brokerAddr(t, b)));
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : run("set-namesrv", args).lines()) {
      String[] f = line.split(" ", 2);
      out.put(f[0], f[1].substring(f[1].indexOf('=') + 1));
    }
    return out;
  }

  /**
   * A group's sync state as the controllers know it.
   *
   * @throws MembershipException when the topology has no controllers or they do not answer
   */
  public SyncState syncState(Topology t, int shard) {
    String group = RocketMqAdapter.brokerName(t, shard);
    Tools.Result r = run("sync-state", List.of(controllers(t), group));
    long masterId = -1;
    String masterAddress = "";
    int epoch = 0;
    List<Replica> inSync = new ArrayList<>();
    List<Replica> outOfSync = new ArrayList<>();
    for (String line : r.lines()) {
      String[] f = line.split(" ");
      if (f.length != 5 || !f[1].equals(group)) {
        continue;
      }
      switch (f[0]) {
        case "master" -> {
          masterId = f[2].equals("null") ? -1 : Long.parseLong(f[2]);
          masterAddress = f[3].equals("null") ? "" : f[3];
          epoch = f[4].equals("null") ? 0 : Integer.parseInt(f[4]);
        }
        case "in-sync" -> inSync.add(replica(f));
        case "out-of-sync" -> outOfSync.add(replica(f));
        default -> {}
      }
    }
    return new SyncState(group, masterId, masterAddress, epoch, inSync, outOfSync);
  }

  private static Replica replica(String[] f) {
    return new Replica(Long.parseLong(f[2]), f[3], Boolean.parseBoolean(f[4]));
  }

  /**
   * What becomes of a group whose master was lost. With controllers: waits up to {@code
   * electionWait} for the controllers to elect an in-sync slave (they notice a silent master within
   * about ten seconds), then asks them to elect one by their policy (never an out-of-sync replica:
   * unclean elections are off). Without controllers: the group is read-only.
   *
   * @throws MembershipException naming the group when no slave can be promoted
   */
  public GroupFailover afterMasterLoss(Topology t, Instance lostMaster, Duration electionWait) {
    int shard = RocketMqAdapter.group(t, lostMaster);
    String group = RocketMqAdapter.brokerName(t, shard);
    String lost = RocketMqAdapter.brokerAddr(t, lostMaster);
    if (RocketMqAdapter.controllers(t).isEmpty()) {
      List<String> slaves =
          t.shards().get(shard).stream()
              .filter(i -> !i.equals(lostMaster))
              .map(i -> RocketMqAdapter.brokerAddr(t, i))
              .toList();
      return new GroupFailover.ReadOnly(group, slaves);
    }
    Instant deadline = clock.instant().plus(electionWait);
    while (true) {
      Optional<SyncState> s = trySyncState(t, shard);
      if (s.isPresent() && promoted(s.get(), lost)) {
        SyncState state = s.get();
        return new GroupFailover.Promoted(
            group, state.masterId(), state.masterAddress(), state.masterEpoch(), false);
      }
      if (!clock.instant().isBefore(deadline)) {
        break;
      }
      pause();
    }
    Tools.Result r =
        run("elect", List.of(controllers(t), RocketMqAdapter.clusterName(t), group), false);
    if (!r.ok()) {
      throw new MembershipException(
          "rocketmq " + t.middleware().name(),
          "promote a slave of group " + group + " after losing its master " + lost,
          lastLine(r.stderr()));
    }
    String[] f = r.stdout().strip().split(" ");
    return new GroupFailover.Promoted(
        group, Long.parseLong(f[2]), f[3], Integer.parseInt(f[4]), true);
  }

  private static boolean promoted(SyncState s, String lost) {
    return !s.masterAddress().isEmpty()
        && !s.masterAddress().equals(lost)
        && s.aliveInSync().stream().anyMatch(r -> r.address().equals(s.masterAddress()));
  }

  private Optional<SyncState> trySyncState(Topology t, int shard) {
    try {
      return Optional.of(syncState(t, shard));
    } catch (MembershipException | LocalRuntimeException e) {
      // the controllers may be electing their own leader right now
      return Optional.empty();
    }
  }

  private void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MembershipException("rocketmq", "wait for an election", "interrupted", e);
    }
  }

  private static String controllers(Topology t) {
    String all = RocketMqAdapter.controllerAddr(t);
    if (all.isEmpty()) {
      throw new MembershipException(
          "rocketmq " + t.middleware().name(),
          "reach the controllers",
          "it has no controllers: its groups never fail over");
    }
    return all;
  }

  private Tools.Result run(String command, List<String> args) {
    return run(command, args, true);
  }

  private Tools.Result run(String command, List<String> args, boolean check) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(args);
    Tools.Result r = tools.run("rocketmq", TOOL, all, Map.of(), TIMEOUT);
    if (check && !r.ok()) {
      throw new MembershipException(
          "rocketmq", command + " on " + args.get(0), lastLine(r.stderr()));
    }
    return r;
  }

  /** The tool's own message: its last line on standard error, after RocketMQ's log lines. */
  private static String lastLine(String stderr) {
    List<String> lines = stderr.strip().lines().toList();
    return lines.isEmpty() ? "(no message)" : lines.get(lines.size() - 1);
  }
}
