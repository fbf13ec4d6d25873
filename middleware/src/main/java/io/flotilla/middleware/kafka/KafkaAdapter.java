package io.flotilla.middleware.kafka;

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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Kafka in KRaft mode across clusters, with a dynamic controller quorum (KIP-853). Every node's
 * {@code node.id} is its instance id, unique across clusters and roles; every node finds the quorum
 * through {@code controller.quorum.bootstrap.servers}, which names every voter of every cluster;
 * {@code broker.rack} is the node's cluster, so replicas of a partition spread over clusters;
 * topics default to replication factor 3 with {@code min.insync.replicas=2}, and unclean leader
 * election is off, so acks=all writes survive the loss of a cluster.
 *
 * <p>Storage is formatted once, on a node's first start, with a cluster id derived from the
 * resource's namespace and name. The setting {@value #QUORUM} says whether the voters found a new
 * quorum ({@value #NEW_QUORUM}, the default: {@code --initial-controllers} names every voter, each
 * with a directory id derived from the cluster id and its node id) or the quorum already runs
 * ({@value #EXISTING_QUORUM}: a node formatted from then on, such as a replacement with a fresh id,
 * joins as an observer with {@code --no-initial-controllers}, and the membership operations make it
 * a voter). It is to be set to {@value #EXISTING_QUORUM} once the quorum has formed, so that a
 * founding voter that lost its disk never founds a second quorum with its old directory id.
 */
public final class KafkaAdapter implements MiddlewareAdapter {
  public static final String CONTROLLER = "controller";
  public static final String BROKER = "broker";
  public static final String COMBINED = "combined";

  public static final int BROKER_PORT = 9092;
  public static final int CONTROLLER_PORT = 9093;

  /** The listener names in server.properties. */
  public static final String BROKER_LISTENER = "PLAINTEXT";

  public static final String CONTROLLER_LISTENER = "CONTROLLER";

  /** The setting that says whether the quorum is to be founded or already runs. */
  public static final String QUORUM = "quorum";

  public static final String NEW_QUORUM = "new";
  public static final String EXISTING_QUORUM = "existing";

  public static final int REPLICATION_FACTOR = 3;
  public static final int MIN_INSYNC_REPLICAS = 2;

  /** How long a starting broker waits to register with the controllers before it gives up. */
  static final int BROKER_REGISTRATION_TIMEOUT_MS = 300_000;

  private static final String DATA = Manifests.DATA_DIR + "/kafka";

  @Override
  public MiddlewareType type() {
    return MiddlewareType.KAFKA;
  }

  @Override
  public List<Finding> check(Middleware mw) {
    List<Finding> out = new ArrayList<>();
    List<ReplicaRequirement> roles = mw.spec().replicaRequirements();
    int voters = 0;
    int brokers = 0;
    for (int i = 0; i < roles.size(); i++) {
      ReplicaRequirement r = roles.get(i);
      String path = "spec.replicaRequirements[" + i + "]";
      switch (r.role()) {
        case CONTROLLER -> voters += r.replicas();
        case BROKER -> brokers += r.replicas();
        case COMBINED -> {
          voters += r.replicas();
          brokers += r.replicas();
        }
        default ->
            out.add(
                Finding.error(
                    path + ".role",
                    "kafka has no role "
                        + r.role()
                        + "; its roles are "
                        + MiddlewareType.KAFKA.roleNames()));
      }
      if (r.shard().isPresent()) {
        out.add(
            Finding.error(
                path + ".shard", "kafka has no shards: Kafka spreads partitions over brokers"));
      }
    }
    String quorum = mw.spec().settings().getOrDefault(QUORUM, NEW_QUORUM);
    if (!quorum.equals(NEW_QUORUM) && !quorum.equals(EXISTING_QUORUM)) {
      out.add(
          Finding.error(
              "spec.settings." + QUORUM,
              "kafka's quorum is "
                  + NEW_QUORUM
                  + " (the voters found it) or "
                  + EXISTING_QUORUM
                  + " (new nodes join it), got "
                  + quorum));
    }
    if (voters == 0) {
      out.add(
          Finding.error(
              "spec.replicaRequirements",
              "kafka needs controllers: a controller or combined role with replicas (the KRaft"
                  + " quorum's voters)"));
    } else if (voters < 3) {
      out.add(
          Finding.warning(
              "spec.replicaRequirements",
              voters
                  + (voters == 1 ? " controller voter" : " controller voters")
                  + " cannot survive the loss of a cluster: 3 or more spread over 3 clusters can"));
    } else if (voters % 2 == 0) {
      out.add(
          Finding.warning(
              "spec.replicaRequirements",
              voters
                  + " controller voters tolerate no more failures than "
                  + (voters - 1)
                  + ": an odd number of voters is better"));
    }
    if (brokers == 0) {
      out.add(
          Finding.error(
              "spec.replicaRequirements",
              "kafka needs brokers: a broker or combined role with replicas (nothing would"
                  + " serve clients)"));
    } else if (brokers < REPLICATION_FACTOR) {
      out.add(
          Finding.warning(
              "spec.replicaRequirements",
              brokers
                  + (brokers == 1 ? " broker" : " brokers")
                  + " cannot hold replication factor "
                  + REPLICATION_FACTOR
                  + " with min.insync.replicas "
                  + MIN_INSYNC_REPLICAS
                  + ": 3 or more brokers spread over 3 clusters can"));
    }
    return out;
  }

  private static boolean isVoter(Instance i) {
    return i.role().equals(CONTROLLER) || i.role().equals(COMBINED);
  }

  private static boolean isBroker(Instance i) {
    return i.role().equals(BROKER) || i.role().equals(COMBINED);
  }

  /** Every voter of every cluster, {@code host:9093}: where every node finds the quorum. */
  public static String bootstrapServers(Topology t) {
    return t.instances().stream()
        .filter(KafkaAdapter::isVoter)
        .map(i -> t.host(i) + ":" + CONTROLLER_PORT)
        .collect(Collectors.joining(","));
  }

  /** Every broker of every cluster, {@code host:9092}: where clients start. */
  public static String brokerServers(Topology t) {
    return t.instances().stream()
        .filter(KafkaAdapter::isBroker)
        .map(i -> t.host(i) + ":" + BROKER_PORT)
        .collect(Collectors.joining(","));
  }

  /**
   * The KRaft cluster id: a Kafka UUID (base64url of 16 bytes) derived from the resource's
   * namespace and name, so every node of every cluster formats with the same one.
   */
  public static String clusterId(Middleware mw) {
    return uuid("flotilla/kafka/" + mw.metadata().namespace().orElse("default") + "/" + mw.name());
  }

  /** The metadata directory id of a founding voter, derived from the cluster id and its node id. */
  public static String directoryId(String clusterId, int nodeId) {
    return uuid(clusterId + "/directory/" + nodeId);
  }

  /**
   * A Kafka UUID from the first 16 bytes of the text's SHA-256, rendered as Kafka does (base64url
   * without padding). Its first bit is cleared, as Kafka's random UUIDs are, so that it never
   * starts with '-' (which a command line would take for an option).
   */
  static String uuid(String seed) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      byte[] bytes = Arrays.copyOf(hash, 16);
      bytes[0] &= 0x7f;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** {@code --initial-controllers}: {@code id@host:9093:directory-id} for every voter. */
  static String initialControllers(Topology t) {
    String cluster = clusterId(t.middleware());
    return t.instances().stream()
        .filter(KafkaAdapter::isVoter)
        .map(
            i ->
                i.id()
                    + "@"
                    + t.host(i)
                    + ":"
                    + CONTROLLER_PORT
                    + ":"
                    + directoryId(cluster, i.id()))
        .collect(Collectors.joining(","));
  }

  /**
   * {@code kafka-storage format}'s options for a node's first start: the cluster id and, for a
   * controller, how it meets the quorum (founds it with every voter, or joins it as an observer).
   */
  public static List<String> formatOptions(Topology t, Instance i) {
    List<String> options = new ArrayList<>(List.of("--cluster-id", clusterId(t.middleware())));
    if (isVoter(i)) {
      if (t.middleware()
          .spec()
          .settings()
          .getOrDefault(QUORUM, NEW_QUORUM)
          .equals(EXISTING_QUORUM)) {
        options.add("--no-initial-controllers");
      } else {
        options.add("--initial-controllers");
        options.add(initialControllers(t));
      }
    }
    return options;
  }

  /** The node's server.properties, with its data under {@code dataDir}. */
  static String serverProperties(Topology t, Instance i, String dataDir) {
    Middleware mw = t.middleware();
    String host = t.host(i);
    List<String> listeners = new ArrayList<>();
    List<String> roles = new ArrayList<>();
    if (isBroker(i)) {
      roles.add("broker");
      listeners.add(BROKER_LISTENER + "://" + host + ":" + BROKER_PORT);
    }
    if (isVoter(i)) {
      roles.add("controller");
      listeners.add(CONTROLLER_LISTENER + "://" + host + ":" + CONTROLLER_PORT);
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        "# Kafka "
            + mw.metadata().namespace().orElse("default")
            + "/"
            + mw.name()
            + ": node "
            + i.id()
            + " ("
            + i.role()
            + ") in cluster "
            + i.cluster()
            + ", rendered by Flotilla");
    lines.add("process.roles=" + String.join(",", roles));
    lines.add("node.id=" + i.id());
    lines.add("controller.quorum.bootstrap.servers=" + bootstrapServers(t));
    lines.add("controller.quorum.auto.join.enable=false");
    lines.add("controller.listener.names=" + CONTROLLER_LISTENER);
    lines.add("listeners=" + String.join(",", listeners));
    lines.add("advertised.listeners=" + String.join(",", listeners));
    lines.add(
        "listener.security.protocol.map="
            + CONTROLLER_LISTENER
            + ":PLAINTEXT,"
            + BROKER_LISTENER
            + ":PLAINTEXT");
    if (isBroker(i)) {
      lines.add("inter.broker.listener.name=" + BROKER_LISTENER);
      lines.add("broker.rack=" + i.cluster());
      // controllers in other clusters may come up minutes later; a broker that gives up after
      // Kafka's default 60 s only restarts and waits again
      lines.add("initial.broker.registration.timeout.ms=" + BROKER_REGISTRATION_TIMEOUT_MS);
    }
    lines.add("log.dirs=" + dataDir);
    if (isVoter(i)) {
      // the controllers apply topic defaults (Kafka 4.4 warns when a broker alone sets it)
      lines.add("default.replication.factor=" + REPLICATION_FACTOR);
    }
    lines.add("min.insync.replicas=" + MIN_INSYNC_REPLICAS);
    lines.add("offsets.topic.replication.factor=" + REPLICATION_FACTOR);
    lines.add("transaction.state.log.replication.factor=" + REPLICATION_FACTOR);
    lines.add("transaction.state.log.min.isr=" + MIN_INSYNC_REPLICAS);
    lines.add("unclean.leader.election.enable=false");
    lines.add("auto.create.topics.enable=false");
    return String.join("\n", lines) + "\n";
  }

  @Override
  public SortedMap<String, String> files(Topology t, Instance i) {
    SortedMap<String, String> files = new TreeMap<>();
    files.put("server.properties", serverProperties(t, i, DATA));
    files.put("format-options", String.join(" ", formatOptions(t, i)) + "\n");
    return files;
  }

  private static List<Manifests.Port> ports(String role) {
    List<Manifests.Port> ports = new ArrayList<>();
    if (!role.equals(CONTROLLER)) {
      ports.add(new Manifests.Port("broker", BROKER_PORT));
    }
    if (!role.equals(BROKER)) {
      ports.add(new Manifests.Port("controller", CONTROLLER_PORT));
    }
    return ports;
  }

  @Override
  public SortedMap<String, List<KubeObject>> render(Topology t) {
    Middleware mw = t.middleware();
    SortedMap<String, List<KubeObject>> out = new TreeMap<>();
    List<Manifests.Port> servicePorts =
        List.of(
            new Manifests.Port("broker", BROKER_PORT),
            new Manifests.Port("controller", CONTROLLER_PORT));
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
        int probePort = role.role().equals(CONTROLLER) ? CONTROLLER_PORT : BROKER_PORT;
        objects.add(
            Manifests.statefulSet(
                mw,
                role,
                cluster,
                share.get(0).id(),
                share.size(),
                new Manifests.Container(
                    "docker.io/apache/kafka:" + mw.spec().version().orElse("4.4.0"),
                    startScript(),
                    ports(role.role()),
                    heap(role),
                    Manifests.tcpProbe(probePort),
                    false),
                mw.spec().settings().getOrDefault("storage", "10Gi")));
      }
      out.put(cluster, objects);
    }
    return out;
  }

  /**
   * {@code KAFKA_HEAP_OPTS} for half the role's memory (its limit, else its request; at least 128
   * MiB), leaving the rest to the page cache Kafka relies on; Kafka's own 1 GiB default when the
   * spec gives no memory.
   */
  static Map<String, String> heap(ReplicaRequirement role) {
    Optional<Quantity> memory =
        role.resourceRequest()
            .limits()
            .get(ResourceList.MEMORY)
            .or(() -> role.resourceRequest().requests().get(ResourceList.MEMORY));
    if (memory.isEmpty()) {
      return Map.of();
    }
    long mib =
        Math.max(
            128, memory.get().valueCeil().divide(BigInteger.valueOf(2L * 1024 * 1024)).longValue());
    return Map.of("KAFKA_HEAP_OPTS", "-Xms" + mib + "m -Xmx" + mib + "m");
  }

  /**
   * The container's start: this pod's files by its ordinal (its id). Storage is formatted only when
   * it holds no {@code meta.properties} yet, that is on the pod's first start.
   */
  private static String startScript() {
    return String.join(
        "\n",
        "set -e",
        "ID=${POD_NAME##*-}",
        "C=" + Manifests.CONFIG_DIR,
        "mkdir -p " + DATA,
        "if [ ! -f " + DATA + "/meta.properties ]; then",
        "  /opt/kafka/bin/kafka-storage.sh format --config $C/server.properties.$ID"
            + " $(cat $C/format-options.$ID)",
        "fi",
        "exec /opt/kafka/bin/kafka-server-start.sh $C/server.properties.$ID");
  }

  @Override
  public LocalLaunch launch(Topology t, Instance i, String directory) {
    String host = t.host(i);
    SortedMap<String, String> files = new TreeMap<>();
    files.put("server.properties", serverProperties(t, i, directory + "/data"));
    List<String> args = new ArrayList<>(List.of("--config", directory + "/server.properties"));
    args.addAll(formatOptions(t, i));
    List<Endpoint> endpoints = new ArrayList<>();
    if (isBroker(i)) {
      endpoints.add(new Endpoint("broker", host, BROKER_PORT));
    }
    if (isVoter(i)) {
      endpoints.add(new Endpoint("controller", host, CONTROLLER_PORT));
    }
    // a broker opens its listener only once it has caught up and been unfenced
    Readiness ready =
        isBroker(i)
            ? new Readiness.TcpConnect(host, BROKER_PORT)
            : new Readiness.TcpConnect(host, CONTROLLER_PORT);
    return new LocalLaunch(
        new LocalLaunch.Program.Jvm(
            "kafka",
            "io.flotilla.servers.kafka.KafkaNode",
            List.of(
                "-Xms64m",
                isBroker(i) ? "-Xmx384m" : "-Xmx256m",
                "-XX:+UseSerialGC",
                "-Djava.awt.headless=true")),
        args,
        Map.of(),
        files,
        new TreeMap<>(),
        endpoints,
        ready,
        Duration.ofSeconds(180));
  }
}
