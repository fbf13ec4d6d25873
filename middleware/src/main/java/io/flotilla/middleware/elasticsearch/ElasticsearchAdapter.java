package io.flotilla.middleware.elasticsearch;

import io.flotilla.api.KubeObject;
import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareSpec;
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
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Elasticsearch across clusters, run as OpenSearch (its Apache-licensed fork, embeddable from
 * Maven). All the nodes of every cluster form one Elasticsearch cluster: every node's {@code
 * discovery.seed_hosts} names every master-eligible node of every cluster, the master-eligible
 * nodes bootstrap the cluster together ({@code cluster.initial_master_nodes}, by node name = pod
 * name), and each node carries its member cluster as the awareness attribute {@value
 * #ZONE_ATTRIBUTE}, so Elasticsearch never puts two copies of a shard in one member cluster while
 * others are available.
 *
 * <p>Roles: {@value #MASTER} nodes are master-eligible (the voters), {@value #DATA} nodes hold
 * shards, {@value #INGEST} nodes run ingest pipelines, {@value #COORDINATING} nodes only route
 * requests ({@code node.roles: []}). A spec without data nodes makes its master-eligible nodes hold
 * data too, the usual shape of a small cluster (3 nodes, 1+1+1); a spec without ingest nodes makes
 * the nodes that hold data run ingest pipelines, as every node does by default.
 *
 * <p>Index replicas: the setting {@value #REPLICAS} (default {@value #DEFAULT_REPLICAS}) is the
 * number of replicas every index gets. Elasticsearch refuses index settings in the node
 * configuration, so it is enforced at the cluster, not in {@code opensearch.yml}: the membership
 * operations apply {@link #replicasTemplate} (a lowest-priority index template for every index) and
 * raise any existing index below it. Fewer than 1 is a warning: the loss of one member cluster then
 * loses the documents whose only copy was there.
 *
 * <p>Settings that Elasticsearch and OpenSearch name differently, with the choice made:
 *
 * <ul>
 *   <li>the master-eligible role: Elasticsearch's {@code master}, which OpenSearch 2 still accepts
 *       (deprecated in favour of {@code cluster_manager}, which Elasticsearch rejects);
 *   <li>the bootstrap voters: Elasticsearch's {@code cluster.initial_master_nodes}, which
 *       OpenSearch 2 still accepts (deprecated in favour of {@code
 *       cluster.initial_cluster_manager_nodes});
 *   <li>the REST API Flotilla uses (voting configuration exclusions by {@code node_names},
 *       composable index templates, cluster health, {@code master_node} of the cluster state) is
 *       the same in both.
 * </ul>
 *
 * <p>Not in the rendered configuration, on purpose: forced awareness ({@code
 * cluster.routing.allocation.awareness.force.*}), which would leave replicas unassigned while a
 * member cluster is lost instead of keeping as many copies as the remaining clusters can hold;
 * security (OpenSearch's security plugin is disabled in the container by its image's {@code
 * DISABLE_SECURITY_PLUGIN}; TLS and users are the deployment's to add). Kubernetes nodes need
 * {@code vm.max_map_count >= 262144}: Elasticsearch enforces its bootstrap checks on any
 * non-loopback address.
 */
public final class ElasticsearchAdapter implements MiddlewareAdapter {
  public static final String MASTER = "master";
  public static final String DATA = "data";
  public static final String INGEST = "ingest";
  public static final String COORDINATING = "coordinating";

  public static final int HTTP_PORT = 9200;
  public static final int TRANSPORT_PORT = 9300;

  /** The node attribute that holds the member cluster, and the awareness attribute. */
  public static final String ZONE_ATTRIBUTE = "zone";

  /** The setting: replicas of every index. */
  public static final String REPLICAS = "replicas";

  public static final int DEFAULT_REPLICAS = 1;

  /** The index template the membership operations keep, which gives every index its replicas. */
  public static final String REPLICAS_TEMPLATE = "flotilla-replicas";

  public static final String DEFAULT_VERSION = "2.19.6";

  private static final String CONFIG_FILE = "opensearch.yml";
  private static final String LOG_CONFIG_FILE = "log4j2.properties";
  private static final String IMAGE_HOME = "/usr/share/opensearch";

  /** The image runs OpenSearch as this group; the data volume must be writable by it. */
  private static final int IMAGE_GROUP = 1000;

  /** Logging to standard output only: the container's (or the local instance's) log. */
  static final String LOG_CONFIG =
      String.join(
          "\n",
          "status = error",
          "appender.console.type = Console",
          "appender.console.name = console",
          "appender.console.layout.type = PatternLayout",
          "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n",
          "rootLogger.level = info",
          "rootLogger.appenderRef.console.ref = console",
          "");

  @Override
  public MiddlewareType type() {
    return MiddlewareType.ELASTICSEARCH;
  }

  @Override
  public List<Finding> check(Middleware mw) {
    List<Finding> out = new ArrayList<>();
    List<ReplicaRequirement> roles = mw.spec().replicaRequirements();
    for (int i = 0; i < roles.size(); i++) {
      ReplicaRequirement r = roles.get(i);
      String path = "spec.replicaRequirements[" + i + "]";
      boolean known = MiddlewareType.ELASTICSEARCH.role(r.role()).isPresent();
      if (!known) {
        out.add(
            Finding.error(
                path + ".role",
                "\""
                    + r.role()
                    + "\" is not a role of elasticsearch; its roles are "
                    + MiddlewareType.ELASTICSEARCH.roleNames()));
      }
      if (r.shard().isPresent()) {
        out.add(
            Finding.error(
                path + ".shard",
                "elasticsearch nodes have no shards of their own: Elasticsearch places each"
                    + " index's shards and replicas itself (settings.replicas)"));
      }
      if (known && r.voter().isPresent() && r.voter().get() != r.role().equals(MASTER)) {
        out.add(
            Finding.error(
                path + ".voter", "in elasticsearch exactly the master-eligible nodes vote"));
      }
    }
    int masters = count(mw.spec(), MASTER);
    if (mw.spec().role(MASTER).isEmpty()) {
      out.add(
          Finding.error(
              "spec.replicaRequirements",
              "elasticsearch needs a master role: the master-eligible nodes, which elect the"
                  + " cluster's master"));
    } else if (masters == 0) {
      out.add(
          Finding.error(
              "spec.replicaRequirements", "elasticsearch needs at least one master-eligible node"));
    } else if (masters < 3) {
      out.add(
          Finding.warning(
              "spec.replicaRequirements",
              masters
                  + (masters == 1 ? " master-eligible node" : " master-eligible nodes")
                  + " cannot survive the loss of a cluster: 3 or more spread over 3 clusters can"));
    } else if (masters % 2 == 0) {
      out.add(
          Finding.warning(
              "spec.replicaRequirements",
              masters
                  + " master-eligible nodes tolerate no more failures than "
                  + (masters - 1)
                  + ": an odd number of voters is better"));
    }
    checkReplicas(mw.spec(), out);
    return out;
  }

  private static void checkReplicas(MiddlewareSpec spec, List<Finding> out) {
    String text = spec.settings().get(REPLICAS);
    if (text == null) {
      return;
    }
    String path = "spec.settings." + REPLICAS;
    int replicas;
    try {
      replicas = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      out.add(
          Finding.error(path, "must be a whole number of index replicas, got \"" + text + "\""));
      return;
    }
    if (replicas < 0) {
      out.add(Finding.error(path, "must be >= 0, got " + replicas));
    } else if (replicas == 0) {
      out.add(
          Finding.warning(
              path,
              "0 replicas keep one copy of each shard: the loss of its cluster loses the"
                  + " acknowledged documents there; 1 or more, spread by zone, do not"));
    } else {
      int holders = dataHolders(spec);
      if (holders > 0 && replicas + 1 > holders) {
        out.add(
            Finding.warning(
                path,
                replicas
                    + " replicas need "
                    + (replicas + 1)
                    + " nodes that hold data, the spec has "
                    + holders
                    + ": every index stays yellow"));
      }
    }
  }

  private static int count(MiddlewareSpec spec, String role) {
    return spec.role(role).map(ReplicaRequirement::replicas).orElse(0);
  }

  /** The nodes that hold data: the data nodes, or the master-eligible ones when there are none. */
  private static int dataHolders(MiddlewareSpec spec) {
    return count(spec, DATA) > 0 ? count(spec, DATA) : count(spec, MASTER);
  }

  /**
   * A role's {@code node.roles}, in Elasticsearch's names: master-eligible nodes also hold data
   * when the spec has no data nodes, and the nodes that hold data also ingest when it has no ingest
   * nodes.
   */
  public static List<String> nodeRoles(MiddlewareSpec spec, String role) {
    boolean dataNodes = count(spec, DATA) > 0;
    boolean ingestNodes = count(spec, INGEST) > 0;
    List<String> out = new ArrayList<>();
    switch (role) {
      case MASTER -> {
        out.add("master");
        if (!dataNodes) {
          out.add("data");
          if (!ingestNodes) {
            out.add("ingest");
          }
        }
      }
      case DATA -> {
        out.add("data");
        if (!ingestNodes) {
          out.add("ingest");
        }
      }
      case INGEST -> out.add("ingest");
      case COORDINATING -> {}
      default -> throw new IllegalArgumentException("elasticsearch has no role " + role);
    }
    return out;
  }

  /** The index replicas the spec asks for: the setting {@value #REPLICAS}, by default 1. */
  public static int replicas(Middleware mw) {
    String text = mw.spec().settings().get(REPLICAS);
    return text == null ? DEFAULT_REPLICAS : Integer.parseInt(text.strip());
  }

  /**
   * The body of the index template {@value #REPLICAS_TEMPLATE}: every index ({@code *}, at the
   * lowest priority, so an index's own template or settings still decide everything else) gets the
   * spec's replicas. A composable index template, the same in Elasticsearch 7.8+ and OpenSearch.
   */
  public static ObjectNode replicasTemplate(Middleware mw) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.putArray("index_patterns").add("*");
    t.put("priority", 0);
    t.putObject("template").putObject("settings").put("index.number_of_replicas", replicas(mw));
    return t;
  }

  /** The node's name in Elasticsearch: its pod's name. */
  public static String nodeName(Topology t, Instance i) {
    return i.podName(t.middleware().name());
  }

  /** One node's {@code opensearch.yml}, with its data under {@code dataPath}. */
  static String config(Topology t, Instance i, String dataPath) {
    Middleware mw = t.middleware();
    List<Instance> masters = t.role(MASTER);
    List<String> lines = new ArrayList<>();
    lines.add("cluster.name: " + quote(mw.name()));
    lines.add("node.name: " + quote(nodeName(t, i)));
    lines.add(
        "node.roles: ["
            + nodeRoles(mw.spec(), i.role()).stream()
                .map(ElasticsearchAdapter::quote)
                .collect(Collectors.joining(", "))
            + "]");
    lines.add("node.attr." + ZONE_ATTRIBUTE + ": " + quote(i.cluster()));
    lines.add("cluster.routing.allocation.awareness.attributes: " + ZONE_ATTRIBUTE);
    lines.add("network.host: " + quote(t.host(i)));
    lines.add("http.port: " + HTTP_PORT);
    lines.add("transport.port: " + TRANSPORT_PORT);
    lines.add("discovery.seed_hosts:");
    for (Instance m : masters) {
      lines.add("  - " + quote(t.host(m) + ":" + TRANSPORT_PORT));
    }
    if (i.role().equals(MASTER)) {
      lines.add("cluster.initial_master_nodes:");
      for (Instance m : masters) {
        lines.add("  - " + quote(nodeName(t, m)));
      }
    }
    lines.add("path.data: " + quote(dataPath));
    return String.join("\n", lines) + "\n";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public SortedMap<String, String> files(Topology t, Instance i) {
    SortedMap<String, String> files = new TreeMap<>();
    files.put(CONFIG_FILE, config(t, i, Manifests.DATA_DIR + "/opensearch"));
    files.put(LOG_CONFIG_FILE, LOG_CONFIG);
    return files;
  }

  @Override
  public SortedMap<String, List<KubeObject>> render(Topology t) {
    Middleware mw = t.middleware();
    SortedMap<String, List<KubeObject>> out = new TreeMap<>();
    List<Manifests.Port> ports =
        List.of(
            new Manifests.Port("http", HTTP_PORT), new Manifests.Port("transport", TRANSPORT_PORT));
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
        Map<String, String> env = new TreeMap<>();
        env.put("DISABLE_INSTALL_DEMO_CONFIG", "true");
        env.put("DISABLE_SECURITY_PLUGIN", "true");
        heapMiB(role)
            .ifPresent(h -> env.put("OPENSEARCH_JAVA_OPTS", "-Xms" + h + "m -Xmx" + h + "m"));
        KubeObject sts =
            Manifests.statefulSet(
                mw,
                role,
                cluster,
                share.get(0).id(),
                share.size(),
                new Manifests.Container(
                    "docker.io/opensearchproject/opensearch:"
                        + mw.spec().version().orElse(DEFAULT_VERSION),
                    startScript(),
                    ports,
                    env,
                    readinessProbe(),
                    false),
                mw.spec().settings().getOrDefault("storage", "10Gi"));
        objects.add(
            sts.edit(
                o ->
                    o.withObjectProperty("spec")
                        .withObjectProperty("template")
                        .withObjectProperty("spec")
                        .putObject("securityContext")
                        .put("fsGroup", IMAGE_GROUP)));
      }
      out.put(cluster, objects);
    }
    return out;
  }

  /**
   * Half the container's memory (its limit, else its request) for the heap, as Elasticsearch
   * advises, at most 31 GiB (compressed object pointers); none when the spec sets no memory (the
   * image's default).
   */
  static OptionalInt heapMiB(ReplicaRequirement role) {
    ResourceList limits = role.resourceRequest().limits();
    ResourceList requests = role.resourceRequest().requests();
    Optional<Quantity> memory =
        limits.get(ResourceList.MEMORY).or(() -> requests.get(ResourceList.MEMORY));
    if (memory.isEmpty()) {
      return OptionalInt.empty();
    }
    BigInteger half = memory.get().valueCeil().divide(BigInteger.valueOf(2L << 20));
    return OptionalInt.of(Math.max(1, half.min(BigInteger.valueOf(31 * 1024)).intValue()));
  }

  /** Ready when the node answers HTTP (so its name is published while the cluster forms). */
  private static ObjectNode readinessProbe() {
    ObjectNode probe = JsonNodeFactory.instance.objectNode();
    probe.putObject("httpGet").put("path", "/_cluster/health?local=true").put("port", HTTP_PORT);
    probe.put("periodSeconds", 5);
    probe.put("failureThreshold", 3);
    return probe;
  }

  /**
   * The container's start: this pod's configuration by its ordinal (its id) into the image's config
   * directory, then the image's own entry point.
   */
  private static String startScript() {
    return String.join(
        "\n",
        "set -e",
        "ID=${POD_NAME##*-}",
        "C=" + Manifests.CONFIG_DIR,
        "cp $C/" + CONFIG_FILE + ".$ID " + IMAGE_HOME + "/config/" + CONFIG_FILE,
        "cp $C/" + LOG_CONFIG_FILE + ".$ID " + IMAGE_HOME + "/config/" + LOG_CONFIG_FILE,
        "mkdir -p " + Manifests.DATA_DIR + "/opensearch",
        "exec " + IMAGE_HOME + "/opensearch-docker-entrypoint.sh");
  }

  /**
   * Runs the node as {@code io.flotilla.servers.opensearch.OpenSearchNode} from the {@code
   * opensearch} distribution: {@code <directory>/config/opensearch.yml}, data under {@code
   * <directory>/data}, its own temporary directory. Sandbox nodes are small and short-lived on
   * shared cores, so a quick start matters more than peak throughput: a small heap, the serial
   * collector and the client compiler only. Ready once the node knows an elected master, that is
   * once it has joined the cluster (the {@code master_node} of its local cluster state).
   */
  @Override
  public LocalLaunch launch(Topology t, Instance i, String directory) {
    String host = t.host(i);
    SortedMap<String, String> files = new TreeMap<>();
    files.put("config/" + CONFIG_FILE, config(t, i, directory + "/data"));
    files.put("config/" + LOG_CONFIG_FILE, LOG_CONFIG);
    return new LocalLaunch(
        new LocalLaunch.Program.Jvm(
            "opensearch",
            "io.flotilla.servers.opensearch.OpenSearchNode",
            List.of(
                "-Xms128m",
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + directory + "/tmp",
                "-Djna.nosys=true")),
        List.of(directory + "/config/" + CONFIG_FILE),
        Map.of(),
        files,
        new TreeMap<>(),
        List.of(
            new Endpoint("http", host, HTTP_PORT), new Endpoint("transport", host, TRANSPORT_PORT)),
        new Readiness.HttpOk(
            "http://" + host + ":" + HTTP_PORT + "/_cluster/state/master_node?local=true",
            "\"master_node\":\""),
        Duration.ofSeconds(180));
  }
}
