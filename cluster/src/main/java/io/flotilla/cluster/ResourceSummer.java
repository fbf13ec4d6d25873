package io.flotilla.cluster;

import io.flotilla.api.KubeObject;
import io.flotilla.api.Quantity;
import io.flotilla.api.Resources;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A member's {@link ResourceUsage} from its Node and Pod objects, exactly (no floating point), as
 * the Kubernetes scheduler counts. Pure.
 *
 * <ul>
 *   <li>allocatable: the sum of {@code status.allocatable} over nodes whose Ready condition is
 *       True;
 *   <li>allocated: the sum of the effective requests of pods that are not terminated (phase Pending
 *       or Running, or no phase yet), wherever they run.
 * </ul>
 *
 * <p>A pod's effective request is Kubernetes' own ({@code resourcehelper.PodRequests}): pod-level
 * {@code spec.resources.requests} when set; otherwise the larger of (a) the sum over containers
 * plus restartable (sidecar) init containers and (b) the largest init container, each counted with
 * the sidecars started before it; plus {@code spec.overhead}.
 */
public final class ResourceSummer {
  private static final List<String> LIVE_PHASES = List.of("", "Pending", "Running");

  private ResourceSummer() {}

  /**
   * @throws IllegalArgumentException naming the object and field when a quantity does not parse, or
   *     when a sum exceeds {@link Resources#MAX_CPU_MILLIS} or {@link Resources#MAX_MEMORY_BYTES}
   */
  public static ResourceUsage usage(List<KubeObject> nodes, List<KubeObject> pods) {
    Exact allocatable = Exact.ZERO;
    for (KubeObject node : nodes) {
      if (nodeReady(node)) {
        allocatable =
            allocatable.plus(Exact.of(node.at("/status/allocatable"), node, "status.allocatable"));
      }
    }
    Exact allocated = Exact.ZERO;
    for (KubeObject pod : pods) {
      String phase =
          pod.at("/status/phase").isString() ? pod.at("/status/phase").stringValue() : "";
      if (LIVE_PHASES.contains(phase)) {
        allocated = allocated.plus(podRequests(pod));
      }
    }
    return new ResourceUsage(
        allocatable.toResources("allocatable"), allocated.toResources("allocated"));
  }

  /** A pod's effective cpu and memory request, in millicores and bytes, rounded up. */
  public static Resources requests(KubeObject pod) {
    return podRequests(pod).toResources("requests of " + pod.ref());
  }

  private static boolean nodeReady(KubeObject node) {
    JsonNode conditions = node.at("/status/conditions");
    if (conditions.isArray()) {
      for (JsonNode c : conditions) {
        if (isText(c.get("type"), "Ready")) {
          return isText(c.get("status"), "True");
        }
      }
    }
    return false;
  }

  private static Exact podRequests(KubeObject pod) {
    Exact sum = Exact.ZERO;
    JsonNode containers = pod.at("/spec/containers");
    for (int i = 0; i < containers.size(); i++) {
      sum = sum.plus(containerRequests(pod, containers.get(i), "spec.containers[" + i + "]"));
    }
    Exact sidecars = Exact.ZERO;
    Exact largestInit = Exact.ZERO;
    JsonNode inits = pod.at("/spec/initContainers");
    for (int i = 0; i < inits.size(); i++) {
      JsonNode init = inits.get(i);
      Exact own = containerRequests(pod, init, "spec.initContainers[" + i + "]");
      Exact whileRunning;
      if (isText(init.get("restartPolicy"), "Always")) {
        sum = sum.plus(own);
        sidecars = sidecars.plus(own);
        whileRunning = sidecars;
      } else {
        whileRunning = own.plus(sidecars);
      }
      largestInit = largestInit.max(whileRunning);
    }
    Exact effective = sum.max(largestInit);
    JsonNode podLevel = pod.at("/spec/resources/requests");
    if (podLevel.isObject()) {
      effective = effective.override(Exact.of(podLevel, pod, "spec.resources.requests"));
    }
    JsonNode overhead = pod.at("/spec/overhead");
    if (overhead.isObject()) {
      effective = effective.plus(Exact.of(overhead, pod, "spec.overhead"));
    }
    return effective;
  }

  private static Exact containerRequests(KubeObject pod, JsonNode container, String path) {
    JsonNode requests = container.path("resources").path("requests");
    return requests.isObject() ? Exact.of(requests, pod, path + ".resources.requests") : Exact.ZERO;
  }

  private static boolean isText(JsonNode n, String value) {
    return n != null && n.isString() && n.stringValue().equals(value);
  }

  /** cpu (cores) and memory (bytes) as exact decimals; null means "not given" for override. */
  private record Exact(BigDecimal cpu, BigDecimal memory) {
    static final Exact ZERO = new Exact(BigDecimal.ZERO, BigDecimal.ZERO);

    static Exact of(JsonNode list, KubeObject owner, String path) {
      return new Exact(
          quantity(list.get("cpu"), owner, path + ".cpu"),
          quantity(list.get("memory"), owner, path + ".memory"));
    }

    private static BigDecimal quantity(JsonNode n, KubeObject owner, String path) {
      if (n == null || n.isNull()) {
        return null;
      }
      String text = n.isString() ? n.stringValue() : n.isNumber() ? n.asString() : null;
      if (text == null) {
        throw new IllegalArgumentException(owner.ref() + ": " + path + " is not a quantity");
      }
      try {
        return Quantity.parse(text).value();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(owner.ref() + ": " + path + ": " + e.getMessage(), e);
      }
    }

    Exact plus(Exact o) {
      return new Exact(add(cpu, o.cpu), add(memory, o.memory));
    }

    Exact max(Exact o) {
      return new Exact(nz(cpu).max(nz(o.cpu)), nz(memory).max(nz(o.memory)));
    }

    /** o's values where given, this one's elsewhere. */
    Exact override(Exact o) {
      return new Exact(o.cpu != null ? o.cpu : cpu, o.memory != null ? o.memory : memory);
    }

    private static BigDecimal add(BigDecimal a, BigDecimal b) {
      return nz(a).add(nz(b));
    }

    private static BigDecimal nz(BigDecimal v) {
      return v == null ? BigDecimal.ZERO : v;
    }

    Resources toResources(String what) {
      BigInteger millis =
          nz(cpu).movePointRight(3).setScale(0, RoundingMode.CEILING).toBigIntegerExact();
      BigInteger bytes = nz(memory).setScale(0, RoundingMode.CEILING).toBigIntegerExact();
      if (millis.compareTo(BigInteger.valueOf(Resources.MAX_CPU_MILLIS)) > 0
          || bytes.compareTo(BigInteger.valueOf(Resources.MAX_MEMORY_BYTES)) > 0) {
        throw new IllegalArgumentException(
            what
                + " is beyond what Flotilla counts: "
                + millis
                + " millicores, "
                + bytes
                + " bytes");
      }
      return new Resources(millis.longValueExact(), bytes.longValueExact());
    }
  }
}
