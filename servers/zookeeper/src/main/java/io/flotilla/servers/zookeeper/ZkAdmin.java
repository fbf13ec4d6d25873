package io.flotilla.servers.zookeeper;

import io.flotilla.servers.tools.WorkloadLines;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.Stat;

/**
 * ZooKeeper administration for Flotilla, run in a child JVM with ZooKeeper's own classpath. Prints
 * one result line per item on standard output; exits 0 on success, 1 on a ZooKeeper error (message
 * on standard error), 2 on bad usage. The super user's password comes from the environment variable
 * FLOTILLA_ZK_SUPER_PASSWORD, never from the command line.
 *
 * <pre>
 * config CONNECT                          the ensemble's current dynamic configuration
 * reconfig CONNECT [--add LINE]... [--remove ID[,ID]...]
 * write CONNECT PATH COUNT                creates PATH/n-0..COUNT-1, one line per acknowledged write
 * count CONNECT PATH                      how many children PATH has
 * missing CONNECT PATH COUNT              which of PATH/n-0..COUNT-1 are missing (nothing: none)
 * workload CONNECT PATH [INTERVAL_MS]     until standard input ends (or reads "stop"), creates
 *                                         PATH/w-0, w-1, ... and reads the last one back now and
 *                                         then: "ack N" (created), "read", "fail N REASON"
 * verify CONNECT PATH                     reads sequence numbers from standard input, one a line,
 *                                         and prints each N whose PATH/w-N is missing
 * </pre>
 */
public final class ZkAdmin {
  /** The session timeout of the workload's client: a lost server is noticed within seconds. */
  private static final int WORKLOAD_SESSION_MS = 6000;

  /** How many writes the workload makes between two reads. */
  private static final int WRITES_PER_READ = 5;

