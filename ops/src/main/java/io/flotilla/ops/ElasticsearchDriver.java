package io.flotilla.ops;

import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.elasticsearch.ElasticsearchAdapter;
import io.flotilla.ops.ElasticsearchMembership.VotingConfiguration;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch (OpenSearch): when master-eligible nodes are lost, the voters no longer in the
 * cluster are excluded from the voting configuration (by id, the only way for departed nodes) so
 * the others commit one without them; the replicas a lost node held are allocated at once rather
 * than after the node-left delay; the adapter's replicas template is applied; the exclusions are
 * cleared so that the new master-eligible nodes can vote; and the call returns once the cluster is
 * green with {@code after}'s nodes, a copy of every shard in every member cluster as awareness
 * allows, and a voting configuration of {@code after}'s master-eligible nodes only. New nodes join
 * by themselves (their seed hosts name every master-eligible node).
 */
final class ElasticsearchDriver implements MembershipDriver {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchDriver.class);
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private final ElasticsearchMembership membership;
  private final Poll poll;

  ElasticsearchDriver(ElasticsearchMembership membership, Clock clock) {
    this.membership = membership;
    this.poll = new Poll(clock, Duration.ofMillis(500));
  }

  @Override
  public void reconcile(Topology before, Topology after, Set<Instance> lost) {
    Change change = Change.of(before, after, lost);
    List<Instance> asked = change.survivors().isEmpty() ? change.added() : change.survivors();
    if (asked.isEmpty()) {
      throw new MembershipException(change.middleware(), "reconcile", "no node is left to ask");
    }
    URI node =
        URI.create("http://" + after.host(asked.get(0)) + ":" + ElasticsearchAdapter.HTTP_PORT);
    Set<String> masters =
        after.instances().stream()
            .filter(i -> masterEligible(after, i))
            .map(i -> ElasticsearchAdapter.nodeName(after, i))
            .collect(Collectors.toCollection(TreeSet::new));

    long lostMasters = lost.stream().filter(i -> masterEligible(before, i)).count();
    if (lostMasters > 0) {
      excludeAbsentVoters(change, node, lostMasters);
    }
    if (!lost.isEmpty()) {
      membership.allocateLostReplicasNow(node);
    }
    List<String> raised = membership.ensureReplicas(node, after.middleware());
    if (!membership.votingConfiguration(node).excluded().isEmpty()) {
      membership.clearVotingExclusions(node);
      LOG.atInfo()
          .addKeyValue("middleware", change.middleware())
          .log("voting configuration exclusions cleared");
    }
    membership.awaitFullStrength(node, after.instances().size(), TIMEOUT);
    int voters = masters.size() % 2 == 1 ? masters.size() : masters.size() - 1;
    VotingConfiguration vc =
        poll.until(
            change.middleware(),
            "wait for the voting configuration on " + node,
            voters + " voters among " + masters + " and no exclusion",
            TIMEOUT,
            () -> {
              VotingConfiguration v = membership.votingConfiguration(node);
              return v.excluded().isEmpty()
                      && v.voters().size() == voters
                      && masters.containsAll(v.voters())
                  ? Optional.of(v)
                  : Optional.empty();
            });
    if (!lost.isEmpty()) {
      membership.restoreAllocationDelay(node);
    }
    LOG.atInfo()
        .addKeyValue("middleware", change.middleware())
        .addKeyValue("nodes", after.instances().size())
        .addKeyValue("voters", vc.voters())
        .addKeyValue("replicasRaised", raised)
        .log("at full strength");
  }

  /**
   * Excludes the committed voters that are no longer in the cluster: the lost master-eligible nodes
   * that are still voters. More of them than were lost means a node the caller did not declare lost
   * is down, and nothing is excluded.
   */
  private void excludeAbsentVoters(Change change, URI node, long lostMasters) {
    Set<String> present =
        membership.nodes(node).stream()
            .map(ElasticsearchMembership.Node::name)
            .collect(Collectors.toSet());
    List<String> absent =
        membership.votingConfiguration(node).voters().stream()
            .filter(v -> !present.contains(v))
            .toList();
    if (absent.isEmpty()) {
      return;
    }
    if (absent.size() > lostMasters) {
      throw new MembershipException(
          change.middleware(),
          "voting configuration exclusion on " + node,
          "voters "
              + absent
              + " are not in the cluster, but only "
              + lostMasters
              + " master-eligible nodes were lost: a node that is not lost is down");
    }
    VotingConfiguration vc = membership.excludeVoterIds(node, absent);
    LOG.atInfo()
        .addKeyValue("middleware", change.middleware())
        .addKeyValue("excluded", vc.excluded())
        .addKeyValue("voters", vc.voters())
        .log("lost voters excluded");
  }

  private static boolean masterEligible(Topology t, Instance i) {
    return ElasticsearchAdapter.nodeRoles(t.middleware().spec(), i.role()).contains("master");
  }
}
