package io.flotilla.ops;

import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.rocketmq.RocketMqAdapter;
import io.flotilla.ops.RocketMqMembership.GroupFailover;
import io.flotilla.ops.RocketMqMembership.SyncState;
import io.flotilla.runtime.LocalRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocketMQ: for every broker group that lost a broker, the controllers elect an in-sync slave when
 * the lost one was its master (awaited, or asked for; never an out-of-sync replica); every
 * surviving broker gets {@code after}'s name server list when it changed; and the call returns once
 * every group's live in-sync set is exactly its members in {@code after} with an alive master, and
 * the name servers list every broker. New brokers register with the controllers and follow their
 * group's master by themselves.
 *
 * <p>Refused, naming the reason: a group that lost its master without controllers (RocketMQ never
 * promotes a slave then; the group stays read-only until its master is back), and new controllers
 * (the controllers' DLedger peers are fixed when they start).
 */
final class RocketMqDriver implements MembershipDriver {
  private static final Logger LOG = LoggerFactory.getLogger(RocketMqDriver.class);
  private static final Duration ELECTION_WAIT = Duration.ofSeconds(45);
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private final RocketMqMembership membership;
  private final Poll poll;

  RocketMqDriver(RocketMqMembership membership, Clock clock) {
    this.membership = membership;
    this.poll = new Poll(clock, Duration.ofSeconds(1));
  }

  @Override
  public void reconcile(Topology before, Topology after, Set<Instance> lost) {
    Change change = Change.of(before, after, lost);
    boolean controllers = !RocketMqAdapter.controllers(after).isEmpty();
    Set<Instance> newControllers = new HashSet<>(RocketMqAdapter.controllers(after));
    newControllers.removeAll(RocketMqAdapter.controllers(before));
    if (!newControllers.isEmpty()) {
      throw new MembershipException(
          change.middleware(),
          "add controllers " + newControllers,
          "the running controllers' DLedger peers are fixed when they start");
    }

    for (Instance broker : change.lostInOrder()) {
      if (!isBroker(broker)) {
        continue;
      }
      if (controllers) {
        GroupFailover failover = membership.afterMasterLoss(before, broker, ELECTION_WAIT);
        if (failover instanceof GroupFailover.Promoted p) {
          LOG.atInfo()
              .addKeyValue("middleware", change.middleware())
              .addKeyValue("group", p.group())
              .addKeyValue("master", p.masterAddress())
              .addKeyValue("electedByUs", p.electedByUs())
              .log("group has a live in-sync master");
        }
      } else if (broker.role().equals(RocketMqAdapter.MASTER)) {
        String group = RocketMqAdapter.brokerName(before, RocketMqAdapter.group(before, broker));
        throw new MembershipException(
            change.middleware(),
            "bring group " + group + " back after losing its master " + broker,
            "without controllers RocketMQ never promotes a slave: the group is read-only until"
                + " its master is back");
      }
    }

    if (!RocketMqAdapter.namesrvAddr(before).equals(RocketMqAdapter.namesrvAddr(after))) {
      List<Instance> brokers =
          change.survivors().stream().filter(RocketMqDriver::isBroker).toList();
      Map<String, String> lists = membership.updateNameServers(after, brokers);
      LOG.atInfo()
          .addKeyValue("middleware", change.middleware())
          .addKeyValue("brokers", lists.keySet())
          .addKeyValue("namesrvAddr", RocketMqAdapter.namesrvAddr(after))
          .log("name server lists updated");
    }
    awaitFullStrength(change, after, controllers);
  }

  private void awaitFullStrength(Change change, Topology after, boolean controllers) {
    String namesrv = RocketMqAdapter.namesrvAddr(after);
    Set<String> brokers =
        after.instances().stream()
            .filter(RocketMqDriver::isBroker)
            .map(b -> RocketMqAdapter.brokerAddr(after, b))
            .collect(Collectors.toSet());
    poll.until(
        change.middleware(),
        "wait for full strength",
        "every group in sync with all its members and every broker registered on " + namesrv,
        TIMEOUT,
        () -> {
          if (controllers) {
            for (Map.Entry<Integer, List<Instance>> g : after.shards().entrySet()) {
              if (!whole(after, g.getKey(), g.getValue())) {
                return Optional.empty();
              }
            }
          }
          Set<String> registered =
              membership.brokers(namesrv).stream()
                  .map(RocketMqMembership.Broker::address)
                  .collect(Collectors.toSet());
          return registered.containsAll(brokers) ? Optional.of(true) : Optional.empty();
        });
  }

  /** The group has an alive master, and its alive in-sync set is all of its members. */
  private boolean whole(Topology after, int shard, List<Instance> members) {
    SyncState s;
    try {
      s = membership.syncState(after, shard);
    } catch (MembershipException | LocalRuntimeException e) {
      return false; // the controllers may be electing their leader
    }
    Set<String> inSync =
        s.aliveInSync().stream()
            .map(RocketMqMembership.Replica::address)
            .collect(Collectors.toSet());
    Set<String> wanted =
        members.stream().map(i -> RocketMqAdapter.brokerAddr(after, i)).collect(Collectors.toSet());
    return inSync.contains(s.masterAddress()) && inSync.equals(wanted);
  }

  private static boolean isBroker(Instance i) {
    return i.role().equals(RocketMqAdapter.MASTER) || i.role().equals(RocketMqAdapter.SLAVE);
  }
}
