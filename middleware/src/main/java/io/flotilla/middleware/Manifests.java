package io.flotilla.middleware;

import io.flotilla.api.KubeObject;
import io.flotilla.api.Middleware;
import io.flotilla.api.Quantity;
import io.flotilla.api.ReplicaRequirement;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Kubernetes objects every adapter renders, built the same way for every type: labels, the
 * global headless Service, a ConfigMap of per-instance files, and a StatefulSet whose ordinals
 * start at the share's base id. Output is plain JSON in a fixed field order.
 */
public final class Manifests {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Mounted read-only in every pod; holds every instance's files as {@code <file>.<id>}. */
  public static final String CONFIG_DIR = "/flotilla/config";

  /** Each pod's persistent volume. */
  public static final String DATA_DIR = "/data";

  /** Where a role that needs credentials finds the Secret {@code <middleware>-credentials}. */
  public static final String CREDENTIALS_DIR = "/flotilla/credentials";

  private Manifests() {}

  /** A port a role's containers and the headless Service expose. */
  public record Port(String name, int port) {}

  /**
   * What a role's StatefulSet runs; everything else comes from the topology.
   *
   * @param credentials mount the Secret {@code <middleware>-credentials} read-only at {@link
   *     #CREDENTIALS_DIR} (written by the controller; never a ConfigMap)
   */
  public record Container(
      String image,
      String startScript,
      List<Port> ports,
      Map<String, String> environment,
      ObjectNode readinessProbe,
      boolean credentials) {
    public Container {
      ports = List.copyOf(ports);
      environment = Map.copyOf(environment);
    }
  }

  /** The labels every object of the middleware carries, and for a role, its component. */
  public static ObjectNode labels(Middleware mw, String role, String cluster) {
    ObjectNode l = F.objectNode();
    l.put("app.kubernetes.io/name", mw.spec().type().id());
    l.put("app.kubernetes.io/instance", mw.name());
    if (role != null) {
      l.put("app.kubernetes.io/component", role);
    }
    l.put("app.kubernetes.io/managed-by", "flotilla");
    if (cluster != null) {
      l.put("flotilla.io/cluster", cluster);
    }
    return l;
  }

  private static ObjectNode metadata(Middleware mw, String name, ObjectNode labels) {
    ObjectNode m = F.objectNode();
    m.put("name", name);
    m.put("namespace", mw.metadata().namespace().orElse("default"));
    m.set("labels", labels);
    return m;
  }

  private static KubeObject object(
      String apiVersion, String kind, ObjectNode metadata, String field, ObjectNode body) {
    ObjectNode o = F.objectNode();
    o.put("apiVersion", apiVersion);
    o.put("kind", kind);
    o.set("metadata", metadata);
    o.set(field, body);
    return KubeObject.of(o);
  }

  /**
   * The Service named after the middleware: headless and without a selector, so that the traffic
   * layer fills its EndpointSlices with every cluster's instances and {@code
   * <pod>.<middleware>.<namespace>.svc} resolves everywhere.
   */
  public static KubeObject headlessService(Middleware mw, String cluster, List<Port> ports) {
    ObjectNode spec = F.objectNode();
    spec.put("clusterIP", "None");
    spec.put("publishNotReadyAddresses", true);
    ArrayNode p = spec.putArray("ports");
    for (Port port : ports) {
      p.addObject()
          .put("name", port.name())
          .put("port", port.port())
          .put("targetPort", port.port());
    }
    return object(
        "v1", "Service", metadata(mw, mw.name(), labels(mw, null, cluster)), "spec", spec);
  }

  /** A role's ConfigMap in one cluster: {@code <file>.<id>} for each instance of the share. */
  public static KubeObject configMap(
      Middleware mw, String role, String cluster, SortedMap<String, String> data) {
    ObjectNode d = F.objectNode();
    data.forEach(d::put);
    return object(
        "v1",
        "ConfigMap",
        metadata(mw, mw.name() + "-" + role, labels(mw, role, cluster)),
        "data",
        d);
  }

