package io.flotilla.controller;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.Middleware;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.PropagationPolicy;
import io.flotilla.middleware.MiddlewareAdapter;
import io.flotilla.middleware.Topology;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the control plane's store must hold for a Middleware to run as its topology says, in
 * Karmada's shapes (pure): one template per object (the first cluster's rendering; a StatefulSet's
 * at 0 replicas; once stored, the controller keeps its body, which no copy takes), a
 * PropagationPolicy naming the clusters the rollout has reached, and per cluster and object an
 * OverridePolicy that makes the copy that cluster's share (its labels, and its whole {@code spec}
 * or {@code data}: replicas, base id, peers). Because every override replaces the whole body, a
 * cluster's copy depends on its override alone, never on which template revision is stored: a
 * rollout moves one cluster at a time by rewriting that cluster's overrides, and a crash between
 * any two writes leaves each cluster either at its old revision or at its new one.
 *
 * <p>Generated overrides have priority {@value #OVERRIDE_PRIORITY}, so a user's own OverridePolicy
 * (priority 0 or more) applies after them and wins.
 */
public final class DesiredState {
  public static final String MIDDLEWARE_LABEL = "flotilla.io/middleware";
  public static final String CLUSTER_LABEL = "flotilla.io/cluster";
  public static final String REVISION = "flotilla.io/revision";
  public static final String GENERATED_BY = "flotilla.io/generated-by";
  public static final int OVERRIDE_PRIORITY = -1000;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /**
   * @param templates the objects propagated, by reference
   * @param shares cluster → the objects as that cluster's copy must be
   * @param revisions cluster → a digest of its share
   */
  public record Rendered(
      Map<ObjectRef, KubeObject> templates,
      SortedMap<String, Map<ObjectRef, KubeObject>> shares,
      SortedMap<String, String> revisions) {}

  private DesiredState() {}

  /**
   * Renders every cluster's share, and for clusters of {@code alsoEmpty} without one (a share being
   * removed), an empty share: StatefulSets at 0 replicas, ConfigMaps without data.
   */
  public static Rendered render(
      MiddlewareAdapter adapter, Topology topology, Collection<String> alsoEmpty) {
    Middleware mw = topology.middleware();
    SortedMap<String, List<KubeObject>> perCluster = adapter.render(topology);
    Map<ObjectRef, KubeObject> templates = new LinkedHashMap<>();
    perCluster.forEach(
        (cluster, objects) -> {
          for (KubeObject o : objects) {
            templates.putIfAbsent(o.ref(), template(mw, o));
          }
        });
    SortedMap<String, String> secrets = adapter.secrets(topology);
    if (!secrets.isEmpty()) {
      KubeObject secret =
          KubeObject.create("v1", "Secret", namespace(mw), mw.name() + "-credentials")
              .edit(
                  o -> {
                    ObjectNode data = o.putObject("stringData");
                    secrets.forEach(data::put);
                  });
      templates.put(secret.ref(), template(mw, secret));
    }
    SortedMap<String, Map<ObjectRef, KubeObject>> shares = new TreeMap<>();
    List<String> clusters = new ArrayList<>(perCluster.keySet());
    for (String c : alsoEmpty) {
      if (!clusters.contains(c)) {
        clusters.add(c);
      }
    }
    for (String cluster : clusters) {
      Map<ObjectRef, KubeObject> share = new LinkedHashMap<>();
      Map<ObjectRef, KubeObject> rendered = new LinkedHashMap<>();
      perCluster.getOrDefault(cluster, List.of()).forEach(o -> rendered.put(o.ref(), o));
      templates.forEach((ref, t) -> share.put(ref, rendered.getOrDefault(ref, empty(t, cluster))));
      shares.put(cluster, share);
    }
    SortedMap<String, String> revisions = new TreeMap<>();
    shares.forEach((c, share) -> revisions.put(c, digest(share.values())));
    return new Rendered(templates, shares, revisions);
  }

  private static String namespace(Middleware mw) {
    return mw.metadata().namespace().orElse("default");
  }

  private static KubeObject template(Middleware mw, KubeObject o) {
    return o.edit(
        n -> {
          ObjectNode meta = (ObjectNode) n.get("metadata");
          ObjectNode labels =
              meta.get("labels") instanceof ObjectNode l ? l : meta.putObject("labels");
          labels.put(MIDDLEWARE_LABEL, mw.name());
          labels.remove(CLUSTER_LABEL);
          ObjectNode ann =
              meta.get("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
          ann.put(GENERATED_BY, "Middleware/" + namespace(mw) + "/" + mw.name());
          // no cluster runs the template's body (each copy's is its override's), and in Kubernetes
          // mode the template is a real object of the host cluster, whose controllers must not
          // start the first cluster's pods there
          if (n.path("kind").asString("").equals("StatefulSet")
              && n.get("spec") instanceof ObjectNode spec
              && spec.has("replicas")) {
            spec.put("replicas", 0);
          }
        });
  }

  /** A cluster's copy of an object it holds no share of. */
  private static KubeObject empty(KubeObject template, String cluster) {
    return template.edit(
        n -> {
          ((ObjectNode) n.get("metadata").get("labels")).put(CLUSTER_LABEL, cluster);
          if (n.get("spec") instanceof ObjectNode spec && spec.has("replicas")) {
            spec.put("replicas", 0);
          }
          if (n.has("data")) {
            n.putObject("data");
          }
        });
  }

  /** The field that holds an object's body: {@code data} for ConfigMaps, else {@code spec}. */
  static String body(KubeObject o) {
    if (o.has("stringData")) {
      return "stringData";
    }
    return o.has("data") || o.kind().equals("ConfigMap") ? "data" : "spec";
  }

  /** The generated PropagationPolicy: every template, to {@code clusters}. */
  public static KubeObject propagationPolicy(
      Middleware mw, Collection<ObjectRef> templates, Collection<String> clusters) {
    return KubeObject.create(
            ApiVersion.API_VERSION, PropagationPolicy.KIND, namespace(mw), mw.name())
        .edit(
            o -> {
              labelled(o, mw);
              ObjectNode spec = o.putObject("spec");
              spec.set("resourceSelectors", selectors(templates));
              ArrayNode names =
                  spec.putObject("placement").putObject("clusterAffinity").putArray("clusterNames");
              clusters.stream().sorted().forEach(names::add);
            });
  }

  /** The name of the generated OverridePolicy for one object in one cluster. */
  public static String overrideName(ObjectRef object, String cluster) {
    return object.name() + "-" + object.kind().toLowerCase(java.util.Locale.ROOT) + "-" + cluster;
  }

  /**
   * The generated OverridePolicy that makes {@code cluster}'s copy of an object its share: replaces
   * the labels and the body, and marks the copy with the share's revision.
   */
  public static KubeObject overridePolicy(
      Middleware mw, String cluster, KubeObject share, String revision) {
    String body = body(share);
    return KubeObject.create(
            ApiVersion.API_VERSION,
            OverridePolicy.KIND,
            namespace(mw),
            overrideName(share.ref(), cluster))
        .edit(
            o -> {
              ((ObjectNode) o.get("metadata"))
                  .putObject("labels")
                  .put(MIDDLEWARE_LABEL, mw.name())
                  .put(CLUSTER_LABEL, cluster);
              ((ObjectNode) o.get("metadata")).putObject("annotations").put(REVISION, revision);
              ObjectNode spec = o.putObject("spec");
              spec.set("resourceSelectors", selectors(List.of(share.ref())));
              spec.put("priority", OVERRIDE_PRIORITY);
              ObjectNode rule = spec.putArray("overrideRules").addObject();
              rule.putObject("targetCluster").putArray("clusterNames").add(cluster);
              ArrayNode ops = rule.putObject("overriders").putArray("plaintext");
              ops.addObject()
                  .put("path", "/metadata/labels")
                  .put("operator", "replace")
                  .set("value", share.at("/metadata/labels")); // at() copies
              ops.addObject()
                  .put("path", "/metadata/annotations/" + REVISION.replace("/", "~1"))
                  .put("operator", "add")
                  .put("value", revision);
              ops.addObject()
                  .put("path", "/" + body)
                  .put("operator", "replace")
                  .set("value", share.at("/" + body));
            });
  }

  private static void labelled(ObjectNode o, Middleware mw) {
    ObjectNode meta = (ObjectNode) o.get("metadata");
    meta.putObject("labels").put(MIDDLEWARE_LABEL, mw.name());
  }

  private static ArrayNode selectors(Collection<ObjectRef> refs) {
    ArrayNode a = F.arrayNode();
    for (ObjectRef r : refs) {
      a.addObject().put("apiVersion", r.apiVersion()).put("kind", r.kind()).put("name", r.name());
    }
    return a;
  }

  /** A short digest of objects, as the revision of a share. */
  static String digest(Collection<KubeObject> objects) {
    MessageDigest sha = sha256();
    for (KubeObject o : objects) {
      sha.update(o.canonicalJson());
      sha.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
  }

  /** A short digest of a JSON value, by its canonical JSON (keys sorted). */
  static String digest(JsonNode value) {
    return HexFormat.of()
        .formatHex(sha256().digest(KubeObject.canonicalJson(value)))
        .substring(0, 12);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always there", e);
    }
  }
}
