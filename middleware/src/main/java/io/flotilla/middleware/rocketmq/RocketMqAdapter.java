package io.flotilla.middleware.rocketmq;

import io.flotilla.api.KubeObject;
import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Quantity;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ReplicaSchedulingType;
import io.flotilla.api.ResourceList;
import io.flotilla.middleware.Finding;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.LocalLaunch;
import io.flotilla.middleware.LocalLaunch.Endpoint;
import io.flotilla.middleware.LocalLaunch.Readiness;
import io.flotilla.middleware.Manifests;
import io.flotilla.middleware.MiddlewareAdapter;
import io.flotilla.middleware.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * RocketMQ 5 across clusters. All broker groups of one Middleware form one RocketMQ cluster named
 * after it; each group (a shard: a master and its slaves, {@code shardOf: master}) is the broker
 * name {@code <middleware>-broker-<shard>}, its slaves in clusters other than its master's. Every
 * broker lists every name server of every cluster.
 *
 * <p>Quorum rules (DESIGN.md §6): without controllers, a group replicates synchronously (master
 * {@code SYNC_MASTER}, slaves {@code SLAVE}, {@code inSyncReplicas} = 2 so that SEND_OK means a
 * slave in another cluster has the message; RocketMQ 5's default of 1 counts the master alone), and
 * a lost master leaves its group read-only until it returns. With controllers (DLedger, every
 * controller of every cluster a peer), brokers run in controller mode: the controllers assign
 * broker ids and elect a new master from the sync state set, and {@code allAckInSyncStateSet} with
 * {@code minInSyncReplicas} = 2 keeps SEND_OK meaning "on two clusters". The controllers run as
 * their own role, or inside the name servers when the setting {@value #CONTROLLER_IN_NAMESRV} is
 * true (RocketMQ's {@code enableControllerInNamesrv}); the voters are then the name servers.
 *
 * <p>RocketMQ's zone ({@code rocketmq.zone}, kept by the name server per broker group) is not set:
 * it belongs to a whole group, the last member to register overwriting it, while our groups span
 * clusters by design. The cluster is the pods' {@code flotilla.io/cluster} label and
 * FLOTILLA_CLUSTER variable instead.
 */
public final class RocketMqAdapter implements MiddlewareAdapter {
  public static final String NAMESERVER = "nameserver";
  public static final String CONTROLLER = "controller";
  public static final String MASTER = "master";
  public static final String SLAVE = "slave";

  /** Setting: "true" runs the controllers inside the name servers. */
  public static final String CONTROLLER_IN_NAMESRV = "controllerInNamesrv";

  /** Setting: the broker's commit log file size in bytes (RocketMQ's default, 1 GiB). */
  public static final String COMMIT_LOG_FILE_SIZE = "mappedFileSizeCommitLog";

  public static final int NAMESRV_PORT = 9876;
  public static final int CONTROLLER_PORT = 9878;
  public static final int BROKER_PORT = 10911;

  /** RocketMQ's fast channel: the broker port − 2. */
  public static final int FAST_PORT = BROKER_PORT - 2;

  /** Where slaves replicate from the master: the broker port + 1. */
  public static final int HA_PORT = BROKER_PORT + 1;

  /** Replicas that must hold a message before SEND_OK: a master and a slave elsewhere. */
  public static final int IN_SYNC_REPLICAS = 2;

  private static final String DEFAULT_COMMIT_LOG = "1073741824";

  /** Commit log files of local instances: 64 MiB, small disks for drills. */
  private static final String LOCAL_COMMIT_LOG = "67108864";

  /** The controllers' DLedger log: tiny metadata, 64 MiB files. */
  private static final String CONTROLLER_LOG_FILE_SIZE = "67108864";

  private static final String BROKER_MAIN = "io.flotilla.servers.rocketmq.BrokerMain";

  @Override
  public MiddlewareType type() {
    return MiddlewareType.ROCKETMQ;
  }

  @Override
  public List<Finding> check(Middleware mw) {
    List<Finding> out = new ArrayList<>();
    List<ReplicaRequirement> roles = mw.spec().replicaRequirements();
    String known = MiddlewareType.ROCKETMQ.roleNames();
    for (int i = 0; i < roles.size(); i++) {
      ReplicaRequirement r = roles.get(i);
      String at = "spec.replicaRequirements[" + i + "]";
      if (MiddlewareType.ROCKETMQ.role(r.role()).isEmpty()) {
        out.add(
            Finding.error(
                at + ".role", "rocketmq has no role " + r.role() + ": its roles are " + known));
      } else if (r.role().equals(SLAVE)) {
        checkSlave(roles, r, at, out);
      } else if (r.shard().isPresent()) {
        out.add(Finding.error(at + ".shard", "only slaves hold shards (of the role master)"));
      }
    }
    Optional<Integer> master = index(roles, MASTER);
    if (master.isEmpty() || replicas(roles, MASTER) == 0) {
      out.add(
          Finding.error(
              "spec.replicaRequirements", "rocketmq needs a master role: the broker groups"));
    } else {
      if (replicas(roles, NAMESERVER) == 0) {
        out.add(
            Finding.error(
                "spec.replicaRequirements",
                "brokers need name servers: add a nameserver role with replicas"));
      }
      if (replicas(roles, SLAVE) == 0) {
        out.add(
            Finding.warning(
                "spec.replicaRequirements[" + master.get() + "]",
                "masters without slaves lose their groups with their cluster: add slaves with"
                    + " shardOf: master"));
      }
    }
    checkControllers(mw, out);
    return out;
  }

  private static void checkSlave(
      List<ReplicaRequirement> roles, ReplicaRequirement slave, String at, List<Finding> out) {
    if (index(roles, MASTER).isEmpty()) {
      out.add(
          Finding.error(at + ".role", "slaves need a master role: the masters of their groups"));
    } else if (slave.shard().isEmpty()) {
      out.add(
          Finding.error(
              at + ".shard",
              "slaves must set shard (slaves per group) and shardOf: master: a group is a master"
                  + " and its slaves"));
    } else if (!slave.shardOf().equals(Optional.of(MASTER))) {
      out.add(
          Finding.error(
              at + ".shardOf",
              "slaves must set shardOf: master, not "
                  + slave.shardOf().orElse("nothing")
                  + ": a group is a master and its slaves"));
    }
  }

  private static void checkControllers(Middleware mw, List<Finding> out) {
    List<ReplicaRequirement> roles = mw.spec().replicaRequirements();
    String embedded = mw.spec().settings().get(CONTROLLER_IN_NAMESRV);
    if (embedded != null && !embedded.equals("true") && !embedded.equals("false")) {
      out.add(
          Finding.error(
              "spec.settings." + CONTROLLER_IN_NAMESRV, "must be true or false, got " + embedded));
      return;
    }
    boolean inNamesrv = "true".equals(embedded);
    if (inNamesrv && index(roles, CONTROLLER).isPresent()) {
      out.add(
          Finding.error(
              "spec.settings." + CONTROLLER_IN_NAMESRV,
              "the controllers run inside the name servers: remove the controller role, or set"
                  + " false"));
      return;
    }
    String kind = inNamesrv ? "name servers running controllers" : "controllers";
    String voterRole = inNamesrv ? NAMESERVER : CONTROLLER;
    if (index(roles, voterRole)
        .map(i -> roles.get(i).replicaSchedulingType() == ReplicaSchedulingType.Duplicated)
        .orElse(false)) {
      return; // as many voters as clusters: the scheduler checks the spread
    }
    int voters = replicas(roles, voterRole);
    if (voters == 0) {
      return;
    }
    if (voters < 3) {
      out.add(
          Finding.warning(
              "spec.replicaRequirements",
              voters
                  + " "
                  + kind
                  + " cannot survive the loss of a cluster: 3 or more spread over 3 clusters can"));
    } else if (voters % 2 == 0) {
      out.add(
          Finding.warning(
              "spec.replicaRequirements",
              voters
                  + " "
                  + kind
                  + " tolerate no more failures than "
                  + (voters - 1)
                  + ": an odd number of voters is better"));
    }
  }

  private static Optional<Integer> index(List<ReplicaRequirement> roles, String role) {
    for (int i = 0; i < roles.size(); i++) {
      if (roles.get(i).role().equals(role)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  private static int replicas(List<ReplicaRequirement> roles, String role) {
    return roles.stream().filter(r -> r.role().equals(role)).mapToInt(r -> r.replicas()).sum();
  }

  /** Whether the controllers run inside the name servers. */
  public static boolean controllerInNamesrv(Middleware mw) {
    return "true".equals(mw.spec().settings().get(CONTROLLER_IN_NAMESRV));
  }

  /** The controller voters: the controller role, or the name servers that embed them. */
  public static List<Instance> controllers(Topology t) {
    return t.role(controllerInNamesrv(t.middleware()) ? NAMESERVER : CONTROLLER);
  }

  /** {@code host:9876;...} for every name server of every cluster. */
  public static String namesrvAddr(Topology t) {
    return t.role(NAMESERVER).stream()
        .map(i -> t.host(i) + ":" + NAMESRV_PORT)
        .collect(Collectors.joining(";"));
  }

  /** {@code host:9878;...} for every controller of every cluster. */
  public static String controllerAddr(Topology t) {
    return controllers(t).stream()
        .map(i -> t.host(i) + ":" + CONTROLLER_PORT)
        .collect(Collectors.joining(";"));
  }

  /** The RocketMQ cluster: the middleware's name. */
  public static String clusterName(Topology t) {
    return t.middleware().name();
  }

  /** A group's broker name: {@code <middleware>-broker-<shard>}. */
  public static String brokerName(Topology t, int shard) {
    return t.middleware().name() + "-broker-" + shard;
  }

  /** The address clients and peers reach a broker at. */
  public static String brokerAddr(Topology t, Instance broker) {
    return t.host(broker) + ":" + BROKER_PORT;
  }

  /** The group (shard) a master or slave belongs to. */
  public static int group(Topology t, Instance broker) {
    return t.shard(broker)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "rocketmq "
                        + t.middleware().name()
                        + ": "
                        + broker
                        + " is in no broker group"));
  }

  /**
   * Every group's slaves are in clusters other than its master's, so that losing a cluster never
   * loses a whole group. The scheduler's shards guarantee it; a topology that breaks it (shards
   * given by hand) would put a group's only copies in one cluster.
   *
   * @throws IllegalArgumentException naming the group and the cluster
   */
  static void requireGroupsSpread(Topology t) {
    t.shards()
        .forEach(
            (shard, members) -> {
              Instance master = members.get(0);
              for (Instance slave : members.subList(1, members.size())) {
                if (slave.cluster().equals(master.cluster())) {
                  throw new IllegalArgumentException(
                      "rocketmq "
                          + t.middleware().name()
                          + ": group "
                          + brokerName(t, shard)
                          + " has its master and its slave "
                          + slave
                          + " in cluster "
                          + master.cluster()
                          + ": losing that cluster would lose the whole group");
                }
              }
            });
  }

  /** {@code n<id>-host:9878;...}: the DLedger peers, named after the controllers' ids. */
  static String dledgerPeers(Topology t) {
    return controllers(t).stream()
        .map(i -> "n" + i.id() + "-" + t.host(i) + ":" + CONTROLLER_PORT)
        .collect(Collectors.joining(";"));
  }

  private static String properties(SortedMap<String, String> p) {
    StringBuilder b = new StringBuilder();
    p.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    return b.toString();
  }

  private static void controllerSettings(
      Topology t, Instance i, String dataDir, SortedMap<String, String> p) {
    p.put("controllerDLegerGroup", clusterName(t) + "-controllers");
    p.put("controllerDLegerPeers", dledgerPeers(t));
    p.put("controllerDLegerSelfId", "n" + i.id());
    p.put("controllerStorePath", dataDir + "/controller");
    p.put("mappedFileSize", CONTROLLER_LOG_FILE_SIZE);
    p.put("enableElectUncleanMaster", "false");
    p.put("notifyBrokerRoleChanged", "true");
  }

  private static String namesrvConfig(Topology t, Instance i, String dataDir) {
    SortedMap<String, String> p = new TreeMap<>();
    p.put("listenPort", String.valueOf(NAMESRV_PORT));
    p.put("bindAddress", t.host(i));
    p.put("kvConfigPath", dataDir + "/namesrv/kvConfig.json");
    if (controllerInNamesrv(t.middleware())) {
      p.put("enableControllerInNamesrv", "true");
      controllerSettings(t, i, dataDir, p);
    }
    return properties(p);
  }

  private static String controllerConfig(Topology t, Instance i, String dataDir) {
    SortedMap<String, String> p = new TreeMap<>();
    p.put("listenPort", String.valueOf(CONTROLLER_PORT));
    p.put("bindAddress", t.host(i));
    p.put("configStorePath", dataDir + "/controller.properties");
    controllerSettings(t, i, dataDir, p);
    return properties(p);
  }

  private static String brokerConfig(
      Topology t, Instance i, String dataDir, String commitLogFileSize) {
    requireGroupsSpread(t);
    int shard = group(t, i);
    List<Instance> members = t.shards().get(shard);
    SortedMap<String, String> p = new TreeMap<>();
    String host = t.host(i);
    p.put("brokerClusterName", clusterName(t));
    p.put("brokerName", brokerName(t, shard));
    p.put("listenPort", String.valueOf(BROKER_PORT));
    p.put("haListenPort", String.valueOf(HA_PORT));
    p.put("bindAddress", host);
    p.put("brokerIP1", host);
    p.put("brokerIP2", host);
    p.put("namesrvAddr", namesrvAddr(t));
    p.put("updateNameServerAddrPeriod", "10000");
    p.put("registerNameServerPeriod", "10000");
    p.put("storePathRootDir", dataDir + "/store");
    p.put("mappedFileSizeCommitLog", commitLogFileSize);
    p.put("autoCreateTopicEnable", "false");
    p.put("totalReplicas", String.valueOf(members.size()));
    int inSync = Math.min(IN_SYNC_REPLICAS, members.size());
    if (controllers(t).isEmpty()) {
      if (i.role().equals(MASTER)) {
        p.put("brokerId", "0");
        p.put("brokerRole", "SYNC_MASTER");
      } else {
        p.put("brokerId", String.valueOf(members.indexOf(i)));
        p.put("brokerRole", "SLAVE");
      }
      p.put("inSyncReplicas", String.valueOf(inSync));
    } else {
      p.put("enableControllerMode", "true");
      p.put("controllerAddr", controllerAddr(t));
      p.put("allAckInSyncStateSet", "true");
      p.put("minInSyncReplicas", String.valueOf(inSync));
    }
    return properties(p);
  }

  /** One instance's configuration file by name, with its data under {@code dataDir}. */
  private static SortedMap<String, String> files(
      Topology t, Instance i, String dataDir, String commitLogFileSize) {
    SortedMap<String, String> files = new TreeMap<>();
    switch (i.role()) {
      case NAMESERVER -> files.put("namesrv.properties", namesrvConfig(t, i, dataDir));
      case CONTROLLER -> files.put("controller.properties", controllerConfig(t, i, dataDir));
      case MASTER, SLAVE ->
          files.put("broker.conf", brokerConfig(t, i, dataDir, commitLogFileSize));
      default ->
          throw new IllegalArgumentException(
              "rocketmq " + t.middleware().name() + " has no role " + i.role());
    }
    return files;
  }

  @Override
  public SortedMap<String, String> files(Topology t, Instance i) {
    return files(t, i, Manifests.DATA_DIR, commitLogFileSize(t.middleware()));
  }

  private static String commitLogFileSize(Middleware mw) {
    return mw.spec().settings().getOrDefault(COMMIT_LOG_FILE_SIZE, DEFAULT_COMMIT_LOG);
  }

  private static List<Manifests.Port> ports(Topology t, String role) {
    return switch (role) {
      case NAMESERVER ->
          controllerInNamesrv(t.middleware())
              ? List.of(
                  new Manifests.Port("namesrv", NAMESRV_PORT),
                  new Manifests.Port("controller", CONTROLLER_PORT))
              : List.of(new Manifests.Port("namesrv", NAMESRV_PORT));
      case CONTROLLER -> List.of(new Manifests.Port("controller", CONTROLLER_PORT));
      default ->
          List.of(
              new Manifests.Port("fast", FAST_PORT),
              new Manifests.Port("broker", BROKER_PORT),
              new Manifests.Port("ha", HA_PORT));
    };
  }

  @Override
  public SortedMap<String, List<KubeObject>> render(Topology t) {
    requireGroupsSpread(t);
    Middleware mw = t.middleware();
    SortedMap<String, List<KubeObject>> out = new TreeMap<>();
    List<Manifests.Port> servicePorts = new ArrayList<>();
    servicePorts.add(new Manifests.Port("namesrv", NAMESRV_PORT));
    if (!controllers(t).isEmpty()) {
      servicePorts.add(new Manifests.Port("controller", CONTROLLER_PORT));
    }
    servicePorts.addAll(ports(t, MASTER));
    String image = "docker.io/apache/rocketmq:" + mw.spec().version().orElse("5.3.3");
    for (String cluster : t.clusters()) {
      List<KubeObject> objects = new ArrayList<>();
      objects.add(Manifests.headlessService(mw, cluster, servicePorts));
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
        List<Manifests.Port> ports = ports(t, role.role());
        objects.add(
            Manifests.statefulSet(
                mw,
                role,
                cluster,
                share.get(0).id(),
                share.size(),
                new Manifests.Container(
                    image,
                    startScript(role.role()),
                    ports,
                    heap(role),
                    Manifests.tcpProbe(
                        ports.stream()
                            .filter(p -> !p.name().equals("fast"))
                            .findFirst()
                            .orElseThrow()
                            .port()),
                    false),
                mw.spec().settings().getOrDefault("storage", "10Gi")));
      }
      out.put(cluster, objects);
    }
    return out;
  }

  /**
   * RocketMQ's scripts size the heap for a large machine; {@code JAVA_OPT_EXT} (appended last)
   * gives the JVM half the role's memory limit (or request), the rest being page cache and direct
   * buffers.
   */
  private static Map<String, String> heap(ReplicaRequirement role) {
    Optional<Quantity> memory =
        role.resourceRequest()
            .limits()
            .get(ResourceList.MEMORY)
            .or(() -> role.resourceRequest().requests().get(ResourceList.MEMORY));
    if (memory.isEmpty()) {
      return Map.of();
    }
    long mib = memory.get().valueCeil().longValue() / (2L * 1024 * 1024);
    return Map.of("JAVA_OPT_EXT", "-Xms" + mib + "m -Xmx" + mib + "m");
  }

  /**
   * The container's start: take this pod's file by its ordinal (its id) and run RocketMQ's own
   * script. The file is copied on every start, since brokers rewrite it when their configuration is
   * updated at run time (a new name server list) and the ConfigMap, re-rendered from the topology,
   * is the source of truth.
   */
  private static String startScript(String role) {
    String file;
    String command;
    switch (role) {
      case NAMESERVER -> {
        file = "namesrv.properties";
        command = "mqnamesrv";
      }
      case CONTROLLER -> {
        file = "controller.properties";
        command = "mqcontroller";
      }
      default -> {
        file = "broker.conf";
        command = "mqbroker";
      }
    }
    return String.join(
        "\n",
        "set -e",
        "ID=${POD_NAME##*-}",
        "mkdir -p " + Manifests.DATA_DIR,
        "cp " + Manifests.CONFIG_DIR + "/" + file + ".$ID " + Manifests.DATA_DIR + "/" + file,
        "exec sh \"$ROCKETMQ_HOME/bin/" + command + "\" -c " + Manifests.DATA_DIR + "/" + file);
  }

  @Override
  public LocalLaunch launch(Topology t, Instance i, String directory) {
    String host = t.host(i);
    SortedMap<String, String> files = files(t, i, directory, LOCAL_COMMIT_LOG);
    String file = files.firstKey();
    List<String> jvm =
        new ArrayList<>(
            List.of(
                "-Xms64m",
                i.role().equals(MASTER) || i.role().equals(SLAVE) ? "-Xmx384m" : "-Xmx192m",
                "-XX:+UseSerialGC",
                // the controllers' Hessian serialiser reflects into java.lang
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Duser.home=" + directory,
                "-Drocketmq.home.dir=" + directory));
    String mainClass;
    List<Endpoint> endpoints = new ArrayList<>();
    Readiness ready;
    switch (i.role()) {
      case NAMESERVER -> {
        mainClass = "org.apache.rocketmq.namesrv.NamesrvStartup";
        endpoints.add(new Endpoint("namesrv", host, NAMESRV_PORT));
        List<Readiness> checks = new ArrayList<>();
        checks.add(new Readiness.TcpConnect(host, NAMESRV_PORT));
        checks.add(new Readiness.LogLine("The Name Server boot success"));
        if (controllerInNamesrv(t.middleware())) {
          endpoints.add(new Endpoint("controller", host, CONTROLLER_PORT));
          checks.add(new Readiness.TcpConnect(host, CONTROLLER_PORT));
          checks.add(new Readiness.LogLine("The ControllerManager boot success"));
        }
        ready = new Readiness.AllOf(checks);
      }
      case CONTROLLER -> {
        mainClass = "org.apache.rocketmq.controller.ControllerStartup";
        endpoints.add(new Endpoint("controller", host, CONTROLLER_PORT));
        ready =
            new Readiness.AllOf(
                List.of(
                    new Readiness.TcpConnect(host, CONTROLLER_PORT),
                    new Readiness.LogLine("The Controller Server boot success")));
      }
      default -> {
        mainClass = BROKER_MAIN;
        endpoints.add(new Endpoint("fast", host, FAST_PORT));
        endpoints.add(new Endpoint("broker", host, BROKER_PORT));
        endpoints.add(new Endpoint("ha", host, HA_PORT));
        ready =
            new Readiness.AllOf(
                List.of(
                    new Readiness.TcpConnect(host, BROKER_PORT),
                    new Readiness.LogLine("The broker\\[.*boot success")));
      }
    }
    return new LocalLaunch(
        new LocalLaunch.Program.Jvm("rocketmq", mainClass, jvm),
        List.of("-c", directory + "/" + file),
        Map.of(),
        files,
        new TreeMap<>(),
        endpoints,
        ready,
        Duration.ofSeconds(180));
  }
}
