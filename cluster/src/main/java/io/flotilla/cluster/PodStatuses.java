package io.flotilla.cluster;

import io.flotilla.api.KubeObject;
import tools.jackson.databind.JsonNode;

/** Reads a {@link PodStatus} from a Pod object. Pure. */
public final class PodStatuses {
  private PodStatuses() {}

  /**
   * The pod's phase (Pending when the server has not set one yet, as the API server does on
   * creation), whether its Ready condition is True, its IP ("" before it has one), and its hostname
   * (spec.hostname, or the pod's name).
   */
  public static PodStatus of(KubeObject pod) {
    String phase = text(pod.at("/status/phase"));
    boolean ready = false;
    JsonNode conditions = pod.at("/status/conditions");
    if (conditions.isArray()) {
      for (JsonNode c : conditions) {
        if ("Ready".equals(text(c.get("type")))) {
          ready = "True".equals(text(c.get("status")));
        }
      }
    }
    String hostname = text(pod.at("/spec/hostname"));
    return new PodStatus(
        pod.namespace(),
        pod.name(),
        phase.isEmpty() ? "Pending" : phase,
        ready,
        text(pod.at("/status/podIP")),
        hostname.isEmpty() ? pod.name() : hostname,
        pod.labels());
  }

  private static String text(JsonNode n) {
    return n != null && n.isString() ? n.stringValue() : "";
  }
}
