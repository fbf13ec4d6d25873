package io.flotilla.propagation.render;

import io.flotilla.api.policy.JsonPointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Where the pod spec of a workload is: {@code /spec} of a Pod; {@code /spec/template/spec} of a
 * Deployment, StatefulSet, DaemonSet, ReplicaSet or Job (the kinds Karmada's image and command
 * overriders know); and {@code /spec/jobTemplate/spec/template/spec} of a CronJob.
 */
final class PodTemplates {
  private static final JsonPointer TEMPLATE = JsonPointer.of("spec", "template", "spec");
  private static final Map<String, JsonPointer> POD_SPEC =
      Map.of(
          "Pod", JsonPointer.of("spec"),
          "Deployment", TEMPLATE,
          "StatefulSet", TEMPLATE,
          "DaemonSet", TEMPLATE,
          "ReplicaSet", TEMPLATE,
          "Job", TEMPLATE,
          "CronJob", JsonPointer.of("spec", "jobTemplate", "spec", "template", "spec"));
  private static final String KINDS =
      "Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob";
  private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers");

  private PodTemplates() {}

  /** The pointer to the pod spec of a workload of {@code kind}, if the kind has one. */
  static Optional<JsonPointer> podSpec(String kind) {
    return Optional.ofNullable(POD_SPEC.get(kind));
  }

  /**
   * The pointers to the image of every container, then every init container, of the pod spec; none
   * when the kind has no pod spec or the template lists no containers.
   */
  static List<JsonPointer> imagePaths(JsonNode doc, String kind) {
    List<JsonPointer> out = new ArrayList<>();
    Optional<JsonPointer> spec = podSpec(kind);
    if (spec.isEmpty()) {
      return out;
    }
    JsonNode podSpec = doc.at(spec.get().toString());
    for (String list : CONTAINER_LISTS) {
      JsonNode containers = podSpec.get(list);
      if (containers != null && containers.isArray()) {
        for (int i = 0; i < containers.size(); i++) {
          out.add(spec.get().append(list).append(i).append("image"));
        }
      }
    }
    return out;
  }

  /**
   * The pointer to the container (or init container) named {@code name}; container names are unique
   * across both lists of a pod.
   */
  static JsonPointer container(JsonNode doc, String kind, String name) throws OverrideException {
    Optional<JsonPointer> spec = podSpec(kind);
    if (spec.isEmpty()) {
      throw new OverrideException(
          "/kind",
          kind
              + " has no pod template, so no container \""
              + name
              + "\" (kinds with one: "
              + KINDS
              + ")");
    }
    JsonNode podSpec = doc.at(spec.get().toString());
    List<String> names = new ArrayList<>();
    for (String list : CONTAINER_LISTS) {
      JsonNode containers = podSpec.get(list);
      if (containers == null || !containers.isArray()) {
        continue;
      }
      for (int i = 0; i < containers.size(); i++) {
        JsonNode c = containers.get(i);
        JsonNode n = c.isObject() ? c.get("name") : null;
        String containerName = n != null && n.isString() ? n.stringValue() : "";
        if (n != null && containerName.equals(name)) {
          return spec.get().append(list).append(i);
        }
        names.add(containerName);
      }
    }
    throw new OverrideException(
        spec.get().append("containers").toString(),
        "no container named \""
            + name
            + "\""
            + (names.isEmpty()
                ? " (the pod has no containers)"
                : " (the pod has " + String.join(", ", names) + ")"));
  }
}
