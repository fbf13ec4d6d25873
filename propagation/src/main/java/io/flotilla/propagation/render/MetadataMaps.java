package io.flotilla.propagation.render;

import io.flotilla.api.io.Fields;
import io.flotilla.api.policy.JsonPointer;
import io.flotilla.api.policy.LabelAnnotationOverrider;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a labels or annotations overrider to {@code metadata}, as Karmada's {@code
 * pkg/util/overridemanager/labelannotationoverrider.go}: {@code add} sets every entry (creating the
 * map when absent); {@code replace} sets the keys already there; {@code remove} deletes the keys
 * there. Keys that are not there are skipped by replace and remove, as in Karmada.
 */
final class MetadataMaps {
  /** Which map of the metadata an overrider changes. */
  enum Target {
    LABELS("labels"),
    ANNOTATIONS("annotations");

    private final String field;

    Target(String field) {
      this.field = field;
    }
  }

  private MetadataMaps() {}

  static JsonNode apply(JsonNode doc, Target target, LabelAnnotationOverrider o)
      throws OverrideException {
    JsonPointer path = JsonPointer.of("metadata", target.field);
    JsonNode metadata = doc.get("metadata");
    if (metadata == null || !metadata.isObject()) {
      throw new OverrideException("/metadata", "the object has no metadata");
    }
    JsonNode current = metadata.get(target.field);
    if (current != null && !current.isNull() && !current.isObject()) {
      throw new OverrideException(
          path.toString(), "is " + Fields.describe(current) + ", not a map of strings");
    }
    ObjectNode map =
        current == null || current.isNull()
            ? ((ObjectNode) metadata).putObject(target.field)
            : (ObjectNode) current;
    for (Map.Entry<String, String> e : o.value().entrySet()) {
      switch (o.operator()) {
        case ADD -> map.put(e.getKey(), e.getValue());
        case REPLACE -> {
          if (map.has(e.getKey())) {
            map.put(e.getKey(), e.getValue());
          }
        }
        case REMOVE -> map.remove(e.getKey());
      }
    }
    if (map.isEmpty() && (current == null || current.isNull())) {
      ((ObjectNode) metadata).remove(target.field);
    }
    return doc;
  }
}
