package io.flotilla.api.io;

import io.flotilla.api.ClusterAffinity;
import io.flotilla.api.Failback;
import io.flotilla.api.GlobalEndpoints;
import io.flotilla.api.LabelSelector;
import io.flotilla.api.Limits;
import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareSpec;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Names;
import io.flotilla.api.ObjectMeta;
import io.flotilla.api.Placement;
import io.flotilla.api.Problems;
import io.flotilla.api.Quantity;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ReplicaSchedulingType;
import io.flotilla.api.ResourceList;
import io.flotilla.api.ResourceRequirements;
import io.flotilla.api.TaintEffect;
import io.flotilla.api.Toleration;
import io.flotilla.api.TolerationOperator;
import io.flotilla.api.io.CommonReaders.Bounds;
import io.flotilla.api.io.CommonReaders.NameRule;
import io.flotilla.api.io.CommonReaders.Scope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Reads and validates a {@code Middleware}. Accepts the talk's example as written, including {@code
 * clustersNames} (an alias of {@code clusterNames}) at {@code spec} level and the shorthand {@code
 * labelSelector: {cluster: compute}}.
 */
public final class MiddlewareReader {
  private static final Bounds REPLICA_BOUNDS =
      new Bounds(Limits.MAX_REPLICA_CPU_MILLIS, Limits.MAX_REPLICA_MEMORY_BYTES);

  private MiddlewareReader() {}

  public static Decoded<Middleware> read(Manifest manifest) {
    Problems problems = new Problems();
    Optional<Fields> rootOpt = Fields.of(manifest.node(), "", problems);
    if (rootOpt.isEmpty()) {
      return new Decoded<>(Optional.empty(), problems.list());
    }
    Fields root = rootOpt.get();
    CommonReaders.header(root, Middleware.KIND);
    Optional<ObjectMeta> meta = CommonReaders.metadata(root, Scope.NAMESPACED, NameRule.DNS_LABEL);
    Optional<MiddlewareSpec> spec = Optional.empty();
    if (!root.has("spec")) {
      problems.add("spec", "required");
    } else {
      spec = root.object("spec").flatMap(MiddlewareReader::spec);
    }
    root.ignore("status"); // written by the controller; never an input
    root.rejectUnknown();
    if (!problems.isEmpty() || meta.isEmpty() || spec.isEmpty()) {
      return new Decoded<>(Optional.empty(), problems.list());
    }
    return new Decoded<>(Optional.of(new Middleware(meta.get(), spec.get())), List.of());
  }

  private static Optional<MiddlewareSpec> spec(Fields spec) {
    Problems problems = spec.problems();
    Optional<MiddlewareType> type = spec.requiredString("type").flatMap(t -> type(spec, t));
    Optional<String> version = spec.scalarText("version");
    List<ReplicaRequirement> roles = replicaRequirements(spec, type);
    ClusterAffinity affinity = affinity(spec);
    List<Toleration> tolerations = new ArrayList<>();
    for (Fields t : spec.objectList("tolerations")) {
      toleration(t).ifPresent(tolerations::add);
    }
    Placement pinned = pinnedPlacement(spec, roles, declaredRoles(spec));
    SortedMap<String, String> settings = spec.stringMap("settings");
    Failback failback =
        spec.object("failback").map(MiddlewareReader::failback).orElse(Failback.NEVER);
    GlobalEndpoints endpoints =
        spec.object("globalEndpoints")
            .map(MiddlewareReader::globalEndpoints)
            .orElse(GlobalEndpoints.DEFAULT);
    spec.rejectUnknown();
    if (type.isEmpty() || !problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new MiddlewareSpec(
            type.get(),
            version,
            roles,
            affinity,
            tolerations,
            pinned,
            settings,
            failback,
            endpoints));
  }

