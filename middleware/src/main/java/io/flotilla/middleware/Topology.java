package io.flotilla.middleware;

import io.flotilla.api.Middleware;
import io.flotilla.api.Placement;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ShardPlacement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every instance of one middleware across its member clusters, with its id, host and shard: what an
 * adapter renders configuration from. Instances of a role are numbered from their cluster's base id
 * ({@link BaseIds}). For a sharded resource, shard s's primary is the next primary-role instance
 * (by id) in its primary cluster, and each replica the next replica-role instance in that replica's
 * cluster, taking shards in order.
 */
public final class Topology {
  private final Middleware middleware;
  private final List<Instance> instances;
  private final Map<Instance, String> hosts;
  private final Map<Instance, Integer> shardOf;
  private final Map<Integer, List<Instance>> shardMembers;
  private final Map<String, String> credentials;

  private Topology(
      Middleware middleware,
      List<Instance> instances,
      Map<Instance, String> hosts,
      Map<Instance, Integer> shardOf,
      Map<Integer, List<Instance>> shardMembers,
      Map<String, String> credentials) {
    this.middleware = middleware;
    this.credentials = Map.copyOf(credentials);
    this.instances = List.copyOf(instances);
    this.hosts = Map.copyOf(hosts);
    this.shardOf = Map.copyOf(shardOf);
    this.shardMembers = Collections.unmodifiableMap(new TreeMap<>(shardMembers));
  }

  /**
   * @param shards where each shard's primary and replicas are (the scheduler's output); required
   *     when a role is sharded
   * @param credentials secrets the middleware's servers and operations share (an administrator
   *     password, say), by name; each adapter says which it needs
   * @throws IllegalArgumentException when the shards do not match the placement
   */
  public static Topology of(
      Middleware middleware,
      Placement placement,
      BaseIds bases,
      List<ShardPlacement> shards,
      Addressing addressing,
      Map<String, String> credentials) {
    return of(middleware, placement, bases, shards, addressing, credentials, Map.of());
  }

  /**
   * As {@link #of(Middleware, Placement, BaseIds, List, Addressing, Map)}, keeping members in their
   * shards: an instance whose id {@code shardIds} lists under shard s is s's member in its cluster
   * when s still has a place of its role there (a survivor of a failover keeps its shard: a
   * RocketMQ broker cannot change its group). The other places are filled as usual.
   *
   * @param shardIds member ids by shard (primary first), as {@link #shardIds()} gave them
   */
  public static Topology of(
      Middleware middleware,
      Placement placement,
      BaseIds bases,
      List<ShardPlacement> shards,
      Addressing addressing,
      Map<String, String> credentials,
      Map<Integer, List<Integer>> shardIds) {
    List<Instance> all = new ArrayList<>();
    for (ReplicaRequirement role : middleware.spec().replicaRequirements()) {
      placement
          .role(role.role())
          .forEach(
              (cluster, count) -> {
                int base = bases.base(role.role(), cluster);
                for (int k = 0; k < count; k++) {
                  all.add(new Instance(role.role(), cluster, base + k));
                }
              });
    }
    List<Instance> sorted = sortByRoleOrder(middleware, all);
    Map<Instance, String> hosts = new HashMap<>();
    for (Instance i : sorted) {
      hosts.put(i, addressing.host(middleware, i));
    }
    Map<Instance, Integer> shardOf = new HashMap<>();
    Map<Integer, List<Instance>> members = new TreeMap<>();
    middleware.spec().replicaRequirements().stream()
        .filter(r -> r.shard().isPresent())
        .findFirst()
        .ifPresent(
            replicaRole -> assignShards(replicaRole, sorted, shards, shardIds, shardOf, members));
    return new Topology(middleware, sorted, hosts, shardOf, members, credentials);
  }

  private static List<Instance> sortByRoleOrder(Middleware mw, List<Instance> all) {
    Map<String, Integer> order = new HashMap<>();
    List<ReplicaRequirement> roles = mw.spec().replicaRequirements();
    for (int i = 0; i < roles.size(); i++) {
      order.put(roles.get(i).role(), i);
    }
    List<Instance> out = new ArrayList<>(all);
    out.sort(
        (a, b) -> {
          int c = Integer.compare(order.get(a.role()), order.get(b.role()));
          return c != 0 ? c : Integer.compare(a.id(), b.id());
        });
    return out;
  }