  private ZkAdmin() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      usage();
    }
    if (args[0].equals("workload")) {
      workload(
          args[1], arg(args, 2), args.length > 3 ? Long.parseLong(args[3]) : DEFAULT_INTERVAL_MS);
      System.exit(0);
    }
    try (ZooKeeperAdmin zk = connect(args[1])) {
      switch (args[0]) {
        case "config" ->
            System.out.print(new String(zk.getConfig(false, new Stat()), StandardCharsets.UTF_8));
        case "reconfig" -> reconfig(zk, args);
        case "write" -> write(zk, args);
        case "count" -> System.out.println(zk.getChildren(arg(args, 2), false).size());
        case "missing" -> missing(zk, args);
        case "verify" -> verify(zk, arg(args, 2));
        default -> usage();
      }
    } catch (KeeperException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }

  private static String arg(String[] args, int i) {
    if (i >= args.length) {
      usage();
    }
    return args[i];
  }

  private static void usage() {
    System.err.println("usage: config|reconfig|write|count|missing|workload|verify CONNECT ...");
    System.exit(2);
  }

  private static final long DEFAULT_INTERVAL_MS = 20;

  private static ZooKeeperAdmin connect(String connect) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeperAdmin zk =
        new ZooKeeperAdmin(
            connect,
            15000,
            event -> {
              if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            });
    if (!connected.await(30, TimeUnit.SECONDS)) {
      zk.close();
      System.err.println("cannot connect to " + connect + " within 30 s");
      System.exit(1);
    }
    String password = System.getenv("FLOTILLA_ZK_SUPER_PASSWORD");
    if (password != null) {
      zk.addAuthInfo("digest", ("super:" + password).getBytes(StandardCharsets.UTF_8));
    }
    return zk;
  }

  private static void reconfig(ZooKeeperAdmin zk, String[] args) throws Exception {
    List<String> joining = new ArrayList<>();
    String leaving = null;
    for (int i = 2; i < args.length; i += 2) {
      switch (args[i]) {
        case "--add" -> joining.add(arg(args, i + 1));
        case "--remove" -> leaving = arg(args, i + 1);
        default -> usage();
      }
    }
    byte[] config =
        zk.reconfigure(
            joining.isEmpty() ? null : String.join(",", joining), leaving, null, -1, new Stat());
    System.out.print(new String(config, StandardCharsets.UTF_8));
  }

  private static void write(ZooKeeperAdmin zk, String[] args) throws Exception {
    String path = arg(args, 2);
    int count = Integer.parseInt(arg(args, 3));
    try {
      zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } catch (KeeperException.NodeExistsException e) {
      // written by an earlier run
    }
    for (int n = 0; n < count; n++) {
      String node = path + "/n-" + n;
      zk.create(
          node,
          Integer.toString(n).getBytes(StandardCharsets.UTF_8),
          ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
      System.out.println(node);
    }
  }

  private static void missing(ZooKeeperAdmin zk, String[] args) throws Exception {
    String path = arg(args, 2);
    int count = Integer.parseInt(arg(args, 3));
    for (int n = 0; n < count; n++) {
      if (zk.exists(path + "/n-" + n, false) == null) {
        System.out.println(path + "/n-" + n);
      }
    }
  }

  /**
   * Writes PATH/w-N for N = 0, 1, ... until standard input ends, one create at a time, each acked
   * when ZooKeeper returns it (committed by a quorum). A lost connection fails the write in flight
   * within the session timeout and the client moves on to another server; an expired session is
   * replaced by a new one.
   */
  private static void workload(String connect, String path, long intervalMs) throws Exception {
    AtomicBoolean stopping = WorkloadLines.watchInput();
    ZooKeeper zk = null;
    boolean parentReady = false;
    String lastAcked = null;
    for (long n = 0; !stopping.get(); n++) {
      if (zk == null || !zk.getState().isAlive()) {
        if (zk != null) {
          zk.close();
        }
        zk = open(connect);
        parentReady = false;
      }
      String node = path + "/w-" + n;
      try {
        if (!parentReady) {
          createParents(zk, path);
          parentReady = true;
        }
        zk.create(
            node,
            Long.toString(n).getBytes(StandardCharsets.UTF_8),
            ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT);
        lastAcked = node;
        WorkloadLines.ack(n);
      } catch (KeeperException e) {
        WorkloadLines.fail(n, e.getMessage());
      }
      if (lastAcked != null && n % WRITES_PER_READ == 0) {
        try {
          zk.getData(lastAcked, false, null);
          WorkloadLines.read();
        } catch (KeeperException e) {
          System.err.println("read " + lastAcked + ": " + WorkloadLines.oneLine(e.getMessage()));
        }
      }
      if (intervalMs > 0) {
        TimeUnit.MILLISECONDS.sleep(intervalMs);
      }
    }
    if (zk != null) {
      zk.close();
    }
  }

  /** A client that connects in the background (requests wait for it, up to the timeouts). */
  private static ZooKeeper open(String connect) throws Exception {
    ZooKeeper zk = new ZooKeeper(connect, WORKLOAD_SESSION_MS, event -> {});
    String password = System.getenv("FLOTILLA_ZK_SUPER_PASSWORD");
    if (password != null && !password.isEmpty()) {
      zk.addAuthInfo("digest", ("super:" + password).getBytes(StandardCharsets.UTF_8));
    }
    return zk;
  }

  private static void createParents(ZooKeeper zk, String path) throws Exception {
    StringBuilder prefix = new StringBuilder();
    for (String part : path.substring(1).split("/")) {
      prefix.append('/').append(part);
      try {
        zk.create(
            prefix.toString(), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      } catch (KeeperException.NodeExistsException e) {
        // there already
      }
    }
  }

  /**
   * Reads sequence numbers from standard input and prints each one whose PATH/w-N is missing, from
   * one listing of PATH's children (all of them when PATH itself is missing).
   */
  private static void verify(ZooKeeper zk, String path) throws Exception {
    Set<String> children;
    try {
      children = new HashSet<>(zk.getChildren(path, false));
    } catch (KeeperException.NoNodeException e) {
      children = Set.of();
    }
    Set<String> present = children;
    WorkloadLines.printMissing(WorkloadLines.sequences(), n -> present.contains("w-" + n));
  }
}