  /**
   * A role's StatefulSet in one cluster: {@code count} pods numbered from {@code baseId}, under the
   * middleware's headless Service, each running the container's start script with the config files
   * mounted at {@link #CONFIG_DIR} and a persistent volume at {@link #DATA_DIR}.
   */
  public static KubeObject statefulSet(
      Middleware mw,
      ReplicaRequirement role,
      String cluster,
      int baseId,
      int count,
      Container c,
      String storage) {
    String name = mw.name() + "-" + role.role();
    ObjectNode selector = F.objectNode();
    selector.put("app.kubernetes.io/instance", mw.name());
    selector.put("app.kubernetes.io/component", role.role());

    ObjectNode container = F.objectNode();
    container.put("name", role.role());
    container.put("image", c.image());
    container.putArray("command").add("sh").add("-c").add(c.startScript());
    ArrayNode ports = container.putArray("ports");
    for (Port p : c.ports()) {
      ports.addObject().put("name", p.name()).put("containerPort", p.port());
    }
    ArrayNode env = container.putArray("env");
    env.addObject()
        .put("name", "POD_NAME")
        .putObject("valueFrom")
        .putObject("fieldRef")
        .put("fieldPath", "metadata.name");
    env.addObject().put("name", "FLOTILLA_CLUSTER").put("value", cluster);
    new java.util.TreeMap<>(c.environment())
        .forEach((k, v) -> env.addObject().put("name", k).put("value", v));
    container.set("resources", resources(role));
    if (c.readinessProbe() != null) {
      container.set("readinessProbe", c.readinessProbe());
    }
    ArrayNode mounts = container.putArray("volumeMounts");
    mounts.addObject().put("name", "config").put("mountPath", CONFIG_DIR).put("readOnly", true);
    mounts.addObject().put("name", "data").put("mountPath", DATA_DIR);
    if (c.credentials()) {
      mounts
          .addObject()
          .put("name", "credentials")
          .put("mountPath", CREDENTIALS_DIR)
          .put("readOnly", true);
    }

    ObjectNode pod = F.objectNode();
    pod.set("metadata", F.objectNode().set("labels", labels(mw, role.role(), cluster)));
    ObjectNode podSpec = pod.putObject("spec");
    podSpec.putArray("containers").add(container);
    ArrayNode volumes = podSpec.putArray("volumes");
    volumes.addObject().put("name", "config").putObject("configMap").put("name", name);
    if (c.credentials()) {
      volumes
          .addObject()
          .put("name", "credentials")
          .putObject("secret")
          .put("secretName", mw.name() + "-credentials");
    }
    ObjectNode affinity = podSpec.putObject("affinity").putObject("podAntiAffinity");
    ObjectNode preferred =
        affinity.putArray("preferredDuringSchedulingIgnoredDuringExecution").addObject();
    preferred.put("weight", 100);
    ObjectNode term = preferred.putObject("podAffinityTerm");
    term.putObject("labelSelector").set("matchLabels", selector.deepCopy());
    term.put("topologyKey", "kubernetes.io/hostname");

    ObjectNode spec = F.objectNode();
    spec.put("replicas", count);
    spec.putObject("ordinals").put("start", baseId);
    spec.put("serviceName", mw.name());
    spec.put("podManagementPolicy", "Parallel");
    spec.putObject("selector").set("matchLabels", selector);
    spec.set("template", pod);
    ObjectNode claim = spec.putArray("volumeClaimTemplates").addObject();
    claim.putObject("metadata").put("name", "data");
    ObjectNode claimSpec = claim.putObject("spec");
    claimSpec.putArray("accessModes").add("ReadWriteOnce");
    claimSpec.putObject("resources").putObject("requests").put("storage", storage);
    return object(
        "apps/v1",
        "StatefulSet",
        metadata(mw, name, labels(mw, role.role(), cluster)),
        "spec",
        spec);
  }

  private static ObjectNode resources(ReplicaRequirement role) {
    ObjectNode r = F.objectNode();
    ObjectNode requests = F.objectNode();
    role.resourceRequest().requests().quantities().forEach((k, q) -> requests.put(k, text(q)));
    ObjectNode limits = F.objectNode();
    role.resourceRequest().limits().quantities().forEach((k, q) -> limits.put(k, text(q)));
    if (!requests.isEmpty()) {
      r.set("requests", requests);
    }
    if (!limits.isEmpty()) {
      r.set("limits", limits);
    }
    return r;
  }

  private static String text(Quantity q) {
    return q.toString();
  }

  /** A readiness probe that runs a command in the container. */
  public static ObjectNode execProbe(String... command) {
    ObjectNode probe = F.objectNode();
    ArrayNode cmd = probe.putObject("exec").putArray("command");
    for (String c : command) {
      cmd.add(c);
    }
    probe.put("periodSeconds", 5);
    probe.put("failureThreshold", 3);
    return probe;
  }

  /** A readiness probe that opens a TCP connection. */
  public static ObjectNode tcpProbe(int port) {
    ObjectNode probe = F.objectNode();
    probe.putObject("tcpSocket").put("port", port);
    probe.put("periodSeconds", 5);
    probe.put("failureThreshold", 3);
    return probe;
  }
}