  private static GlobalEndpoints globalEndpoints(Fields f) {
    List<String> clusters = names(f, "clusters", "give them to every candidate cluster");
    GlobalEndpoints.Form form = GlobalEndpoints.Form.ENDPOINT_SLICE;
    Optional<String> text = f.string("form");
    if (text.isPresent()) {
      Optional<GlobalEndpoints.Form> known =
          Arrays.stream(GlobalEndpoints.Form.values())
              .filter(v -> v.id().equals(text.get()))
              .findFirst();
      if (known.isEmpty()) {
        f.problems()
            .add(f.path("form"), "must be EndpointSlice or Endpoints, got \"" + text.get() + "\"");
      } else {
        form = known.get();
      }
    }
    f.rejectUnknown();
    return new GlobalEndpoints(clusters, form);
  }

  private static Failback failback(Fields f) {
    Failback.Policy policy = Failback.Policy.NEVER;
    Optional<String> text = f.string("policy");
    if (text.isPresent()) {
      Optional<Failback.Policy> known =
          Arrays.stream(Failback.Policy.values())
              .filter(p -> p.id().equals(text.get()))
              .findFirst();
      if (known.isEmpty()) {
        f.problems()
            .add(f.path("policy"), "must be Never or WhenReady, got \"" + text.get() + "\"");
      } else {
        policy = known.get();
      }
    }
    int readyFor = Failback.DEFAULT_READY_FOR_SECONDS;
    OptionalInt given = f.integer("readyForSeconds");
    if (given.isPresent()) {
      if (given.getAsInt() < 0) {
        f.problems().add(f.path("readyForSeconds"), "must be >= 0, got " + given.getAsInt());
      } else {
        readyFor = given.getAsInt();
      }
    }
    f.rejectUnknown();
    return new Failback(policy, readyFor);
  }

  private static Optional<MiddlewareType> type(Fields spec, String id) {
    Optional<MiddlewareType> t = MiddlewareType.fromId(id);
    if (t.isEmpty()) {
      spec.problems()
          .add(
              spec.path("type"), "must be one of " + MiddlewareType.ids() + ", got \"" + id + "\"");
    }
    return t;
  }

  /** A role as read, before the cross-role rules; {@code shardOf} not yet resolved. */
  private record RawRole(
      String path,
      String role,
      int replicas,
      int maxSkew,
      boolean maxSkewGiven,
      OptionalInt shard,
      Optional<String> shardOf,
      ResourceRequirements resources,
      ReplicaSchedulingType scheduling,
      SortedMap<String, Integer> weights,
      OptionalInt minClusters,
      OptionalInt maxClusters,
      Optional<Boolean> voter) {}

  private static List<ReplicaRequirement> replicaRequirements(
      Fields spec, Optional<MiddlewareType> type) {
    Problems problems = spec.problems();
    if (!spec.has("replicaRequirements")) {
      problems.add(spec.path("replicaRequirements"), "required: at least one role");
      return List.of();
    }
    List<RawRole> raw = new ArrayList<>();
    for (Fields r : spec.objectList("replicaRequirements")) {
      role(r, type).ifPresent(raw::add);
    }
    if (raw.isEmpty() && problems.isEmpty()) {
      problems.add(spec.path("replicaRequirements"), "must not be empty: at least one role");
    }
    CommonReaders.rejectDuplicates(raw, RawRole::role, RawRole::path, "role", problems);
    return resolveShards(raw, problems);
  }

