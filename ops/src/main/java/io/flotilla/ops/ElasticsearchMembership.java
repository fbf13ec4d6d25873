package io.flotilla.ops;

import io.flotilla.api.Middleware;
import io.flotilla.middleware.elasticsearch.ElasticsearchAdapter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Elasticsearch's (here OpenSearch's) membership through its REST API, the same in both: the voting
 * configuration (exclude lost master-eligible nodes so the remaining ones can commit a smaller
 * configuration, clear the exclusions once replacements have joined), the index replicas the
 * adapter asks for ({@link ElasticsearchAdapter#replicasTemplate}), the re-allocation of lost
 * replicas, and the wait until every shard is green with its copies spread over the member clusters
 * by the awareness attribute. Every call goes to one live node's HTTP address; failures name the
 * middleware, the operation, the node asked and the reason (the HTTP status and body).
 */
public final class ElasticsearchMembership {
  private static final String MIDDLEWARE = "elasticsearch";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String DELAY = "index.unassigned.node_left.delayed_timeout";
  private static final int MAX_BODY = 1000;

  /** The node name Elasticsearch records for an exclusion by id. */
  private static final String ABSENT = "_absent_";

  private final HttpClient http;
  private final Duration requestTimeout;

  public ElasticsearchMembership() {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  public ElasticsearchMembership(HttpClient http) {
    this.http = http;
    this.requestTimeout = Duration.ofSeconds(90);
  }

  /** A node in the cluster: its id, name, member cluster (the zone attribute) and roles. */
  public record Node(String id, String name, String zone, List<String> roles) {}

  /**
   * The committed voting configuration: its voters by node name (by id when the node is no longer
   * in the cluster), sorted, and the nodes excluded from voting, by name (by id when excluded by
   * id).
   */
  public record VotingConfiguration(List<String> voters, List<String> excluded) {}

  /** One shard's copies: the member cluster (zone) of each assigned copy, sorted. */
  public record ShardCopies(String index, int shard, List<String> zones) {}

  /** The nodes in the cluster, by name. */
  public List<Node> nodes(URI node) {
    JsonNode nodes =
        call(
                "nodes",
                node,
                "GET",
                "/_nodes?filter_path=nodes.*.name,nodes.*.attributes,nodes.*.roles",
                null)
            .path("nodes");
    List<Node> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : nodes.properties()) {
      List<String> roles = new ArrayList<>();
      e.getValue().path("roles").forEach(r -> roles.add(r.asString()));
      out.add(
          new Node(
              e.getKey(),
              e.getValue().path("name").asString(),
              e.getValue()
                  .path("attributes")
                  .path(ElasticsearchAdapter.ZONE_ATTRIBUTE)
                  .asString(""),
              List.copyOf(roles)));
    }
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return out;
  }

  /** The committed voting configuration and the exclusions. */
  public VotingConfiguration votingConfiguration(URI node) {
    Map<String, String> names = new HashMap<>();
    nodes(node).forEach(n -> names.put(n.id(), n.name()));
    JsonNode coordination = coordination(node);
    List<String> voters = new ArrayList<>();
    for (String id : committedVoterIds(coordination)) {
      voters.add(names.getOrDefault(id, id));
    }
    List<String> excluded = new ArrayList<>();
    for (JsonNode x : coordination.path("voting_config_exclusions")) {
      String name = x.path("node_name").asString();
      excluded.add(name.isEmpty() || name.equals(ABSENT) ? x.path("node_id").asString() : name);
    }
    voters.sort(null);
    excluded.sort(null);
    return new VotingConfiguration(List.copyOf(voters), List.copyOf(excluded));
  }

  private JsonNode coordination(URI node) {
    return call(
            "voting configuration",
            node,
            "GET",
            "/_cluster/state/metadata?filter_path=metadata.cluster_coordination",
            null)
        .path("metadata")
        .path("cluster_coordination");
  }

  private static List<String> committedVoterIds(JsonNode coordination) {
    List<String> ids = new ArrayList<>();
    coordination.path("last_committed_config").forEach(id -> ids.add(id.asString()));
    return ids;
  }

  /**
   * Excludes master-eligible nodes (lost ones, or ones about to leave) from the voting
   * configuration, waiting until the cluster has committed a configuration without them; a quorum
   * of the current configuration must be alive for that.
   *
   * <p>Exclusions work by node id: by name, Elasticsearch can only exclude a node still in the
   * cluster (for a departed one it records a name that no voter matches). A named node still in the
   * cluster is excluded by its id; named nodes that have left are matched with the voters that are
   * no longer in the cluster, which must then be exactly as many, else which is which is ambiguous
   * and the operation refuses (use {@link #excludeVoterIds}).
   *
   * @throws MembershipException naming the reason, and when the cluster refuses or times out
   */
  public VotingConfiguration excludeVoters(URI node, Collection<String> nodeNames) {
    if (nodeNames.isEmpty()) {
      throw new IllegalArgumentException("no node names to exclude from voting");
    }
    Map<String, String> idOf = new HashMap<>();
    Set<String> present = new HashSet<>();
    for (Node n : nodes(node)) {
      idOf.put(n.name(), n.id());
      present.add(n.id());
    }
    List<String> ids = new ArrayList<>();
    List<String> departed = new ArrayList<>();
    for (String name : new TreeSet<>(nodeNames)) {
      if (idOf.containsKey(name)) {
        ids.add(idOf.get(name));
      } else {
        departed.add(name);
      }
    }
    List<String> absentVoters =
        committedVoterIds(coordination(node)).stream().filter(id -> !present.contains(id)).toList();
    if (!departed.isEmpty() && !absentVoters.isEmpty()) {
      if (absentVoters.size() != departed.size()) {
        throw failure(
            "voting configuration exclusion of " + nodeNames,
            node,
            "cannot tell which of the voters no longer in the cluster "
                + absentVoters
                + " are the nodes "
                + departed
                + ": exclude them by id");
      }
      ids.addAll(absentVoters);
    }
    if (ids.isEmpty()) {
      return votingConfiguration(node);
    }
    return excludeVoterIds(node, ids);
  }

  /** Excludes voters by node id (see {@link #excludeVoters}). */
  public VotingConfiguration excludeVoterIds(URI node, Collection<String> nodeIds) {
    String ids =
        nodeIds.stream()
            .map(n -> URLEncoder.encode(n, StandardCharsets.UTF_8))
            .collect(Collectors.joining(","));
    call(
        "voting configuration exclusion of " + nodeIds,
        node,
        "POST",
        "/_cluster/voting_config_exclusions?node_ids=" + ids + "&timeout=60s",
        null);
    return votingConfiguration(node);
  }

  /**
   * Clears every voting exclusion, once the excluded nodes have left the cluster (lost nodes have),
   * so that replacements can become voters.
   */
  public void clearVotingExclusions(URI node) {
    call(
        "clearing the voting configuration exclusions",
        node,
        "DELETE",
        "/_cluster/voting_config_exclusions?wait_for_removal=true",
        null);
  }

  /**
   * Keeps the adapter's index replicas: applies the template {@value
   * ElasticsearchAdapter#REPLICAS_TEMPLATE} that gives every new index the spec's replicas, and
   * raises every existing index below them (hidden indices, system indices, whose names start with
   * a dot, and indices that expand their replicas automatically are left to their owners).
   *
   * @return the indices whose replicas were raised, sorted
   */
  public List<String> ensureReplicas(URI node, Middleware mw) {
    int replicas = ElasticsearchAdapter.replicas(mw);
    call(
        "index template " + ElasticsearchAdapter.REPLICAS_TEMPLATE,
        node,
        "PUT",
        "/_index_template/" + ElasticsearchAdapter.REPLICAS_TEMPLATE,
        ElasticsearchAdapter.replicasTemplate(mw).toString());
    JsonNode settings =
        call(
            "index replicas",
            node,
            "GET",
            "/*/_settings/index.number_of_replicas,index.auto_expand_replicas?flat_settings=true&allow_no_indices=true",
            null);
    List<String> raised = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : new TreeMap<>(toMap(settings)).entrySet()) {
      JsonNode s = e.getValue().path("settings");
      String autoExpand = s.path("index.auto_expand_replicas").asString("false");
      int current = Integer.parseInt(s.path("index.number_of_replicas").asString("1"));
      if (e.getKey().startsWith(".") || !autoExpand.equals("false") || current >= replicas) {
        continue;
      }
      call(
          "raising the replicas of index " + e.getKey(),
          node,
          "PUT",
          "/" + URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "/_settings",
          "{\"index.number_of_replicas\":" + replicas + "}");
      raised.add(e.getKey());
    }
    return List.copyOf(raised);
  }

  /**
   * Allocates the replicas a lost node held at once, instead of waiting out {@value #DELAY} (one
   * minute by default, meant for a node that restarts): once a node is known lost, waiting only
   * prolongs the time with fewer copies.
   */
  public void allocateLostReplicasNow(URI node) {
    call(
        "allocating lost replicas without delay",
        node,
        "PUT",
        "/*/_settings?allow_no_indices=true",
        "{\"" + DELAY + "\":\"0\"}");
  }

  /** Puts the allocation delay for nodes that leave back to Elasticsearch's default. */
  public void restoreAllocationDelay(URI node) {
    call(
        "restoring the allocation delay",
        node,
        "PUT",
        "/*/_settings?allow_no_indices=true",
        "{\"" + DELAY + "\":null}");
  }

  /**
   * Waits until the cluster has {@code nodes} nodes, is green with no shard initializing or
   * relocating, and every shard's copies are spread by the awareness attribute: no member cluster
   * holds more than its share, ⌈copies / clusters⌉, of a shard (with 3 clusters and 2 replicas, one
   * copy in each).
   *
   * @return every shard's copies
   * @throws MembershipException when that is not so within {@code timeout}, with the last state
   */
  public List<ShardCopies> awaitFullStrength(URI node, int nodes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (true) {
      long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L);
      Optional<JsonNode> health = health(node, nodes, Math.min(remaining, 30));
      if (health.isPresent() && !health.get().path("timed_out").asBoolean(true)) {
        List<ShardCopies> copies = shardCopies(node);
        Optional<String> unspread = unspread(copies, nodes(node));
        if (unspread.isEmpty()) {
          return copies;
        }
        last = unspread.get();
      } else if (health.isPresent()) {
        last = "health " + health.get();
      }
      if (System.nanoTime() >= deadline) {
        throw failure(
            "wait for full strength",
            node,
            "not green with "
                + nodes
                + " nodes and copies spread across clusters within "
                + timeout.toSeconds()
                + " s; last: "
                + last);
      }
      pause();
    }
  }

  private Optional<JsonNode> health(URI node, int nodes, long timeoutSeconds) {
    String path =
        "/_cluster/health?wait_for_status=green&wait_for_nodes="
            + nodes
            + "&wait_for_no_relocating_shards=true&wait_for_no_initializing_shards=true"
            + "&wait_for_events=languid&timeout="
            + timeoutSeconds
            + "s";
    try {
      HttpResponse<String> r =
          send(node, "GET", path, null, Duration.ofSeconds(timeoutSeconds + 30));
      // 408: the wait timed out; the body still says how the cluster is
      if (r.statusCode() == 200 || r.statusCode() == 408) {
        return Optional.of(JSON.readTree(r.body()));
      }
      return Optional.empty();
    } catch (IOException | JacksonException e) {
      return Optional.empty();
    }
  }

  /** The zones of every shard's assigned copies. */
  public List<ShardCopies> shardCopies(URI node) {
    Map<String, String> zoneOf = new HashMap<>();
    nodes(node).forEach(n -> zoneOf.put(n.name(), n.zone()));
    JsonNode shards =
        call("shards", node, "GET", "/_cat/shards?format=json&h=index,shard,node,state", null);
    Map<String, List<String>> byShard = new TreeMap<>();
    for (JsonNode s : shards) {
      String key = s.path("index").asString() + "/" + s.path("shard").asString();
      List<String> zones = byShard.computeIfAbsent(key, k -> new ArrayList<>());
      if (s.path("state").asString().equals("STARTED")) {
        zones.add(zoneOf.getOrDefault(s.path("node").asString(), "?"));
      }
    }
    List<ShardCopies> out = new ArrayList<>();
    byShard.forEach(
        (key, zones) -> {
          zones.sort(null);
          int slash = key.lastIndexOf('/');
          out.add(
              new ShardCopies(
                  key.substring(0, slash),
                  Integer.parseInt(key.substring(slash + 1)),
                  List.copyOf(zones)));
        });
    return out;
  }

  /** Which shard, if any, has more copies in one zone than awareness allows. */
  static Optional<String> unspread(List<ShardCopies> copies, List<Node> nodes) {
    long zones =
        nodes.stream().filter(n -> n.roles().contains("data")).map(Node::zone).distinct().count();
    for (ShardCopies c : copies) {
      long share = zones == 0 ? c.zones().size() : (c.zones().size() + zones - 1) / zones;
      Map<String, Long> perZone =
          c.zones().stream()
              .collect(Collectors.groupingBy(z -> z, TreeMap::new, Collectors.counting()));
      if (perZone.values().stream().anyMatch(n -> n > share)) {
        return Optional.of(
            "shard " + c.index() + "/" + c.shard() + " has its copies in zones " + c.zones());
      }
    }
    return Optional.empty();
  }

  /** A failure naming the middleware, the operation with the node asked, and the reason. */
  private static MembershipException failure(String operation, URI node, String reason) {
    return new MembershipException(MIDDLEWARE, operation + " on " + node, reason);
  }

  private static MembershipException failure(
      String operation, URI node, String reason, Throwable cause) {
    return new MembershipException(MIDDLEWARE, operation + " on " + node, reason, cause);
  }

  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for elasticsearch", e);
    }
  }

  private static Map<String, JsonNode> toMap(JsonNode object) {
    Map<String, JsonNode> out = new HashMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** One request that must answer 2xx with JSON (or nothing). */
  private JsonNode call(String operation, URI node, String method, String path, String body) {
    HttpResponse<String> r;
    try {
      r = send(node, method, path, body, requestTimeout);
    } catch (IOException e) {
      throw failure(
          operation,
          node,
          method + " " + path + ": " + e.getClass().getSimpleName() + " " + e.getMessage(),
          e);
    }
    if (r.statusCode() / 100 != 2) {
      throw failure(
          operation,
          node,
          method + " " + path + " answered HTTP " + r.statusCode() + ": " + abbreviate(r.body()));
    }
    try {
      return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (JacksonException e) {
      throw failure(
          operation, node, method + " " + path + " answered no JSON: " + abbreviate(r.body()), e);
    }
  }

  private HttpResponse<String> send(
      URI node, String method, String path, String body, Duration timeout) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(node.resolve(path))
            .timeout(timeout)
            .header("Accept", "application/json");
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String abbreviate(String body) {
    String s = body.strip();
    return s.length() <= MAX_BODY ? s : s.substring(0, MAX_BODY) + "...";
  }
}
