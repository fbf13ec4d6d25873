package io.flotilla.sandbox.workload;

import io.flotilla.runtime.Tools;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * ZooKeeper's workload: persistent znodes {@code PATH/w-N}, each acknowledged when its create
 * returned (committed by a quorum), and reads of the last one; verified by listing PATH's children.
 * The path should be fresh for each run: a znode left by an earlier run fails its write.
 */
public final class ZooKeeperWorkload {
  static final String TOOL = "io.flotilla.servers.zookeeper.ZkAdmin";

  /** How the tool receives the super user's password (never on its command line). */
  static final String SUPER_PASSWORD_ENV = "FLOTILLA_ZK_SUPER_PASSWORD";

  private ZooKeeperWorkload() {}

  /**
   * @param connect the ensemble's client addresses, {@code host:port,...}
   * @param path the parent znode, created when absent
   * @param superPassword the super user's password, or null to connect without it
   */
  public static ToolWorkload of(Tools tools, String connect, String path, String superPassword) {
    return of(tools, connect, path, superPassword, System::nanoTime);
  }

  public static ToolWorkload of(
      Tools tools, String connect, String path, String superPassword, LongSupplier nanoTime) {
    if (!path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException(
          "zookeeper workload path " + path + " must start with / and not end with one");
    }
    return new ToolWorkload(
        tools,
        new ToolWorkload.Command(
            "zookeeper znodes under " + path,
            "zookeeper",
            TOOL,
            List.of("workload", connect, path),
            List.of("verify", connect, path),
            superPassword == null ? Map.of() : Map.of(SUPER_PASSWORD_ENV, superPassword)),
        nanoTime);
  }
}