  private static Optional<RawRole> role(Fields r, Optional<MiddlewareType> type) {
    Problems problems = r.problems();
    Optional<String> name = r.requiredString("role");
    name.flatMap(Names::checkDnsLabel).ifPresent(reason -> problems.add(r.path("role"), reason));
    if (name.isPresent() && type.isPresent() && !r.has("voter")) {
      MiddlewareType t = type.get();
      if (t.role(name.get()).isEmpty() && Names.checkDnsLabel(name.get()).isEmpty()) {
        problems.add(
            r.path("role"),
            "\""
                + name.get()
                + "\" is not a role of "
                + t.id()
                + "; its roles are "
                + t.roleNames());
      }
    }
    OptionalInt replicas = r.integer("replicas");
    if (!r.has("replicas")) {
      problems.add(r.path("replicas"), "required");
    } else if (replicas.isPresent()
        && (replicas.getAsInt() < 0 || replicas.getAsInt() > Limits.MAX_REPLICAS)) {
      problems.add(
          r.path("replicas"),
          replicas.getAsInt() < 0
              ? "must be >= 0, got " + replicas.getAsInt()
              : "must be <= " + Limits.MAX_REPLICAS + ", got " + replicas.getAsInt());
    }
    OptionalInt maxSkew = r.integer("maxSkew");
    maxSkew.ifPresent(
        k -> {
          if (k < 1) {
            problems.add(r.path("maxSkew"), "must be >= 1, got " + k);
          }
        });
    OptionalInt shard = r.integer("shard");
    shard.ifPresent(
        s -> {
          if (s < 1) {
            problems.add(r.path("shard"), "must be >= 1 (replicas per shard), got " + s);
          }
        });
    Optional<String> shardOf = r.string("shardOf");
    if (shardOf.isPresent() && shard.isEmpty() && r.has("shardOf")) {
      problems.add(r.path("shardOf"), "needs shard (the number of replicas per shard)");
    }
    ResourceRequirements resources = resources(r);
    ReplicaSchedulingType scheduling =
        CommonReaders.enumValue(r, "replicaSchedulingType", ReplicaSchedulingType.class, false)
            .orElse(ReplicaSchedulingType.Divided);
    SortedMap<String, Integer> weights = weights(r);
    OptionalInt minClusters = positive(r, "minClusters");
    OptionalInt maxClusters = positive(r, "maxClusters");
    if (minClusters.isPresent()
        && maxClusters.isPresent()
        && minClusters.getAsInt() > maxClusters.getAsInt()) {
      problems.add(
          r.path("minClusters"),
          "must be <= maxClusters ("
              + minClusters.getAsInt()
              + " > "
              + maxClusters.getAsInt()
              + ")");
    }
    Optional<Boolean> voter = r.bool("voter");
    if (minClusters.isPresent()
        && replicas.isPresent()
        && scheduling == ReplicaSchedulingType.Divided
        && replicas.getAsInt() > 0
        && replicas.getAsInt() < minClusters.getAsInt()) {
      problems.add(
          r.path("minClusters"),
          "cannot exceed replicas ("
              + minClusters.getAsInt()
              + " > "
              + replicas.getAsInt()
              + "): each cluster the role spans holds at least one");
    }
    if (scheduling == ReplicaSchedulingType.Duplicated) {
      if (maxSkew.isPresent()) {
        problems.add(r.path("maxSkew"), "applies to Divided roles only; this role is Duplicated");
      }
      if (!weights.isEmpty()) {
        problems.add(r.path("weights"), "applies to Divided roles only; this role is Duplicated");
      }
      if (shard.isPresent()) {
        problems.add(r.path("shard"), "applies to Divided roles only; this role is Duplicated");
      }
    }
    if (!weights.isEmpty() && maxClusters.isPresent()) {
      problems.add(
          r.path("maxClusters"),
          "cannot be combined with weights: the weights already choose the clusters");
    }
    if (!weights.isEmpty() && shard.isPresent()) {
      problems.add(r.path("weights"), "cannot be combined with shard: shards are spread evenly");
    }
    if (!weights.isEmpty() && maxSkew.isPresent()) {
      problems.add(
          r.path("maxSkew"), "cannot be combined with weights: the weights fix the spread");
    }
    r.rejectUnknown();
    if (name.isEmpty() || replicas.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new RawRole(
            r.path(),
            name.get(),
            replicas.getAsInt(),
            maxSkew.orElse(1),
            maxSkew.isPresent(),
            shard,
            shardOf,
            resources,
            scheduling,
            weights,
            minClusters,
            maxClusters,
            voter));
  }

