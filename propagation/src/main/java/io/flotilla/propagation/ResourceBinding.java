package io.flotilla.propagation;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where one resource template is propagated and how its copies are doing (Karmada's
 * ResourceBinding): written by the propagation engine, read by people and by the controller.
 *
 * @param template the propagated object
 * @param policy the PropagationPolicy that governs it, as namespace/name
 * @param clusters the member clusters it is propagated to, sorted
 * @param pendingRemoval clusters no longer targeted whose copies are not deleted yet (they were
 *     unreachable), sorted
 * @param rows one row per cluster in {@code clusters}, sorted by cluster
 */
public record ResourceBinding(
    ObjectRef template,
    String policy,
    List<String> clusters,
    List<String> pendingRemoval,
    List<ClusterRow> rows) {
  public static final String KIND = "ResourceBinding";

  public ResourceBinding {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(policy, "policy");
    clusters = List.copyOf(new TreeSet<>(clusters));
    pendingRemoval = List.copyOf(new TreeSet<>(pendingRemoval));
    rows = rows.stream().sorted((a, b) -> a.cluster().compareTo(b.cluster())).toList();
  }

  /** The binding's name for a template: Karmada's {@code <name>-<kind in lower case>}. */
  public static String nameFor(ObjectRef template) {
    return template.name() + "-" + template.kind().toLowerCase(java.util.Locale.ROOT);
  }

  public ObjectRef ref() {
    return new ObjectRef(ApiVersion.API_VERSION, KIND, template.namespace(), nameFor(template));
  }

  /** Every copy is applied at the template's current generation. */
  public boolean allApplied() {
    return rows.size() == clusters.size() && rows.stream().allMatch(ClusterRow::applied);
  }

  /** Every copy is ready. */
  public boolean allReady() {
    return rows.size() == clusters.size() && rows.stream().allMatch(ClusterRow::ready);
  }

  public Optional<ClusterRow> row(String cluster) {
    return rows.stream().filter(r -> r.cluster().equals(cluster)).findFirst();
  }

  /**
   * The binding as a stored object: spec (template, policy, clusters, pendingRemoval) and status
   * (rows, and the conditions Applied and Ready). A condition whose status is the same as in {@code
   * previous} keeps its lastTransitionTime; a changed one gets {@code now}.
   */
  public KubeObject toObject(Instant now, Optional<KubeObject> previous) {
    ObjectRef ref = ref();
    return KubeObject.create(ref.apiVersion(), KIND, ref.namespace(), ref.name())
        .withLabel("flotilla.io/template-kind", template.kind())
        .edit(
            n -> {
              ObjectNode spec = n.putObject("spec");
              ObjectNode t = spec.putObject("resource");
              t.put("apiVersion", template.apiVersion());
              t.put("kind", template.kind());
              t.put("namespace", template.namespace());
              t.put("name", template.name());
              spec.put("policy", policy);
              strings(spec.putArray("clusters"), clusters);
              strings(spec.putArray("pendingRemoval"), pendingRemoval);
              ObjectNode status = n.putObject("status");
              ArrayNode rowsJson = status.putArray("clusters");
              for (ClusterRow r : rows) {
                ObjectNode o = rowsJson.addObject();
                o.put("name", r.cluster());
                o.put("applied", r.applied());
                o.put("appliedGeneration", r.appliedGeneration());
                r.replicas().ifPresent(v -> o.put("replicas", v));
                r.readyReplicas().ifPresent(v -> o.put("readyReplicas", v));
                o.put("ready", r.ready());
                o.put("lastError", r.lastError());
              }
              ArrayNode conditions = status.putArray("conditions");
              condition(conditions, "Applied", allApplied(), now, previous, appliedMessage());
              condition(conditions, "Ready", allReady(), now, previous, readyMessage());
            });
  }

  private String appliedMessage() {
    List<String> notApplied = new ArrayList<>();
    for (String c : clusters) {
      Optional<ClusterRow> r = row(c);
      if (r.isEmpty() || !r.get().applied()) {
        notApplied.add(
            c
                + (r.isPresent() && !r.get().lastError().isEmpty()
                    ? " (" + r.get().lastError() + ")"
                    : ""));
      }
    }
    return notApplied.isEmpty()
        ? "applied to " + clusters.size() + " of " + clusters.size() + " clusters"
        : "not applied to " + String.join("; ", notApplied);
  }

  private String readyMessage() {
    long ready = rows.stream().filter(ClusterRow::ready).count();
    return ready + " of " + clusters.size() + " clusters ready";
  }

  private static void condition(
      ArrayNode conditions,
      String type,
      boolean ok,
      Instant now,
      Optional<KubeObject> previous,
      String message) {
    String status = ok ? "True" : "False";
    String since = now.toString();
    if (previous.isPresent()) {
      for (JsonNode c : previous.get().at("/status/conditions")) {
        if (type.equals(c.path("type").asString(""))
            && status.equals(c.path("status").asString(""))) {
          since = c.path("lastTransitionTime").asString(since);
        }
      }
    }
    ObjectNode c = conditions.addObject();
    c.put("type", type);
    c.put("status", status);
    c.put("reason", ok ? "All" + type : "Not" + type);
    c.put("message", message);
    c.put("lastTransitionTime", since);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  /** Reads a binding back from its stored object. */
  public static ResourceBinding fromObject(KubeObject o) {
    JsonNode spec = o.at("/spec");
    JsonNode t = spec.path("resource");
    ObjectRef template =
        new ObjectRef(
            t.path("apiVersion").asString(""),
            t.path("kind").asString(""),
            t.path("namespace").asString(""),
            t.path("name").asString(""));
    List<ClusterRow> rows = new ArrayList<>();
    for (JsonNode r : o.at("/status/clusters")) {
      rows.add(
          new ClusterRow(
              r.path("name").asString(""),
              r.path("applied").asBoolean(false),
              r.path("appliedGeneration").asLong(0),
              r.has("replicas") ? Optional.of(r.get("replicas").asInt()) : Optional.empty(),
              r.has("readyReplicas")
                  ? Optional.of(r.get("readyReplicas").asInt())
                  : Optional.empty(),
              r.path("ready").asBoolean(false),
              r.path("lastError").asString("")));
    }
    return new ResourceBinding(
        template,
        spec.path("policy").asString(""),
        texts(spec.path("clusters")),
        texts(spec.path("pendingRemoval")),
        rows);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asString()));
    return out;
  }
}
