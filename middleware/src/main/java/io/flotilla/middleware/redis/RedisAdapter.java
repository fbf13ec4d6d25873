package io.flotilla.middleware.redis;

import io.flotilla.api.KubeObject;
import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Quantity;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ResourceList;
import io.flotilla.middleware.Finding;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.LocalLaunch;
import io.flotilla.middleware.LocalLaunch.Endpoint;
import io.flotilla.middleware.LocalLaunch.Readiness;
import io.flotilla.middleware.Manifests;
import io.flotilla.middleware.MiddlewareAdapter;
import io.flotilla.middleware.Topology;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Redis across clusters, in one of two modes chosen by the roles:
 *
 * <ul>
 *   <li><b>cluster</b> (no sentinel role): Redis Cluster. Each master is a shard owning an even
 *       share of the 16,384 slots (shard s of n owns {@code [s*16384/n, (s+1)*16384/n)}); each
 *       replica role instance follows its shard's master, in another cluster (the scheduler's shard
 *       placement). The nodes form one cluster through CLUSTER MEET, ADDSLOTSRANGE and REPLICATE
 *       (the membership operations), not through configuration.
 *   <li><b>sentinel</b> (a sentinel role): one master, its replicas (replicaof in their
 *       configuration) and sentinels in every cluster that monitor the master and promote a replica
 *       when it is lost.
 * </ul>
 *
 * Replicas may be called {@code slave} (as in the talk) or {@code replica}. Every server requires
 * the password in the credential {@value #PASSWORD}; it reaches servers through a file, never a
 * ConfigMap or a command line. Writes that must not be lost wait for a replica ({@code WAIT 1}):
 * replication is asynchronous.
 */
public final class RedisAdapter implements MiddlewareAdapter {
  public static final String MASTER = "master";
  public static final String SLAVE = "slave";
  public static final String REPLICA = "replica";
  public static final String SENTINEL = "sentinel";

  /** The credential holding the password of every server (and of the sentinels' monitor). */
  public static final String PASSWORD = "redis-password";

  public static final int PORT = 6379;
  public static final int BUS_PORT = 16379;
  public static final int SENTINEL_PORT = 26379;
  public static final int SLOTS = 16384;

  /**
   * The setting for how long a node may be unreachable before it counts as failed, in milliseconds:
   * Redis Cluster's {@code cluster-node-timeout}, Sentinel's {@code down-after-milliseconds}.
   */
  public static final String NODE_TIMEOUT = "node-timeout";

  static final int DEFAULT_NODE_TIMEOUT_MS = 5000;

  /** The name sentinels monitor the master under: the middleware's name. */
  public static String monitorName(Middleware mw) {
    return mw.name();
  }

  /** How the roles run. */
  public enum Mode {
    CLUSTER,
    SENTINEL
  }

  @Override
  public MiddlewareType type() {
    return MiddlewareType.REDIS;
  }

  public static Mode mode(Middleware mw) {
    return mw.spec().replicaRequirements().stream().anyMatch(r -> r.role().equals(SENTINEL))
        ? Mode.SENTINEL
        : Mode.CLUSTER;
  }

  /** The role holding the replicas, if any ({@code slave} or {@code replica}). */
  public static Optional<String> replicaRole(Middleware mw) {
    return mw.spec().replicaRequirements().stream()
        .map(ReplicaRequirement::role)
        .filter(r -> r.equals(SLAVE) || r.equals(REPLICA))
        .findFirst();
  }

  @Override
  public List<Finding> check(Middleware mw) {
    List<Finding> out = new ArrayList<>();
    List<ReplicaRequirement> roles = mw.spec().replicaRequirements();
    Map<String, Integer> index = new TreeMap<>();
    for (int i = 0; i < roles.size(); i++) {
      index.putIfAbsent(roles.get(i).role(), i);
    }
    Mode mode = mode(mw);
    int masters = count(mw, MASTER);
    if (index.containsKey(SLAVE) && index.containsKey(REPLICA)) {
      out.add(
          Finding.error(
              at(index.get(REPLICA), "role"),
              "slave and replica are the same role in redis: use one of them"));
    }
    for (String replicas : List.of(SLAVE, REPLICA)) {
      Integer i = index.get(replicas);
      if (i == null) {
        continue;
      }
      ReplicaRequirement r = roles.get(i);
      if (!index.containsKey(MASTER)) {
        out.add(
            Finding.error(
                at(i, "role"), "redis " + replicas + "s need masters: there is no master role"));
      } else if (mode == Mode.CLUSTER && r.shard().isEmpty() && r.replicas() > 0) {
        out.add(
            Finding.error(
                at(i, "shard"),
                "in cluster mode each "
                    + replicas
                    + " follows one master's shard: set shard (the "
                    + replicas
                    + "s per master)"));
      } else if (r.shardOf().isPresent() && !r.shardOf().get().equals(MASTER)) {
        out.add(
            Finding.error(
                at(i, "shardOf"),
                "redis " + replicas + "s follow masters, not " + r.shardOf().get()));
      }
    }
    if (!index.containsKey(MASTER)) {
      if (roles.stream().noneMatch(r -> r.role().equals(SLAVE) || r.role().equals(REPLICA))) {
        out.add(Finding.error("spec.replicaRequirements", "redis needs a master role"));
      }
    } else if (masters == 0) {
      out.add(Finding.error(at(index.get(MASTER), "replicas"), "redis needs at least one master"));
    } else if (mode == Mode.SENTINEL && masters != 1) {
      out.add(
          Finding.error(
              at(index.get(MASTER), "replicas"),
              "with sentinels redis runs one master and its replicas, got "
                  + masters
                  + " masters: drop the sentinel role to shard with Redis Cluster"));
    } else if (mode == Mode.CLUSTER && masters > SLOTS) {
      out.add(
          Finding.error(
              at(index.get(MASTER), "replicas"),
              "a Redis Cluster has "
                  + SLOTS
                  + " slots, so at most as many masters; got "
                  + masters));
    }
    for (ReplicaRequirement r : roles) {
      if (r.role().equals(SENTINEL) && r.shard().isPresent()) {
        out.add(Finding.error(at(index.get(SENTINEL), "shard"), "sentinels belong to no shard"));
      }
      if (r.role().equals(MASTER) && r.shard().isPresent()) {
        out.add(
            Finding.error(
                at(index.get(MASTER), "shard"),
                "masters are the shards' primaries: set shard on the replica role instead"));
      }
    }
    String timeout = mw.spec().settings().get(NODE_TIMEOUT);
    if (timeout != null && !timeout.matches("[1-9][0-9]{0,8}")) {
      out.add(
          Finding.error(
              "spec.settings." + NODE_TIMEOUT,
              "must be a positive number of milliseconds, got \"" + timeout + "\""));
    }
    if (out.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR)) {
      return out;
    }
    int replicas = replicaRole(mw).map(r -> count(mw, r)).orElse(0);
    if (replicas == 0) {
      out.add(
          Finding.warning(
              "spec.replicaRequirements",
              "masters without replicas lose their data with their cluster: add a "
                  + (mode == Mode.CLUSTER ? "replica role with shard: 1" : "replica role")));
    }
    if (mode == Mode.CLUSTER && masters < 3) {
      out.add(
          Finding.warning(
              at(index.get(MASTER), "replicas"),
              masters
                  + (masters == 1 ? " master" : " masters")
                  + " cannot elect a replica after losing one: failover needs a majority of at"
                  + " least 3 masters spread over 3 clusters"));
    }
    if (mode == Mode.SENTINEL) {
      int sentinels = count(mw, SENTINEL);
      int i = index.get(SENTINEL);
      if (sentinels < 3) {
        out.add(
            Finding.warning(
                at(i, "replicas"),
                sentinels
                    + (sentinels == 1 ? " sentinel" : " sentinels")
                    + " cannot survive the loss of a cluster: 3 or more spread over 3 clusters"
                    + " can"));
      } else if (sentinels % 2 == 0) {
        out.add(
            Finding.warning(
                at(i, "replicas"),
                sentinels
                    + " sentinels tolerate no more failures than "
                    + (sentinels - 1)
                    + ": an odd number of sentinels is better"));
      }
    }
    return out;
  }

  private static String at(int index, String field) {
    return "spec.replicaRequirements[" + index + "]." + field;
  }

  private static int count(Middleware mw, String role) {
    return mw.spec().replicaRequirements().stream()
        .filter(r -> r.role().equals(role))
        .mapToInt(ReplicaRequirement::replicas)
        .sum();
  }

  /** The slots shard {@code s} of {@code n} owns: {@code [first, last]}. */
  public static int[] slotRange(int shard, int shards) {
    int first = (int) ((long) shard * SLOTS / shards);
    int last = (int) ((long) (shard + 1) * SLOTS / shards) - 1;
    return new int[] {first, last};
  }

  static int nodeTimeout(Middleware mw) {
    String t = mw.spec().settings().get(NODE_TIMEOUT);
    return t == null ? DEFAULT_NODE_TIMEOUT_MS : Integer.parseInt(t);
  }

  /**
   * A data node's redis.conf. {@code bind} and {@code dir} differ between a pod (every address, the
   * volume) and a local process (its loopback address, its directory); {@code include} names the
   * file holding the password.
   */
  static String redisConf(
      Topology t, Instance i, String bind, String dir, String include, boolean local) {
    Middleware mw = t.middleware();
    List<String> lines = new ArrayList<>();
    lines.add("# " + i.podName(mw.name()) + " in " + i.cluster());
    lines.add("bind " + bind);
    lines.add("port " + PORT);
    lines.add("protected-mode no");
    lines.add("daemonize no");
    lines.add("logfile \"\"");
    lines.add("dir " + dir);
    lines.add("appendonly yes");
    lines.add("appendfsync everysec");
    lines.add("save 900 1 300 10 60 10000");
    lines.add("replica-serve-stale-data yes");
    lines.add("replica-read-only yes");
    lines.add("repl-diskless-sync yes");
    maxMemory(mw, i.role()).ifPresent(m -> lines.add("maxmemory " + m));
    lines.add("maxmemory-policy noeviction");
    if (mode(mw) == Mode.CLUSTER) {
      lines.add("cluster-enabled yes");
      lines.add("cluster-config-file " + dir + "/nodes.conf");
      lines.add("cluster-node-timeout " + nodeTimeout(mw));
      lines.add("cluster-require-full-coverage yes");
      lines.add("cluster-allow-reads-when-down no");
      lines.add("cluster-migration-barrier 1");
      lines.add("cluster-announce-hostname " + t.host(i));
      lines.add("cluster-preferred-endpoint-type " + (local ? "ip" : "hostname"));
      if (local) {
        lines.add("cluster-announce-ip " + t.host(i));
      }
    } else {
      lines.add("replica-announce-ip " + t.host(i));
      if (!i.role().equals(MASTER)) {
        Instance master = t.role(MASTER).get(0);
        lines.add("replicaof " + t.host(master) + " " + PORT);
      }
    }
    lines.add("include " + include);
    return String.join("\n", lines) + "\n";
  }

  /** Three quarters of the memory limit, leaving room for replication buffers and forks. */
  private static Optional<String> maxMemory(Middleware mw, String role) {
    return mw.spec().replicaRequirements().stream()
        .filter(r -> r.role().equals(role))
        .findFirst()
        .flatMap(r -> r.resourceRequest().limits().get(ResourceList.MEMORY))
        .map(Quantity::valueCeil)
        .map(b -> b.multiply(BigInteger.valueOf(3)).divide(BigInteger.valueOf(4)))
        .map(b -> b.toString());
  }

  /**
   * A sentinel's starting configuration; Sentinel rewrites it as it learns (seeded once). Quorum: a
   * majority of the sentinels.
   */
  static String sentinelConf(Topology t, Instance i, String bind, String dir, String password) {
    Middleware mw = t.middleware();
    int sentinels = t.role(SENTINEL).size();
    Instance master = t.role(MASTER).get(0);
    String name = monitorName(mw);
    List<String> lines = new ArrayList<>();
    lines.add("# " + i.podName(mw.name()) + " in " + i.cluster());
    lines.add("bind " + bind);
    lines.add("port " + SENTINEL_PORT);
    lines.add("daemonize no");
    lines.add("logfile \"\"");
    lines.add("dir " + dir);
    lines.add("sentinel resolve-hostnames yes");
    lines.add("sentinel announce-hostnames yes");
    lines.add("sentinel announce-ip " + t.host(i));
    lines.add(
        "sentinel monitor " + name + " " + t.host(master) + " " + PORT + " " + (sentinels / 2 + 1));
    lines.add("sentinel down-after-milliseconds " + name + " " + nodeTimeout(mw));
    lines.add("sentinel failover-timeout " + name + " " + 6 * nodeTimeout(mw));
    lines.add("sentinel parallel-syncs " + name + " 1");
    if (password != null) {
      lines.add("sentinel auth-pass " + name + " " + password);
    }
    return String.join("\n", lines) + "\n";
  }

  /** The file that gives a server its password (kept beside the data, never in a ConfigMap). */
  static String authConf(String password) {
    return "requirepass " + password + "\nmasterauth " + password + "\n";
  }

  @Override
  public SortedMap<String, String> files(Topology t, Instance i) {
    SortedMap<String, String> files = new TreeMap<>();
    if (i.role().equals(SENTINEL)) {
      files.put("sentinel.conf", sentinelConf(t, i, "0.0.0.0", Manifests.DATA_DIR, null));
    } else {
      files.put(
          "redis.conf",
          redisConf(t, i, "0.0.0.0", Manifests.DATA_DIR, Manifests.DATA_DIR + "/auth.conf", false));
    }
    return files;
  }

  @Override
  public List<String> credentialNames() {
    return List.of(PASSWORD);
  }

  @Override
  public SortedMap<String, String> secrets(Topology t) {
    SortedMap<String, String> s = new TreeMap<>();
    s.put(PASSWORD, t.credential(PASSWORD));
    return s;
  }

  @Override
  public SortedMap<String, List<KubeObject>> render(Topology t) {
    Middleware mw = t.middleware();
    List<Manifests.Port> ports = new ArrayList<>();
    boolean sentinels = mode(mw) == Mode.SENTINEL;
    ports.add(new Manifests.Port("redis", PORT));
    if (sentinels) {
      ports.add(new Manifests.Port("sentinel", SENTINEL_PORT));
    } else {
      ports.add(new Manifests.Port("bus", BUS_PORT));
    }
    SortedMap<String, List<KubeObject>> out = new TreeMap<>();
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
        boolean sentinel = role.role().equals(SENTINEL);
        objects.add(
            Manifests.statefulSet(
                mw,
                role,
                cluster,
                share.get(0).id(),
                share.size(),
                new Manifests.Container(
                    "docker.io/library/redis:" + mw.spec().version().orElse("7.0"),
                    sentinel ? sentinelStart(mw) : serverStart(mw),
                    sentinel
                        ? List.of(new Manifests.Port("sentinel", SENTINEL_PORT))
                        : sentinels
                            ? List.of(new Manifests.Port("redis", PORT))
                            : List.of(
                                new Manifests.Port("redis", PORT),
                                new Manifests.Port("bus", BUS_PORT)),
                    Map.of(),
                    Manifests.execProbe("sh", "-c", probe(sentinel)),
                    true),
                mw.spec().settings().getOrDefault("storage", "10Gi")));
      }
      out.put(cluster, objects);
    }
    return out;
  }

  /** Ready when the server answers PING (sentinels need no password). */
  private static String probe(boolean sentinel) {
    return sentinel
        ? "redis-cli -p " + SENTINEL_PORT + " ping | grep -q PONG"
        : "REDISCLI_AUTH=\"$(cat "
            + Manifests.CREDENTIALS_DIR
            + "/"
            + PASSWORD
            + ")\" redis-cli -p "
            + PORT
            + " ping | grep -q PONG";
  }

  /**
   * A data pod's start: its redis.conf by ordinal (in cluster mode rewritten every start, since
   * only we write it; with sentinels kept from the first start, since Sentinel rewrites its
   * replicaof), the password file from the Secret, and in cluster mode the pod's address to
   * announce.
   */
  private static String serverStart(Middleware mw) {
    String d = Manifests.DATA_DIR;
    String copy =
        mode(mw) == Mode.CLUSTER
            ? "cp $C/redis.conf.$ID " + d + "/redis.conf"
            : "[ -f " + d + "/redis.conf ] || cp $C/redis.conf.$ID " + d + "/redis.conf";
    String announce = mode(mw) == Mode.CLUSTER ? " --cluster-announce-ip \"$(hostname -i)\"" : "";
    return String.join(
        "\n",
        "set -e",
        "ID=${POD_NAME##*-}",
        "C=" + Manifests.CONFIG_DIR,
        copy,
        "umask 077",
        "P=\"$(cat " + Manifests.CREDENTIALS_DIR + "/" + PASSWORD + ")\"",
        "printf 'requirepass %s\\nmasterauth %s\\n' \"$P\" \"$P\" > " + d + "/auth.conf",
        "exec redis-server " + d + "/redis.conf" + announce);
  }

  /** A sentinel's start: its configuration seeded once with the password, then Sentinel's own. */
  private static String sentinelStart(Middleware mw) {
    String d = Manifests.DATA_DIR;
    return String.join(
        "\n",
        "set -e",
        "ID=${POD_NAME##*-}",
        "C=" + Manifests.CONFIG_DIR,
        "umask 077",
        "if [ ! -f " + d + "/sentinel.conf ]; then",
        "  cp $C/sentinel.conf.$ID " + d + "/sentinel.conf",
        "  printf 'sentinel auth-pass "
            + monitorName(mw)
            + " %s\\n' \"$(cat "
            + Manifests.CREDENTIALS_DIR
            + "/"
            + PASSWORD
            + ")\" >> "
            + d
            + "/sentinel.conf",
        "fi",
        "exec redis-server " + d + "/sentinel.conf --sentinel");
  }

  @Override
  public LocalLaunch launch(Topology t, Instance i, String directory) {
    String host = t.host(i);
    String password = t.credential(PASSWORD);
    String data = directory + "/data";
    SortedMap<String, String> files = new TreeMap<>();
    SortedMap<String, String> seeds = new TreeMap<>();
    if (i.role().equals(SENTINEL)) {
      seeds.put("data/sentinel.conf", sentinelConf(t, i, host, data, password));
      return new LocalLaunch(
          new LocalLaunch.Program.Native("redis-server", "redis-server"),
          List.of(data + "/sentinel.conf", "--sentinel"),
          Map.of(),
          files,
          seeds,
          List.of(new Endpoint("sentinel", host, SENTINEL_PORT)),
          new Readiness.AllOf(
              List.of(
                  new Readiness.LogLine("Sentinel ID is"),
                  new Readiness.TcpConnect(host, SENTINEL_PORT))),
          Duration.ofSeconds(30));
    }
    String conf = redisConf(t, i, host, data, directory + "/auth.conf", true);
    if (mode(t.middleware()) == Mode.CLUSTER) {
      files.put("redis.conf", conf);
    } else {
      seeds.put("redis.conf", conf);
    }
    files.put("auth.conf", authConf(password));
    List<Endpoint> endpoints = new ArrayList<>();
    endpoints.add(new Endpoint("redis", host, PORT));
    if (mode(t.middleware()) == Mode.CLUSTER) {
      endpoints.add(new Endpoint("bus", host, BUS_PORT));
    }
    seeds.put("data/.keep", "");
    return new LocalLaunch(
        new LocalLaunch.Program.Native("redis-server", "redis-server"),
        List.of(directory + "/redis.conf"),
        Map.of(),
        files,
        seeds,
        endpoints,
        new Readiness.AllOf(
            List.of(
                new Readiness.LogLine("Ready to accept connections"),
                new Readiness.TcpConnect(host, PORT))),
        Duration.ofSeconds(30));
  }
}
