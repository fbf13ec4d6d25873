package io.flotilla.cluster.status;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.MemberClusterStatus;
import io.flotilla.api.Resources;
import io.flotilla.api.TaintEffect;
import io.flotilla.cluster.ResourceUsage;
import io.flotilla.cluster.health.MemberHealth;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes what the health monitor found into a MemberCluster object: its Ready condition, the {@code
 * flotilla.io/unreachable:NoExecute} taint, and its resource summary. Pure: JSON in, JSON out;
 * everything else in the object is kept as it was.
 */
public final class MemberClusterStatusWriter {
  /** The taint a NotReady member carries, so that workloads not tolerating it move away. */
  public static final String UNREACHABLE_TAINT = "flotilla.io/unreachable";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private MemberClusterStatusWriter() {}

  /**
   * Sets the Ready condition (status True or False, reason, message, RFC 3339 times) and the
   * unreachable taint: added when not ready (once, whatever taints others set), removed when ready.
   * The condition's lastTransitionTime stays as it was while its status does not change, so a
   * monitor restarted with a fresh memory does not move it.
   *
   * @throws IllegalArgumentException when the object is not a flotilla.io MemberCluster
   */
  public static KubeObject withHealth(KubeObject memberCluster, MemberHealth health) {
    check(memberCluster);
    Objects.requireNonNull(health, "health");
    return memberCluster.edit(
        root -> {
          setReadyCondition(root.withObjectProperty("status"), health);
          setTaint(root, health);
        });
  }

  /**
   * Sets status.resourceSummary to the usage in Kubernetes quantities (cpu "1500m" or "2", memory
   * in the largest binary unit that divides it exactly, else bytes). A member with no allocatable
   * cpu or memory (no Ready node) has no summary: the summary is removed, and the scheduler then
   * passes the member over as one that reported no capacity.
   *
   * @throws IllegalArgumentException when the object is not a flotilla.io MemberCluster
   */
  public static KubeObject withResources(KubeObject memberCluster, ResourceUsage usage) {
    check(memberCluster);
    Objects.requireNonNull(usage, "usage");
    return memberCluster.edit(
        root -> {
          ObjectNode status = root.withObjectProperty("status");
          Resources allocatable = usage.allocatable();
          if (allocatable.cpuMillis() <= 0 || allocatable.memoryBytes() <= 0) {
            status.remove("resourceSummary");
            return;
          }
          ObjectNode summary = NODES.objectNode();
          summary.set("allocatable", quantities(allocatable));
          summary.set("allocated", quantities(usage.allocated()));
          status.set("resourceSummary", summary);
        });
  }

  private static void check(KubeObject o) {
    Objects.requireNonNull(o, "memberCluster");
    if (!o.apiVersion().equals(ApiVersion.API_VERSION) || !o.kind().equals(MemberCluster.KIND)) {
      throw new IllegalArgumentException(
          "expected a "
              + ApiVersion.API_VERSION
              + " "
              + MemberCluster.KIND
              + ", got "
              + o.apiVersion()
              + " "
              + o.kind()
              + " "
              + o.name());
    }
  }

  private static void setReadyCondition(ObjectNode status, MemberHealth health) {
    JsonNode existing = status.get("conditions");
    ArrayNode conditions = existing instanceof ArrayNode a ? a : status.putArray("conditions");
    String newStatus = health.ready() ? "True" : "False";
    ObjectNode ready = null;
    for (JsonNode c : conditions) {
      if (c instanceof ObjectNode o && MemberClusterStatus.READY.equals(text(o, "type"))) {
        ready = o;
        break;
      }
    }
    String transition = time(health.lastTransitionTime());
    if (ready == null) {
      ready = conditions.addObject();
    } else if (newStatus.equals(text(ready, "status"))
        && !text(ready, "lastTransitionTime").isEmpty()) {
      transition = text(ready, "lastTransitionTime");
    }
    String previousHeartbeat = text(ready, "lastHeartbeatTime");
    ready.removeAll();
    ready.put("type", MemberClusterStatus.READY);
    ready.put("status", newStatus);
    ready.put("reason", health.reason());
    ready.put("message", health.message());
    ready.put("lastTransitionTime", transition);
    if (health.lastHeartbeatTime().isPresent()) {
      ready.put("lastHeartbeatTime", time(health.lastHeartbeatTime().get()));
    } else if (!previousHeartbeat.isEmpty()) {
      ready.put("lastHeartbeatTime", previousHeartbeat);
    }
  }

  private static void setTaint(ObjectNode root, MemberHealth health) {
    JsonNode spec = root.get("spec");
    JsonNode existing = spec == null ? null : spec.get("taints");
    ArrayNode kept = NODES.arrayNode();
    boolean present = false;
    if (existing != null && existing.isArray()) {
      for (JsonNode t : existing) {
        boolean ours =
            UNREACHABLE_TAINT.equals(text(t, "key"))
                && TaintEffect.NoExecute.name().equals(text(t, "effect"));
        if (!ours) {
          kept.add(t);
        } else if (!health.ready() && !present) {
          kept.add(t); // keep the one already there, with its timeAdded
          present = true;
        }
      }
    }
    if (!health.ready() && !present) {
      ObjectNode taint = kept.addObject();
      taint.put("key", UNREACHABLE_TAINT);
      taint.put("effect", TaintEffect.NoExecute.name());
      taint.put("timeAdded", time(health.lastTransitionTime()));
    }
    if (kept.isEmpty() && (existing == null || existing.isEmpty())) {
      return; // nothing was there and nothing is needed: leave spec as it is
    }
    ObjectNode specNode = root.withObjectProperty("spec");
    if (kept.isEmpty()) {
      specNode.remove("taints");
    } else {
      specNode.set("taints", kept);
    }
  }

  private static ObjectNode quantities(Resources r) {
    ObjectNode n = NODES.objectNode();
    n.put("cpu", Resources.formatCpu(r.cpuMillis()));
    n.put("memory", Resources.formatMemory(r.memoryBytes()));
    return n;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v != null && v.isString() ? v.stringValue() : "";
  }

  /** RFC 3339 in UTC with whole seconds, as Kubernetes writes times: 2026-11-26T12:00:00Z. */
  static String time(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }
}
