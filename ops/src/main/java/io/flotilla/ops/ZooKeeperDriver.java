package io.flotilla.ops;

import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.zookeeper.ZooKeeperAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper: one reconfiguration, as the super user, that removes every member the ensemble lists
 * and {@code after} does not (lost voters and observers) and adds every member of {@code after} it
 * does not list. The new servers are already running with {@code after}'s configuration and
 * connected to the leader as non-voting followers, which is how ZooKeeper adds a server; a quorum
 * of the new ensemble is then in sync, and the reconfiguration commits. Nothing to do when the
 * configuration already matches.
 */
final class ZooKeeperDriver implements MembershipDriver {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperDriver.class);

  private final ZooKeeperMembership membership;

  ZooKeeperDriver(ZooKeeperMembership membership) {
    this.membership = membership;
  }

  @Override
  public void reconcile(Topology before, Topology after, Set<Instance> lost) {
    Change change = Change.of(before, after, lost);
    String connect = connect(after);
    Map<Integer, String> wanted = new TreeMap<>();
    for (Instance i : after.instances()) {
      String kind =
          i.role().equals(ZooKeeperAdapter.OBSERVER) ? "observer" : ZooKeeperAdapter.PARTICIPANT;
      wanted.put(i.id(), ZooKeeperAdapter.serverLine(after, i, kind));
    }
    List<Integer> current = membership.ids(connect);
    Set<Integer> remove = new TreeSet<>(current);
    remove.removeAll(wanted.keySet());
    List<String> add = new ArrayList<>();
    wanted.forEach(
        (id, line) -> {
          if (!current.contains(id)) {
            add.add(line);
          }
        });
    if (remove.isEmpty() && add.isEmpty()) {
      LOG.atInfo()
          .addKeyValue("middleware", change.middleware())
          .addKeyValue("members", current)
          .log("ensemble already matches");
      return;
    }
    String password = after.credential(ZooKeeperAdapter.SUPER_PASSWORD);
    List<Integer> now =
        membership.reconfig(connect, password, remove, add).stream()
            .map(ZooKeeperMembership::id)
            .toList();
    if (!now.equals(List.copyOf(wanted.keySet()))) {
      throw new MembershipException(
          change.middleware(),
          "reconfig removing " + remove + " and adding " + add.size() + " members",
          "the ensemble is " + now + ", not " + wanted.keySet());
    }
    LOG.atInfo()
        .addKeyValue("middleware", change.middleware())
        .addKeyValue("removed", remove)
        .addKeyValue("added", add.stream().map(ZooKeeperMembership::id).toList())
        .addKeyValue("members", now)
        .log("ensemble reconfigured");
  }

  /** Every server of {@code after}: the survivors and the new ones, all running. */
  static String connect(Topology t) {
    return t.instances().stream()
        .map(i -> t.host(i) + ":" + ZooKeeperAdapter.CLIENT_PORT)
        .collect(Collectors.joining(","));
  }
}
