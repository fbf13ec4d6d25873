package io.flotilla.controller;

import io.flotilla.api.Condition;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.Placement;
import io.flotilla.api.ShardPlacement;
import io.flotilla.middleware.BaseIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the controller records in a Middleware's {@code status}: the whole of its memory, so that a
 * restarted controller (or a standby that took over) carries on where the last one stopped.
 *
 * @param observedGeneration the spec generation the placement was made for
 * @param placement where every replica is to be (the scheduler's decision)
 * @param shards where each shard's primary and replicas are to be
 * @param ids the id blocks of every share, and the next id never given out
 * @param running what the middleware's membership holds now: the placement of the last completed
 *     membership change (the topology the membership operations start from)
 * @param runningShardIds the ids of each running shard's members (primary first), so that a
 *     surviving member keeps its shard in the next topology
 * @param lost clusters lost (NotReady) with a share in {@code running}, by name, since when
 * @param fenced clusters whose stale instances were deleted after they came back, by name, since
 *     when they were Ready again
 * @param clusters one row per cluster with a share, desired or running
 * @param conditions Scheduled, Propagated, Available, SurvivesClusterLoss, FailingOver
 */
public record MiddlewareStatus(
    long observedGeneration,
    Placement placement,
    List<ShardPlacement> shards,
    IdBlocks ids,
    Placement running,
    BaseIds runningBases,
    List<ShardPlacement> runningShards,
    SortedMap<Integer, List<Integer>> runningShardIds,
    SortedMap<String, Instant> lost,
    SortedMap<String, Instant> fenced,
    List<ClusterStatus> clusters,
    List<Condition> conditions) {
  public static final MiddlewareStatus EMPTY =
      new MiddlewareStatus(
          0,
          Placement.EMPTY,
          List.of(),
          IdBlocks.EMPTY,
          Placement.EMPTY,
          new BaseIds(Map.of()),
          List.of(),
          new TreeMap<>(),
          new TreeMap<>(),
          new TreeMap<>(),
          List.of(),
          List.of());

  public MiddlewareStatus {
    shards = List.copyOf(shards);
    runningShards = List.copyOf(runningShards);
    SortedMap<Integer, List<Integer>> members = new TreeMap<>();
    runningShardIds.forEach((k, v) -> members.put(k, List.copyOf(v)));
    runningShardIds = java.util.Collections.unmodifiableSortedMap(members);
    lost = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(lost));
    fenced = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(fenced));
    clusters = List.copyOf(clusters);
    conditions = List.copyOf(conditions);
  }

  /**
   * One cluster's share.
   *
   * @param instances role → count desired there
   * @param revision the revision of the share the placement wants
   * @param appliedRevision the revision its override carries now ("" when none)
   * @param ready the member reports the applied revision ready
   * @param message why it is not ready or failed, or ""
   */
  public record ClusterStatus(
      String name,
      SortedMap<String, Integer> instances,
      String revision,
      String appliedRevision,
      boolean ready,
      String message) {}

  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
  }

  public MiddlewareStatus with(
      Placement placement, List<ShardPlacement> shards, IdBlocks ids, long generation) {
    return new MiddlewareStatus(
        generation,
        placement,
        shards,
        ids,
        running,
        runningBases,
        runningShards,
        runningShardIds,
        lost,
        fenced,
        clusters,
        conditions);
  }

  public MiddlewareStatus withRunning(
      Placement running,
      BaseIds runningBases,
      List<ShardPlacement> runningShards,
      SortedMap<Integer, List<Integer>> runningShardIds) {
    return new MiddlewareStatus(
        observedGeneration,
        placement,
        shards,
        ids,
        running,
        runningBases,
        runningShards,
        runningShardIds,
        lost,
        fenced,
        clusters,
        conditions);
  }

  public MiddlewareStatus withLost(
      SortedMap<String, Instant> lost, SortedMap<String, Instant> fenced) {
    return new MiddlewareStatus(
        observedGeneration,
        placement,
        shards,
        ids,
        running,
        runningBases,
        runningShards,
        runningShardIds,
        lost,
        fenced,
        clusters,
        conditions);
  }

  public MiddlewareStatus withClusters(List<ClusterStatus> clusters) {
    return new MiddlewareStatus(
        observedGeneration,
        placement,
        shards,
        ids,
        running,
        runningBases,
        runningShards,
        runningShardIds,
        lost,
        fenced,
        clusters,
        conditions);
  }

  /** With a condition set; its transition time moves only when its status changes. */
  public MiddlewareStatus withCondition(
      String type, boolean status, String reason, String message, Instant now) {
    List<Condition> out = new ArrayList<>();
    ConditionStatus s = status ? ConditionStatus.True : ConditionStatus.False;
    boolean found = false;
    for (Condition c : conditions) {
      if (c.type().equals(type)) {
        found = true;
        Optional<Instant> since = c.status() == s ? c.lastTransitionTime() : Optional.of(now);
        out.add(new Condition(type, s, reason, message, since, Optional.empty()));
      } else {
        out.add(c);
      }
    }
    if (!found) {
      out.add(new Condition(type, s, reason, message, Optional.of(now), Optional.empty()));
    }
    return new MiddlewareStatus(
        observedGeneration,
        placement,
        shards,
        ids,
        running,
        runningBases,
        runningShards,
        runningShardIds,
        lost,
        fenced,
        clusters,
        out);
  }

  // --- JSON ---

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  public ObjectNode toJson() {
    ObjectNode o = F.objectNode();
    o.put("observedGeneration", observedGeneration);
    o.set("placement", placementJson(placement));
    ObjectNode bases = o.putObject("baseIds");
    ids.blocks()
        .forEach(
            (role, byCluster) -> {
              ObjectNode r = F.objectNode();
              byCluster.forEach(
                  (cluster, b) -> {
                    if (placement.count(role, cluster) > 0) {
                      r.put(cluster, b.start());
                    }
                  });
              if (!r.isEmpty()) {
                bases.set(role, r);
              }
            });
    o.set("shards", shardsJson(shards));
    o.set("runningShards", shardsJson(runningShards));
    ObjectNode shardIds = o.putObject("runningShardIds");
    runningShardIds.forEach(
        (shard, members) -> {
          ArrayNode a = shardIds.putArray(Integer.toString(shard));
          members.forEach(a::add);
        });
    ObjectNode idBlocks = o.putObject("idBlocks");
    ids.blocks()
        .forEach(
            (role, byCluster) -> {
              ObjectNode r = idBlocks.putObject(role);
              byCluster.forEach(
                  (cluster, b) ->
                      r.putObject(cluster)
                          .put("start", b.start())
                          .put("size", b.size())
                          .put("used", b.used()));
            });
    o.put("nextId", ids.nextId());
    o.set("running", placementJson(running));
    ObjectNode rb = o.putObject("runningBaseIds");
    runningBases
        .bases()
        .forEach(
            (role, byCluster) -> {
              ObjectNode r = rb.putObject(role);
              byCluster.forEach(r::put);
            });
    o.set("lostClusters", times(lost));
    o.set("fencedClusters", times(fenced));
    ArrayNode cs = o.putArray("clusters");
    for (ClusterStatus c : clusters) {
      ObjectNode n = cs.addObject().put("name", c.name());
      ObjectNode inst = n.putObject("instances");
      c.instances().forEach(inst::put);
      n.put("revision", c.revision());
      n.put("appliedRevision", c.appliedRevision());
      n.put("ready", c.ready());
      n.put("message", c.message());
    }
    ArrayNode conds = o.putArray("conditions");
    for (Condition c : conditions) {
      ObjectNode n =
          conds
              .addObject()
              .put("type", c.type())
              .put("status", c.status().name())
              .put("reason", c.reason())
              .put("message", c.message());
      c.lastTransitionTime().ifPresent(t -> n.put("lastTransitionTime", t.toString()));
    }
    return o;
  }

  private static ArrayNode shardsJson(List<ShardPlacement> shards) {
    ArrayNode sh = F.arrayNode();
    for (ShardPlacement s : shards) {
      ObjectNode n = sh.addObject().put("shard", s.shard()).put("primary", s.primary());
      ArrayNode reps = n.putArray("replicas");
      s.replicas().forEach(reps::add);
    }
    return sh;
  }

  private static List<ShardPlacement> readShards(JsonNode a) {
    List<ShardPlacement> shards = new ArrayList<>();
    for (JsonNode s : a) {
      List<String> reps = new ArrayList<>();
      s.path("replicas").forEach(r -> reps.add(r.asString()));
      shards.add(new ShardPlacement(s.path("shard").asInt(), s.path("primary").asString(), reps));
    }
    return shards;
  }

  private static ObjectNode placementJson(Placement p) {
    ObjectNode o = F.objectNode();
    p.roles()
        .forEach(
            (role, byCluster) -> {
              ObjectNode r = o.putObject(role);
              byCluster.forEach(r::put);
            });
    return o;
  }

  private static ObjectNode times(SortedMap<String, Instant> m) {
    ObjectNode o = F.objectNode();
    m.forEach((k, v) -> o.put(k, v.toString()));
    return o;
  }

  /** Reads what {@link #toJson} wrote; anything missing or malformed reads as empty. */
  public static MiddlewareStatus fromJson(JsonNode o) {
    if (o == null || !o.isObject() || o.isEmpty()) {
      return EMPTY;
    }
    Map<String, SortedMap<String, IdBlocks.Block>> blocks = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> role : o.path("idBlocks").properties()) {
      SortedMap<String, IdBlocks.Block> byCluster = new TreeMap<>();
      for (Map.Entry<String, JsonNode> c : role.getValue().properties()) {
        JsonNode b = c.getValue();
        byCluster.put(
            c.getKey(),
            new IdBlocks.Block(
                b.path("start").asInt(), b.path("size").asInt(), b.path("used").asInt()));
      }
      blocks.put(role.getKey(), byCluster);
    }
    List<ShardPlacement> shards = readShards(o.path("shards"));
    List<ClusterStatus> clusters = new ArrayList<>();
    for (JsonNode c : o.path("clusters")) {
      SortedMap<String, Integer> inst = new TreeMap<>();
      c.path("instances").properties().forEach(e -> inst.put(e.getKey(), e.getValue().asInt()));
      clusters.add(
          new ClusterStatus(
              c.path("name").asString(),
              inst,
              c.path("revision").asString(""),
              c.path("appliedRevision").asString(""),
              c.path("ready").asBoolean(false),
              c.path("message").asString("")));
    }
    List<Condition> conditions = new ArrayList<>();
    for (JsonNode c : o.path("conditions")) {
      conditions.add(
          new Condition(
              c.path("type").asString(),
              ConditionStatus.valueOf(c.path("status").asString("Unknown")),
              c.path("reason").asString(""),
              c.path("message").asString(""),
              c.has("lastTransitionTime")
                  ? Optional.of(Instant.parse(c.path("lastTransitionTime").asString()))
                  : Optional.empty(),
              Optional.empty()));
    }
    return new MiddlewareStatus(
        o.path("observedGeneration").asLong(0),
        placement(o.path("placement")),
        shards,
        new IdBlocks(blocks, Math.max(1, o.path("nextId").asInt(1))),
        placement(o.path("running")),
        bases(o.path("runningBaseIds")),
        readShards(o.path("runningShards")),
        readShardIds(o.path("runningShardIds")),
        readTimes(o.path("lostClusters")),
        readTimes(o.path("fencedClusters")),
        clusters,
        conditions);
  }

  private static SortedMap<Integer, List<Integer>> readShardIds(JsonNode o) {
    SortedMap<Integer, List<Integer>> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      try {
        List<Integer> ids = new ArrayList<>();
        e.getValue().forEach(id -> ids.add(id.asInt()));
        out.put(Integer.parseInt(e.getKey()), ids);
      } catch (NumberFormatException malformed) {
        // a malformed entry reads as missing: its shard's members are assigned afresh
      }
    }
    return out;
  }

  private static Placement placement(JsonNode o) {
    Placement.Builder b = Placement.builder();
    for (Map.Entry<String, JsonNode> role : o.properties()) {
      for (Map.Entry<String, JsonNode> c : role.getValue().properties()) {
        b.put(role.getKey(), c.getKey(), c.getValue().asInt());
      }
    }
    return b.build();
  }

  private static BaseIds bases(JsonNode o) {
    Map<String, SortedMap<String, Integer>> m = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> role : o.properties()) {
      SortedMap<String, Integer> byCluster = new TreeMap<>();
      role.getValue().properties().forEach(e -> byCluster.put(e.getKey(), e.getValue().asInt()));
      m.put(role.getKey(), byCluster);
    }
    return new BaseIds(m);
  }

  private static SortedMap<String, Instant> readTimes(JsonNode o) {
    SortedMap<String, Instant> m = new TreeMap<>();
    o.properties().forEach(e -> m.put(e.getKey(), Instant.parse(e.getValue().asString())));
    return m;
  }
}
