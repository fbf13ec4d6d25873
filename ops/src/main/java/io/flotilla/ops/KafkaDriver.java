package io.flotilla.ops;

import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.kafka.KafkaAdapter;
import io.flotilla.ops.KafkaMembership.Bootstrap;
import io.flotilla.ops.KafkaMembership.Broker;
import io.flotilla.ops.KafkaMembership.Partition;
import io.flotilla.ops.KafkaMembership.Quorum;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka (KRaft): the controller quorum's voters become {@code after}'s controllers (lost voters
 * removed, new controllers, caught up as observers, added); registrations of brokers {@code after}
 * does not have are removed; every partition replica on such a broker moves to a new broker its
 * partition lacks (the new brokers first, then the surviving ones, so a replacement takes its lost
 * predecessor's replicas); and the call returns once every partition's ISR is its whole replica
 * list. A reassignment a crashed earlier run started is left to finish first.
 */
final class KafkaDriver implements MembershipDriver {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaDriver.class);
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final Duration POLL = Duration.ofSeconds(1);

  private final KafkaMembership membership;
  private final Poll poll;

  KafkaDriver(KafkaMembership membership, Clock clock) {
    this.membership = membership;
    this.poll = new Poll(clock, POLL);
  }

  @Override
  public void reconcile(Topology before, Topology after, Set<Instance> lost) {
    Change change = Change.of(before, after, lost);
    String brokerServers = KafkaAdapter.brokerServers(after);
    Bootstrap b =
        brokerServers.isEmpty()
            ? Bootstrap.controllers(KafkaAdapter.bootstrapServers(after))
            : Bootstrap.brokers(brokerServers);
    Set<Integer> voters = ids(after, KafkaDriver::isVoter);
    Set<Integer> brokers = ids(after, KafkaDriver::isBroker);

    Quorum quorum = membership.quorum(b);
    for (int id : quorum.voterIds()) {
      if (!voters.contains(id)) {
        quorum = membership.removeVoter(b, id);
        log(change, "voter removed", id);
      }
    }
    for (Instance i : after.instances()) {
      if (isVoter(i) && !quorum.voterIds().contains(i.id())) {
        quorum = membership.addVoter(b, i.id(), after.host(i), KafkaAdapter.CONTROLLER_PORT);
        log(change, "voter added", i.id());
      }
    }
    if (!new TreeSet<>(quorum.voterIds()).equals(voters)) {
      throw new MembershipException(
          change.middleware(),
          "make the quorum's voters " + voters,
          "the voters are " + quorum.voterIds());
    }
    for (Broker broker : membership.brokers(b)) {
      if (!brokers.contains(broker.id())) {
        membership.unregisterBroker(b, broker.id());
        log(change, "broker registration removed", broker.id());
      }
    }
    if (brokers.isEmpty()) {
      return;
    }
    reassign(change, b, brokers);
    awaitFullStrength(change, b, brokers);
  }

  /** Moves every replica on a broker {@code after} lacks; none is left to move when done. */
  private void reassign(Change change, Bootstrap b, Set<Integer> brokers) {
    Set<Integer> added =
        change.added().stream()
            .filter(KafkaDriver::isBroker)
            .map(Instance::id)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    List<Partition> partitions =
        poll.until(
            change.middleware(),
            "wait for the reassignments of an earlier run",
            "partitions still moving from a removed broker to a new one",
            TIMEOUT,
            () -> {
              List<Partition> now = membership.partitions(b);
              List<Partition> moving =
                  now.stream()
                      .filter(p -> hasAny(p, gone(p, brokers)) && hasAny(p, added))
                      .toList();
              return moving.isEmpty() ? Optional.of(now) : Optional.empty();
            });
    Set<Integer> gone = new TreeSet<>();
    partitions.forEach(p -> gone.addAll(gone(p, brokers)));
    if (gone.isEmpty()) {
      return;
    }
    List<Integer> targets = new ArrayList<>(added);
    brokers.stream().filter(id -> !added.contains(id)).forEach(targets::add);
    List<KafkaMembership.Move> moves = membership.reassign(b, gone, targets, TIMEOUT);
    LOG.atInfo()
        .addKeyValue("middleware", change.middleware())
        .addKeyValue("from", gone)
        .addKeyValue("partitions", moves.size())
        .log("replicas reassigned");
  }

  private void awaitFullStrength(Change change, Bootstrap b, Set<Integer> brokers) {
    poll.until(
        change.middleware(),
        "wait for full strength",
        "every partition's replicas on " + brokers + " and all in sync",
        TIMEOUT,
        () ->
            membership.partitions(b).stream()
                    .allMatch(p -> p.full() && brokers.containsAll(p.replicas()))
                ? Optional.of(true)
                : Optional.empty());
  }

  private static List<Integer> gone(Partition p, Set<Integer> brokers) {
    return p.replicas().stream().filter(r -> !brokers.contains(r)).toList();
  }

  private static boolean hasAny(Partition p, java.util.Collection<Integer> ids) {
    return p.replicas().stream().anyMatch(ids::contains);
  }

  private static void log(Change change, String what, int id) {
    LOG.atInfo().addKeyValue("middleware", change.middleware()).addKeyValue("node", id).log(what);
  }

  private static Set<Integer> ids(Topology t, java.util.function.Predicate<Instance> which) {
    return t.instances().stream()
        .filter(which)
        .map(Instance::id)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static boolean isVoter(Instance i) {
    return i.role().equals(KafkaAdapter.CONTROLLER) || i.role().equals(KafkaAdapter.COMBINED);
  }

  static boolean isBroker(Instance i) {
    return i.role().equals(KafkaAdapter.BROKER) || i.role().equals(KafkaAdapter.COMBINED);
  }
}
