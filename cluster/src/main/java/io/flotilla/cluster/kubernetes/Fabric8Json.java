package io.flotilla.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flotilla.api.KubeObject;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Between fabric8's GenericKubernetesResource and KubeObject, through JSON text. */
final class Fabric8Json {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Fabric8Json() {}

  /**
   * A resource the server returned, as a KubeObject. A real API server leaves apiVersion and kind
   * out of list items (the list says them once), so absent ones are filled in from what was asked.
   */
  static KubeObject toKube(
      KubernetesSerialization json, GenericKubernetesResource r, String apiVersion, String kind) {
    ObjectNode tree = (ObjectNode) JSON.readTree(json.asJson(r));
    fill(tree, "apiVersion", apiVersion);
    fill(tree, "kind", kind);
    return KubeObject.of(tree);
  }

  private static void fill(ObjectNode tree, String field, String value) {
    JsonNode current = tree.get(field);
    if (current == null || !current.isString() || current.stringValue().isEmpty()) {
      tree.put(field, value);
    }
  }

  static GenericKubernetesResource toGeneric(KubernetesSerialization json, KubeObject o) {
    return json.unmarshal(o.toJson(), GenericKubernetesResource.class);
  }
}