  private static void assignShards(
      ReplicaRequirement replicaRole,
      List<Instance> instances,
      List<ShardPlacement> shards,
      Map<Integer, List<Integer>> shardIds,
      Map<Instance, Integer> shardOf,
      Map<Integer, List<Instance>> members) {
    String primaryRole = replicaRole.shardOf().orElseThrow();
    Map<String, Deque<Instance>> primaries = byCluster(instances, primaryRole);
    Map<String, Deque<Instance>> replicas = byCluster(instances, replicaRole.role());
    // first every shard keeps its listed members where it still has a place for them
    Map<Integer, Instance[]> places = new LinkedHashMap<>();
    for (ShardPlacement s : shards) {
      Instance[] place = new Instance[1 + s.replicas().size()];
      List<Integer> ids = shardIds.getOrDefault(s.shard(), List.of());
      place[0] = keep(primaries, s.primary(), ids);
      for (int k = 0; k < s.replicas().size(); k++) {
        place[k + 1] = keep(replicas, s.replicas().get(k), ids);
      }
      places.put(s.shard(), place);
    }
    for (ShardPlacement s : shards) {
      Instance[] place = places.get(s.shard());
      if (place[0] == null) {
        place[0] = take(primaries, s.primary(), primaryRole, s.shard());
      }
      for (int k = 0; k < s.replicas().size(); k++) {
        if (place[k + 1] == null) {
          place[k + 1] = take(replicas, s.replicas().get(k), replicaRole.role(), s.shard());
        }
      }
      List<Instance> shard = List.of(place);
      shard.forEach(i -> shardOf.put(i, s.shard()));
      members.put(s.shard(), shard);
    }
    if (primaries.values().stream().anyMatch(d -> !d.isEmpty())
        || replicas.values().stream().anyMatch(d -> !d.isEmpty())) {
      throw new IllegalArgumentException(
          "the shards do not account for every instance of roles "
              + primaryRole
              + " and "
              + replicaRole.role());
    }
  }

  /** Takes from the cluster's pool the first instance whose id is listed, if any. */
  private static Instance keep(
      Map<String, Deque<Instance>> pool, String cluster, List<Integer> ids) {
    Deque<Instance> d = pool.get(cluster);
    if (d == null || ids.isEmpty()) {
      return null;
    }
    for (Instance i : d) {
      if (ids.contains(i.id())) {
        d.remove(i);
        return i;
      }
    }
    return null;
  }

  private static Map<String, Deque<Instance>> byCluster(List<Instance> instances, String role) {
    Map<String, Deque<Instance>> out = new LinkedHashMap<>();
    for (Instance i : instances) {
      if (i.role().equals(role)) {
        out.computeIfAbsent(i.cluster(), c -> new ArrayDeque<>()).addLast(i);
      }
    }
    return out;
  }

  private static Instance take(
      Map<String, Deque<Instance>> pool, String cluster, String role, int shard) {
    Deque<Instance> d = pool.get(cluster);
    if (d == null || d.isEmpty()) {
      throw new IllegalArgumentException(
          "shard "
              + shard
              + " needs an instance of role "
              + role
              + " in "
              + cluster
              + ", and none is left");
    }
    return d.removeFirst();
  }

  public Middleware middleware() {
    return middleware;
  }

  /** Every instance: roles in spec order, each by id. */
  public List<Instance> instances() {
    return instances;
  }

  public List<Instance> role(String role) {
    return instances.stream().filter(i -> i.role().equals(role)).toList();
  }

  public List<Instance> inCluster(String cluster) {
    return instances.stream().filter(i -> i.cluster().equals(cluster)).toList();
  }

  /** The clusters holding any instance, sorted. */
  public List<String> clusters() {
    return List.copyOf(new TreeSet<>(instances.stream().map(Instance::cluster).toList()));
  }

  public String host(Instance i) {
    String h = hosts.get(i);
    if (h == null) {
      throw new IllegalArgumentException("no instance " + i + " in " + middleware.name());
    }
    return h;
  }

  /** The shard an instance of a sharded role belongs to. */
  public OptionalInt shard(Instance i) {
    Integer s = shardOf.get(i);
    return s == null ? OptionalInt.empty() : OptionalInt.of(s);
  }

  /** Each shard's member ids, primary first: what {@link #of} takes to keep members in place. */
  public SortedMap<Integer, List<Integer>> shardIds() {
    SortedMap<Integer, List<Integer>> out = new TreeMap<>();
    shardMembers.forEach((s, m) -> out.put(s, m.stream().map(Instance::id).toList()));
    return out;
  }

  /** The shards, each with its primary first and then its replicas. */
  public Map<Integer, List<Instance>> shards() {
    return shardMembers;
  }

  /**
   * A credential the caller supplied.
   *
   * @throws IllegalArgumentException naming the credential when it was not supplied
   */
  public String credential(String name) {
    String v = credentials.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          middleware.spec().type().id()
              + " "
              + middleware.name()
              + " needs the credential "
              + name);
    }
    return v;
  }

  /** The instance with this role and id, if any. */
  public Optional<Instance> find(String role, int id) {
    return instances.stream().filter(i -> i.role().equals(role) && i.id() == id).findFirst();
  }
}
