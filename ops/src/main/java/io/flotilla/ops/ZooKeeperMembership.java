package io.flotilla.ops;

import io.flotilla.runtime.Tools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ZooKeeper's membership through dynamic reconfiguration, as the super user: read the ensemble,
 * remove lost voters, add new ones. Runs ZooKeeper's client in a child JVM (the {@code zookeeper}
 * distribution's {@code ZkAdmin}); the password goes through the environment only.
 */
public final class ZooKeeperMembership {
  private static final String TOOL = "io.flotilla.servers.zookeeper.ZkAdmin";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final Tools tools;

  public ZooKeeperMembership(Tools tools) {
    this.tools = tools;
  }

  /** The ensemble's members: its {@code server.N=...} lines, in id order. */
  public List<String> members(String connect) {
    Tools.Result r = run(List.of("config", connect), Map.of());
    return r.lines().stream()
        .filter(l -> l.startsWith("server."))
        .sorted(ZooKeeperMembership::byId)
        .toList();
  }

  /** The voters' ids. */
  public List<Integer> ids(String connect) {
    return members(connect).stream().map(ZooKeeperMembership::id).toList();
  }

  /** Removes voters (lost ones), committed by a quorum of the old and the new ensemble. */
  public List<String> remove(String connect, String superPassword, Collection<Integer> ids) {
    String list = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    return configOf(
        run(
            List.of("reconfig", connect, "--remove", list),
            Map.of("FLOTILLA_ZK_SUPER_PASSWORD", superPassword)));
  }

  /** Adds voters: {@code server.N=host:2888:3888:participant;host:2181} lines. */
  public List<String> add(String connect, String superPassword, Collection<String> serverLines) {
    List<String> args = new ArrayList<>(List.of("reconfig", connect));
    for (String line : serverLines) {
      args.add("--add");
      args.add(line);
    }
    return configOf(run(args, Map.of("FLOTILLA_ZK_SUPER_PASSWORD", superPassword)));
  }

  /**
   * Removes members by id and adds {@code server.N=...} lines in one incremental reconfiguration,
   * committed by a quorum of the old and the new ensemble.
   */
  public List<String> reconfig(
      String connect,
      String superPassword,
      Collection<Integer> remove,
      Collection<String> addServerLines) {
    List<String> args = new ArrayList<>(List.of("reconfig", connect));
    for (String line : addServerLines) {
      args.add("--add");
      args.add(line);
    }
    if (!remove.isEmpty()) {
      args.add("--remove");
      args.add(remove.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    return configOf(run(args, Map.of("FLOTILLA_ZK_SUPER_PASSWORD", superPassword)));
  }

  private static List<String> configOf(Tools.Result r) {
    return r.lines().stream()
        .filter(l -> l.startsWith("server."))
        .sorted(ZooKeeperMembership::byId)
        .toList();
  }

  private Tools.Result run(List<String> args, Map<String, String> env) {
    Tools.Result r = tools.run("zookeeper", TOOL, args, env, TIMEOUT);
    if (!r.ok()) {
      throw new MembershipException(
          "zookeeper", args.get(0) + " on " + args.get(1), r.stderr().strip());
    }
    return r;
  }

  static int id(String serverLine) {
    return Integer.parseInt(serverLine.substring("server.".length(), serverLine.indexOf('=')));
  }

  private static int byId(String a, String b) {
    return Integer.compare(id(a), id(b));
  }
}
