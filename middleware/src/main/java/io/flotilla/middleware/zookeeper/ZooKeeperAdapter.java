package io.flotilla.middleware.zookeeper;

import io.flotilla.api.KubeObject;
import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.middleware.Finding;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.LocalLaunch;
import io.flotilla.middleware.LocalLaunch.Endpoint;
import io.flotilla.middleware.LocalLaunch.Readiness;
import io.flotilla.middleware.Manifests;
import io.flotilla.middleware.MiddlewareAdapter;
import io.flotilla.middleware.Topology;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * ZooKeeper across clusters. Every cluster's share is one ensemble with the others: each
 * participant's myid is its instance id (so unique across clusters), and the dynamic configuration
 * names every participant of every cluster, which ZooKeeper's dynamic reconfiguration then keeps
 * (new voters join, lost ones leave). Reconfiguration is restricted to the super user, whose
 * password is the credential {@value #SUPER_PASSWORD}.
 */
public final class ZooKeeperAdapter implements MiddlewareAdapter {
  public static final String PARTICIPANT = "participant";
  public static final String OBSERVER = "observer";

  /** The credential holding the super user's password (never written into a ConfigMap). */
  public static final String SUPER_PASSWORD = "zookeeper-super-password";

  public static final int CLIENT_PORT = 2181;
  public static final int QUORUM_PORT = 2888;
  public static final int ELECTION_PORT = 3888;

  /** The most voters a ZooKeeper ensemble's myids allow (1..255). */
  public static final int MAX_ID = 255;

  @Override
  public MiddlewareType type() {
    return MiddlewareType.ZOOKEEPER;
  }

  @Override
  public List<Finding> check(Middleware mw) {
    List<Finding> out = new ArrayList<>();
    List<ReplicaRequirement> roles = mw.spec().replicaRequirements();
    int participants = 0;
    for (int i = 0; i < roles.size(); i++) {
      ReplicaRequirement r = roles.get(i);
      if (r.role().equals(PARTICIPANT)) {
        participants += r.replicas();
      }
      if (r.shard().isPresent()) {
        out.add(
            Finding.error("spec.replicaRequirements[" + i + "].shard", "zookeeper has no shards"));
      }
    }
    if (roles.stream().noneMatch(r -> r.role().equals(PARTICIPANT))) {
      out.add(
          Finding.error(
              "spec.replicaRequirements", "zookeeper needs a participant role: the voters"));
    } else if (participants == 0) {
      out.add(
          Finding.error("spec.replicaRequirements", "zookeeper needs at least one participant"));
    } else if (participants > MAX_ID) {
      out.add(
          Finding.error(
              "spec.replicaRequirements",
              "zookeeper allows at most "
                  + MAX_ID
                  + " participants (myid 1.."
                  + MAX_ID
                  + "), got "
                  + participants));
    } else if (participants < 3) {
      out.add(
          Finding.warning(
              "spec.replicaRequirements",
              participants
                  + (participants == 1 ? " participant" : " participants")
                  + " cannot survive the loss of a cluster: 3 or more spread over 3 clusters can"));
    } else if (participants % 2 == 0) {
      out.add(
          Finding.warning(
              "spec.replicaRequirements",
              participants
                  + " participants tolerate no more failures than "
                  + (participants - 1)
                  + ": an odd number of voters is better"));
    }
    return out;
  }

  /** server.N lines for every participant and observer: the ensemble's dynamic configuration. */
  static String dynamicConfig(Topology t) {
    StringBuilder b = new StringBuilder();
    for (Instance i : t.instances()) {
      String kind = i.role().equals(OBSERVER) ? "observer" : "participant";
      b.append(serverLine(t, i, kind)).append('\n');
    }
    return b.toString();
  }

  /** {@code server.<id>=<host>:2888:3888:<kind>;<host>:2181}. */
  public static String serverLine(Topology t, Instance i, String kind) {
    String host = t.host(i);
    return "server."
        + i.id()
        + "="
        + host
        + ":"
        + QUORUM_PORT
        + ":"
        + ELECTION_PORT
        + ":"
        + kind
        + ";"
        + host
        + ":"
        + CLIENT_PORT;
  }

  static String staticConfig(String dataDir, String dynamicFile) {
    return String.join(
        "\n",
        "tickTime=2000",
        "initLimit=10",
        "syncLimit=5",
        "dataDir=" + dataDir,
        "reconfigEnabled=true",
        "standaloneEnabled=false",
        "quorumListenOnAllIPs=false",
        "4lw.commands.whitelist=srvr,ruok,mntr,conf",
        "admin.enableServer=false",
        "dynamicConfigFile=" + dynamicFile,
        "");
  }

  @Override
  public SortedMap<String, String> files(Topology t, Instance i) {
    SortedMap<String, String> files = new TreeMap<>();
    files.put(
        "zoo.cfg",
        staticConfig(Manifests.DATA_DIR + "/zookeeper", Manifests.DATA_DIR + "/zoo.cfg.dynamic"));
    files.put("zoo.cfg.dynamic", dynamicConfig(t));
    files.put("myid", i.id() + "\n");
    return files;
  }

  /** The super user's digest, which the pods pass to ZooKeeper (never the password itself). */
  @Override
  public List<String> credentialNames() {
    return List.of(SUPER_PASSWORD);
  }

  @Override
  public SortedMap<String, String> secrets(Topology t) {
    SortedMap<String, String> s = new TreeMap<>();
    s.put("zookeeper-super-digest", superDigest(t.credential(SUPER_PASSWORD)));
    return s;
  }

  @Override
  public SortedMap<String, List<KubeObject>> render(Topology t) {
    Middleware mw = t.middleware();
    SortedMap<String, List<KubeObject>> out = new TreeMap<>();
    List<Manifests.Port> ports =
        List.of(
            new Manifests.Port("client", CLIENT_PORT),
            new Manifests.Port("quorum", QUORUM_PORT),
            new Manifests.Port("election", ELECTION_PORT));
    for (String cluster : t.clusters()) {
      List<KubeObject> objects = new ArrayList<>();
      objects.add(Manifests.headlessService(mw, cluster, ports));
      for (ReplicaRequirement role : mw.spec().replicaRequirements()) {
        List<Instance> share =
            t.inCluster(cluster).stream().filter(i -> i.role().equals(role.role())).toList();
        if (share.isEmpty()) {
          continue;
        }
        SortedMap<String, String> data = new TreeMap<>();
        for (Instance i : share) {
          files(t, i).forEach((file, content) -> data.put(file + "." + i.id(), content));
        }
        objects.add(Manifests.configMap(mw, role.role(), cluster, data));
        objects.add(
            Manifests.statefulSet(
                mw,
                role,
                cluster,
                share.get(0).id(),
                share.size(),
                new Manifests.Container(
                    "docker.io/library/zookeeper:" + mw.spec().version().orElse("3.9.5"),
                    startScript(),
                    ports,
                    Map.of(
                        "ZK_SUPER_DIGEST_FILE",
                        Manifests.CREDENTIALS_DIR + "/zookeeper-super-digest"),
                    Manifests.execProbe(
                        "sh",
                        "-c",
                        "echo srvr | nc 127.0.0.1 2181 | grep -Eq 'Mode: (leader|follower|observer)'"),
                    true),
                mw.spec().settings().getOrDefault("storage", "10Gi")));
      }
      out.put(cluster, objects);
    }
    return out;
  }

  /**
   * The container's start: take this pod's files by its ordinal (its id). The static and dynamic
   * configuration and myid are copied only on first start: ZooKeeper rewrites them on
   * reconfiguration, and a restart must not undo that.
   */
  private static String startScript() {
    return String.join(
        "\n",
        "set -e",
        "ID=${POD_NAME##*-}",
        "C=" + Manifests.CONFIG_DIR,
        "mkdir -p " + Manifests.DATA_DIR + "/zookeeper",
        "[ -f "
            + Manifests.DATA_DIR
            + "/zookeeper/myid ] || cp $C/myid.$ID "
            + Manifests.DATA_DIR
            + "/zookeeper/myid",
        "[ -f "
            + Manifests.DATA_DIR
            + "/zoo.cfg ] || cp $C/zoo.cfg.$ID "
            + Manifests.DATA_DIR
            + "/zoo.cfg",
        "[ -f "
            + Manifests.DATA_DIR
            + "/zoo.cfg.dynamic ] || cp $C/zoo.cfg.dynamic.$ID "
            + Manifests.DATA_DIR
            + "/zoo.cfg.dynamic",
        "export SERVER_JVMFLAGS=\"-Dzookeeper.DigestAuthenticationProvider.superDigest=$(cat $ZK_SUPER_DIGEST_FILE)\"",
        "exec zkServer.sh start-foreground " + Manifests.DATA_DIR + "/zoo.cfg");
  }

  @Override
  public LocalLaunch launch(Topology t, Instance i, String directory) {
    String host = t.host(i);
    SortedMap<String, String> seeds = new TreeMap<>();
    seeds.put("zoo.cfg", staticConfig(directory + "/data", directory + "/zoo.cfg.dynamic"));
    seeds.put("zoo.cfg.dynamic", dynamicConfig(t));
    seeds.put("data/myid", i.id() + "\n");
    return new LocalLaunch(
        new LocalLaunch.Program.Jvm(
            "zookeeper",
            "org.apache.zookeeper.server.quorum.QuorumPeerMain",
            List.of(
                "-Xms64m",
                "-Xmx256m",
                "-Dzookeeper.DigestAuthenticationProvider.superDigest="
                    + superDigest(t.credential(SUPER_PASSWORD)))),
        List.of(directory + "/zoo.cfg"),
        Map.of(),
        new TreeMap<>(),
        seeds,
        List.of(
            new Endpoint("client", host, CLIENT_PORT),
            new Endpoint("quorum", host, QUORUM_PORT),
            new Endpoint("election", host, ELECTION_PORT)),
        new Readiness.ZooKeeperServing(host, CLIENT_PORT),
        Duration.ofSeconds(60));
  }

  /**
   * ZooKeeper's digest of {@code super:<password>}: base64 of its SHA-1, as {@code super:<digest>}.
   */
  public static String superDigest(String password) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest(("super:" + password).getBytes(StandardCharsets.UTF_8));
      return "super:" + Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }
}
