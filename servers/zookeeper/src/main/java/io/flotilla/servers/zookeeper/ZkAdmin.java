package io.flotilla.servers.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
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
 * </pre>
 */
public final class ZkAdmin {
  private ZkAdmin() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      usage();
    }
    try (ZooKeeperAdmin zk = connect(args[1])) {
      switch (args[0]) {
        case "config" ->
            System.out.print(new String(zk.getConfig(false, new Stat()), StandardCharsets.UTF_8));
        case "reconfig" -> reconfig(zk, args);
        case "write" -> write(zk, args);
        case "count" -> System.out.println(zk.getChildren(arg(args, 2), false).size());
        case "missing" -> missing(zk, args);
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
    System.err.println("usage: config|reconfig|write|count|missing CONNECT ...");
    System.exit(2);
  }

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
}