  private static OptionalInt positive(Fields r, String key) {
    OptionalInt v = r.integer(key);
    if (v.isPresent() && v.getAsInt() < 1) {
      r.problems().add(r.path(key), "must be >= 1, got " + v.getAsInt());
      return OptionalInt.empty();
    }
    return v;
  }

  private static SortedMap<String, Integer> weights(Fields r) {
    SortedMap<String, Integer> out = new TreeMap<>();
    List<Map.Entry<String, JsonNode>> entries = r.entries("weights");
    for (Map.Entry<String, JsonNode> e : entries) {
      String p = Fields.child(r.path("weights"), e.getKey());
      Names.checkDnsSubdomain(e.getKey()).ifPresent(reason -> r.problems().add(p, reason));
      JsonNode v = e.getValue();
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        r.problems().add(p, "must be an integer weight, got " + Fields.describe(v));
      } else if (v.intValue() < 1) {
        r.problems()
            .add(p, "must be >= 1, got " + v.intValue() + " (leave a cluster out to give it none)");
      } else {
        out.put(e.getKey(), v.intValue());
      }
    }
    if (r.raw("weights").filter(JsonNode::isObject).isPresent() && entries.isEmpty()) {
      r.problems().add(r.path("weights"), "must name at least one cluster");
    }
    return out;
  }

  private static ResourceRequirements resources(Fields r) {
    Optional<Fields> rr = r.object("resourceRequest");
    if (rr.isEmpty()) {
      return ResourceRequirements.NONE;
    }
    Fields f = rr.get();
    ResourceList requests = CommonReaders.resourceList(f, "requests", REPLICA_BOUNDS);
    ResourceList limits = CommonReaders.resourceList(f, "limits", REPLICA_BOUNDS);
    f.rejectUnknown();
    for (Map.Entry<String, Quantity> e : requests.quantities().entrySet()) {
      Optional<Quantity> limit = limits.get(e.getKey());
      if (limit.isPresent() && e.getValue().compareTo(limit.get()) > 0) {
        f.problems()
            .add(
                Fields.child(f.path("requests"), e.getKey()),
                "must be <= limits."
                    + e.getKey()
                    + " ("
                    + e.getValue()
                    + " > "
                    + limit.get()
                    + ")");
      }
    }
    return new ResourceRequirements(requests, limits);
  }

  /**
   * Resolves each sharded role's primary ({@code shardOf}, by default the nearest earlier role
   * without {@code shard}) and checks the shard rules.
   */
  private static List<ReplicaRequirement> resolveShards(List<RawRole> raw, Problems problems) {
    Map<String, RawRole> byName = new HashMap<>();
    raw.forEach(r -> byName.putIfAbsent(r.role(), r));
    List<ReplicaRequirement> out = new ArrayList<>();
    int sharded = 0;
    for (int i = 0; i < raw.size(); i++) {
      RawRole r = raw.get(i);
      Optional<String> primary = Optional.empty();
      if (r.shard().isPresent()) {
        sharded++;
        if (sharded >= 2) {
          problems.add(r.path() + ".shard", "only one role may set shard");
        }
        primary = r.shardOf().isPresent() ? r.shardOf() : nearestUnsharded(raw, i);
        if (primary.isEmpty()) {
          problems.add(
              r.path() + ".shard",
              "needs a primary role: set shardOf, or list the primary role before this one");
        } else {
          checkShard(r, byName.get(primary.get()), primary.get(), problems);
          String primaryName = primary.get();
          if (raw.subList(i + 1, raw.size()).stream().anyMatch(x -> x.role().equals(primaryName))) {
            problems.add(
                r.path() + ".shardOf",
                "primary role \""
                    + primaryName
                    + "\" must be listed before this role: roles are placed in spec order");
          }
        }
      }
      out.add(
          new ReplicaRequirement(
              r.role(),
              r.replicas(),
              r.maxSkew(),
              r.shard(),
              primary,
              r.resources(),
              r.scheduling(),
              r.weights(),
              r.minClusters(),
              r.maxClusters(),
              r.voter()));
    }
    return out;
  }

  private static Optional<String> nearestUnsharded(List<RawRole> raw, int index) {
    for (int j = index - 1; j >= 0; j--) {
      if (raw.get(j).shard().isEmpty()) {
        return Optional.of(raw.get(j).role());
      }
    }
    return Optional.empty();
  }

  private static void checkShard(
      RawRole r, RawRole primary, String primaryName, Problems problems) {
    String at = r.shardOf().isPresent() ? r.path() + ".shardOf" : r.path() + ".shard";
    if (primary == null) {
      problems.add(at, "names role \"" + primaryName + "\", which does not exist");
      return;
    }
    if (primary == r) {
      problems.add(at, "a role cannot hold the replicas of its own shards");
      return;
    }
    if (primary.shard().isPresent()) {
      problems.add(at, "primary role \"" + primaryName + "\" must not itself set shard");
      return;
    }
    if (primary.scheduling() != ReplicaSchedulingType.Divided || !primary.weights().isEmpty()) {
      problems.add(
          at,
          "primary role \"" + primaryName + "\" must be spread evenly (Divided, without weights)");
      return;
    }
    int perShard = r.shard().getAsInt();
    long expected = (long) primary.replicas() * perShard;
    if (perShard >= 1 && r.replicas() != expected) {
      problems.add(
          r.path() + ".replicas",
          "must be shards × replicas per shard = "
              + primary.replicas()
              + " × "
              + perShard
              + " = "
              + expected
              + " (one shard per replica of role "
              + primaryName
              + "), got "
              + r.replicas());
    }
  }

  private static ClusterAffinity affinity(Fields spec) {
    Optional<LabelSelector> selector = Optional.empty();
    List<String> names = new ArrayList<>();
    List<String> fromSpec = clusterNames(spec);
    Optional<Fields> a = spec.object("clusterAffinity");
    if (a.isPresent()) {
      selector = CommonReaders.labelSelector(a.get(), "labelSelector");
      names.addAll(clusterNames(a.get()));
      a.get().rejectUnknown();
    }
    if (!fromSpec.isEmpty() && !names.isEmpty() && !fromSpec.equals(names)) {
      spec.problems()
          .add(
              spec.path("clusterNames"),
              "conflicts with clusterAffinity.clusterNames; give the cluster names once");
    }
    if (names.isEmpty()) {
      names.addAll(fromSpec);
    }
    return new ClusterAffinity(selector, names);
  }

  /** {@code clusterNames}, or its alias {@code clustersNames} from the talk; not both. */
  private static List<String> clusterNames(Fields f) {
    boolean canonical = f.has("clusterNames");
    boolean alias = f.has("clustersNames");
    if (canonical && alias) {
      f.problems()
          .add(f.path("clustersNames"), "is an alias of clusterNames; give only one of them");
    }
    return names(f, canonical ? "clusterNames" : "clustersNames", "allow every cluster");
  }

  /** A list of cluster names: strings, each a DNS subdomain, no duplicates, not empty if given. */
  private static List<String> names(Fields f, String key, String whenLeftOut) {
    List<Fields.Element> elements = f.list(key);
    if (elements.isEmpty() && f.raw(key).filter(JsonNode::isArray).isPresent()) {
      f.problems().add(f.path(key), "must not be empty; leave it out to " + whenLeftOut);
    }
    List<Fields.Element> names = new ArrayList<>();
    for (Fields.Element e : elements) {
      if (!e.node().isString()) {
        f.problems().add(e.path(), "must be a string, got " + Fields.describe(e.node()));
        continue;
      }
      Names.checkDnsSubdomain(e.node().stringValue())
          .ifPresent(reason -> f.problems().add(e.path(), reason));
      names.add(e);
    }
    CommonReaders.rejectDuplicates(
        names, e -> e.node().stringValue(), Fields.Element::path, "cluster name", f.problems());
    return names.stream().map(e -> e.node().stringValue()).toList();
  }

  private static Optional<Toleration> toleration(Fields t) {
    String key = t.string("key").orElse("");
    if (!key.isEmpty()) {
      Names.checkQualifiedName(key).ifPresent(r -> t.problems().add(t.path("key"), r));
    }
    TolerationOperator op =
        CommonReaders.enumValue(t, "operator", TolerationOperator.class, false)
            .orElse(TolerationOperator.Equal);
    String value = t.string("value").orElse("");
    // An absent or empty effect matches every effect, as in Kubernetes.
    Optional<TaintEffect> effect =
        t.string("effect").filter(s -> !s.isEmpty()).isPresent()
            ? CommonReaders.effect(t, "effect", false)
            : Optional.empty();
    t.rejectUnknown();
    if (op == TolerationOperator.Exists && !value.isEmpty()) {
      t.problems().add(t.path("value"), "must be empty when operator is Exists");
    }
    if (key.isEmpty() && op != TolerationOperator.Exists) {
      t.problems()
          .add(
              t.path("key"),
              "required unless operator is Exists (which then tolerates every taint)");
    }
    return Optional.of(new Toleration(key, op, value, effect));
  }

  /** Every role name written in replicaRequirements, even in roles that failed to read. */
  private static java.util.Set<String> declaredRoles(Fields spec) {
    java.util.Set<String> names = new java.util.HashSet<>();
    spec.raw("replicaRequirements")
        .filter(JsonNode::isArray)
        .ifPresent(
            list ->
                list.forEach(
                    r -> {
                      JsonNode n = r.get("role");
                      if (n != null && n.isString()) {
                        names.add(n.stringValue());
                      }
                    }));
    return names;
  }

  private static Placement pinnedPlacement(
      Fields spec, List<ReplicaRequirement> roles, java.util.Set<String> declared) {
    Map<String, ReplicaRequirement> byName = new LinkedHashMap<>();
    roles.forEach(r -> byName.putIfAbsent(r.role(), r));
    Placement.Builder b = Placement.builder();
    for (Map.Entry<String, JsonNode> e : spec.entries("pinnedPlacement")) {
      String rolePath = Fields.child(spec.path("pinnedPlacement"), e.getKey());
      ReplicaRequirement role = byName.get(e.getKey());
      if (role == null && declared.contains(e.getKey())) {
        continue; // the role itself is invalid and already reported
      }
      if (role == null) {
        spec.problems()
            .add(rolePath, "no role named \"" + e.getKey() + "\" in replicaRequirements");
        continue;
      }
      if (role.replicaSchedulingType() == ReplicaSchedulingType.Duplicated) {
        spec.problems().add(rolePath, "cannot pin a Duplicated role: it runs in every cluster");
        continue;
      }
      Optional<Fields> counts = Fields.of(e.getValue(), rolePath, spec.problems());
      if (counts.isEmpty()) {
        continue;
      }
      Map<String, Integer> m = new TreeMap<>();
      long sum = 0;
      boolean countsValid = true;
      for (String cluster : e.getValue().propertyNames()) {
        JsonNode v = e.getValue().get(cluster);
        String p = Fields.child(rolePath, cluster);
        Names.checkDnsSubdomain(cluster).ifPresent(reason -> spec.problems().add(p, reason));
        if (!v.isIntegralNumber()
            || !v.canConvertToInt()
            || v.intValue() < 0
            || v.intValue() > Limits.MAX_REPLICAS) {
          spec.problems()
              .add(
                  p,
                  "must be a count from 0 to "
                      + Limits.MAX_REPLICAS
                      + ", got "
                      + Fields.describe(v));
          countsValid = false;
          continue;
        }
        m.put(cluster, v.intValue());
        sum += v.intValue();
      }
      if (countsValid && sum != role.replicas()) {
        spec.problems()
            .add(
                rolePath,
                "counts add up to "
                    + sum
                    + " but role "
                    + role.role()
                    + " has "
                    + role.replicas()
                    + " replicas");
      }
      b.role(e.getKey(), m);
    }
    return b.build();
  }
}
