package io.flotilla.cluster.kubernetes;

import io.flotilla.api.KubeObject;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fallback apply's arithmetic, for servers without server-side apply: what Flotilla sends, and
 * how its desired object is laid over the live one. Pure.
 */
final class ObjectMerge {
  /** metadata fields the server sets; never sent. */
  private static final List<String> SERVER_METADATA =
      List.of(
          "resourceVersion",
          "uid",
          "creationTimestamp",
          "generation",
          "managedFields",
          "selfLink",
          "deletionTimestamp",
          "deletionGracePeriodSeconds");

  private static final List<String> NOT_MERGED =
      List.of("apiVersion", "kind", "metadata", "status");

  private ObjectMerge() {}

  /** {@code desired} without status and without the metadata the server sets. */
  static KubeObject forWrite(KubeObject desired) {
    return desired.edit(
        n -> {
          n.remove("status");
          JsonNode meta = n.get("metadata");
          if (meta instanceof ObjectNode m) {
            SERVER_METADATA.forEach(m::remove);
          }
        });
  }

  /**
   * The live object with what Flotilla sets taken from {@code desired}: every top-level field other
   * than apiVersion, kind, metadata and status replaces the live one; desired's labels and
   * annotations are set over the live ones. Everything else of the live object is kept (other
   * labels and annotations, status, the server's metadata and its resourceVersion).
   */
  static KubeObject merge(KubeObject live, KubeObject desired) {
    ObjectNode want = desired.json();
    return live.edit(
        out -> {
          for (Map.Entry<String, JsonNode> field : want.properties()) {
            if (!NOT_MERGED.contains(field.getKey())) {
              out.set(field.getKey(), field.getValue());
            }
          }
          overlay(out, "labels", desired.labels());
          overlay(out, "annotations", desired.annotations());
        });
  }

  private static void overlay(ObjectNode out, String field, Map<String, String> values) {
    if (values.isEmpty()) {
      return;
    }
    ObjectNode target = out.withObjectProperty("metadata").withObjectProperty(field);
    values.forEach(target::put);
  }

  /** True when the two objects hold the same content, however their numbers were typed. */
  static boolean sameContent(KubeObject a, KubeObject b) {
    return KubeObject.parse(a.toJson()).equals(KubeObject.parse(b.toJson()));
  }
}
