package io.flotilla.cli;

import io.flotilla.api.Middleware;
import io.flotilla.api.ShardPlacement;
import io.flotilla.scheduler.FilteredCluster;
import io.flotilla.scheduler.ScheduleResult;
import io.flotilla.scheduler.Survivability;
import io.flotilla.scheduler.Unschedulable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.SortedMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The machine-readable form of a scheduling decision. Its {@code placement} and {@code shards} are
 * what {@code --previous} reads back. Keys and map entries come out in a fixed order: roles in spec
 * order, clusters by name.
 */
final class ScheduleJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ScheduleJson() {}

  static ObjectNode of(Middleware mw, ScheduleResult r) {
    ObjectNode root = F.objectNode();
    root.put("scheduled", r.scheduled());
    ObjectNode placement = root.putObject("placement");
    r.placement().roles().forEach((role, counts) -> placement.set(role, counts(counts)));
    ArrayNode shards = root.putArray("shards");
    for (ShardPlacement s : r.shards()) {
      ObjectNode o = shards.addObject();
      o.put("shard", s.shard());
      o.put("primary", s.primary());
      ArrayNode replicas = o.putArray("replicas");
      s.replicas().forEach(replicas::add);
    }
    ArrayNode unschedulable = root.putArray("unschedulable");
    for (Unschedulable u : r.unschedulable()) {
      ObjectNode o = unschedulable.addObject();
      o.put("role", u.role());
      o.put("cluster", u.cluster());
      o.put("reason", u.reason());
    }
    ObjectNode survivability = root.putObject("survivability");
    for (Map.Entry<String, Survivability> e : r.survivability().entrySet()) {
      Survivability s = e.getValue();
      ObjectNode o = survivability.putObject(e.getKey());
      o.put("survivesAnyClusterLoss", s.survivesAnyClusterLoss());
      ArrayNode breaking = o.putArray("breakingClusters");
      s.breakingClusters().forEach(breaking::add);
      o.put("voters", s.voters());
      o.put("quorum", s.quorum());
    }
    ObjectNode skew = root.putObject("skewExceeded");
    r.skewExceeded().forEach(skew::put);
    ObjectNode displaced = root.putObject("displaced");
    r.displaced().forEach((role, counts) -> displaced.set(role, counts(counts)));
    ArrayNode filtered = root.putArray("filtered");
    for (FilteredCluster f : r.filtered()) {
      ObjectNode o = filtered.addObject();
      o.put("cluster", f.cluster());
      o.put("plugin", f.plugin());
      o.put("reason", f.reason());
      o.put("keepsReplicas", f.keepsReplicas());
    }
    ObjectNode headroom = root.putObject("headroom");
    r.headroom()
        .forEach(
            (cluster, h) ->
                headroom.put(cluster, BigDecimal.valueOf(h).setScale(4, RoundingMode.HALF_EVEN)));
    ArrayNode warnings = root.putArray("warnings");
    r.warnings().forEach(warnings::add);
    ObjectNode middleware = root.putObject("middleware");
    middleware.put("namespace", mw.metadata().namespace().orElse(""));
    middleware.put("name", mw.name());
    middleware.put("type", mw.spec().type().id());
    return root;
  }

  private static ObjectNode counts(SortedMap<String, Integer> counts) {
    ObjectNode o = F.objectNode();
    counts.forEach(o::put);
    return o;
  }
}
