package io.flotilla.server;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.ObjectRef;
import io.flotilla.store.events.EventLog;
import io.flotilla.store.events.EventLog.Event;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/v1/events[?kind=K&namespace=NS&name=N]}: the control plane's events on objects
 * (docs/api.md, "Events"), oldest first. Without a filter every event kept is listed; with {@code
 * kind} and {@code name} (and {@code namespace} for a namespaced kind, {@code default} when absent)
 * only that object's.
 */
public final class EventRoutes {
  static final String PATH = "/api/v1/events";

  /** The kinds events are recorded on; the others have none. */
  static final Set<String> CLUSTER_SCOPED = Set.of("MemberCluster");

  private EventRoutes() {}

  /** The routes serving {@code log}. */
  public static List<ExtraRoute> of(EventLog log) {
    return List.of(new ExtraRoute("GET", PATH, q -> list(log, q)));
  }

  static JsonNode list(EventLog log, Map<String, String> query) {
    for (String p : query.keySet()) {
      if (!Set.of("kind", "namespace", "name").contains(p)) {
        throw new IllegalArgumentException(
            p + ": unknown query parameter (kind, namespace and name are)");
      }
    }
    String kind = query.getOrDefault("kind", "");
    String name = query.getOrDefault("name", "");
    List<Event> events;
    if (kind.isEmpty() && name.isEmpty() && !query.containsKey("namespace")) {
      events = log.all();
    } else if (kind.isEmpty() || name.isEmpty()) {
      throw new IllegalArgumentException(
          (kind.isEmpty() ? "kind" : "name")
              + ": required when filtering (give kind and name, and namespace for a namespaced"
              + " kind)");
    } else {
      boolean clusterScoped = CLUSTER_SCOPED.contains(kind);
      String namespace = clusterScoped ? "" : query.getOrDefault("namespace", "default");
      if (clusterScoped && !query.getOrDefault("namespace", "").isEmpty()) {
        throw new IllegalArgumentException(
            "namespace: " + kind + " is cluster-scoped and has no namespace");
      }
      events = log.of(new ObjectRef(ApiVersion.API_VERSION, kind, namespace, name));
    }
    ObjectNode out = Json.object();
    ArrayNode items = out.putArray("items");
    for (Event e : events) {
      ObjectNode o = items.addObject();
      o.put("type", e.type().name());
      o.put("reason", e.reason());
      o.put("message", e.message());
      o.put("count", e.count());
      o.put("firstTimestamp", e.first().toString());
      o.put("lastTimestamp", e.last().toString());
      o.put("source", e.source());
      ObjectNode involved = o.putObject("involvedObject");
      involved.put("kind", e.involved().kind());
      if (!e.involved().namespace().isEmpty()) {
        involved.put("namespace", e.involved().namespace());
      }
      involved.put("name", e.involved().name());
    }
    return out;
  }
}
