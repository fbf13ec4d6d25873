package io.flotilla.cluster.testing;

import io.flotilla.api.KubeObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A Pod for a {@link MockMember}: labels, phase, readiness, address and container requests. */
public final class MockPod {
  private final MockMember member;
  private final String namespace;
  private final String name;
  private final Map<String, String> labels = new TreeMap<>();
  private String phase = "Running";
  private boolean ready = true;
  private String ip = "";
  private String hostname = "";
  private final List<ObjectNode> containers = new ArrayList<>();
  private final List<ObjectNode> initContainers = new ArrayList<>();

  MockPod(MockMember member, String namespace, String name) {
    this.member = member;
    this.namespace = namespace;
    this.name = name;
  }

  public MockPod label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  public MockPod labels(Map<String, String> more) {
    labels.putAll(more);
    return this;
  }

  /** Running unless set. */
  public MockPod phase(String phase) {
    this.phase = phase;
    return this;
  }

  /** Ready unless set. */
  public MockPod notReady() {
    this.ready = false;
    return this;
  }

  public MockPod ip(String ip) {
    this.ip = ip;
    return this;
  }

  public MockPod hostname(String hostname) {
    this.hostname = hostname;
    return this;
  }

  /** A container requesting cpu and memory (either may be null for none). */
  public MockPod container(String cpu, String memory) {
    containers.add(container("c" + containers.size(), cpu, memory));
    return this;
  }

  /** An init container that runs to completion before the containers start. */
  public MockPod initContainer(String cpu, String memory) {
    initContainers.add(container("init" + initContainers.size(), cpu, memory));
    return this;
  }

  /** A sidecar: an init container with restartPolicy Always, running beside the containers. */
  public MockPod sidecar(String cpu, String memory) {
    initContainers.add(
        container("sidecar" + initContainers.size(), cpu, memory).put("restartPolicy", "Always"));
    return this;
  }

  private static ObjectNode container(String name, String cpu, String memory) {
    ObjectNode c = JsonNodeFactory.instance.objectNode();
    c.put("name", name).put("image", "example.org/app:1");
    ObjectNode requests = c.putObject("resources").putObject("requests");
    if (cpu != null) {
      requests.put("cpu", cpu);
    }
    if (memory != null) {
      requests.put("memory", memory);
    }
    return c;
  }

  /** The Pod object, not created. */
  public KubeObject build() {
    KubeObject pod = KubeObject.create("v1", "Pod", namespace, name);
    for (Map.Entry<String, String> l : labels.entrySet()) {
      pod = pod.withLabel(l.getKey(), l.getValue());
    }
    return pod.edit(
        n -> {
          ObjectNode spec = n.putObject("spec");
          if (!hostname.isEmpty()) {
            spec.put("hostname", hostname);
          }
          ArrayNode cs = spec.putArray("containers");
          (containers.isEmpty() ? List.of(container("c0", null, null)) : containers)
              .forEach(cs::add);
          if (!initContainers.isEmpty()) {
            initContainers.forEach(spec.putArray("initContainers")::add);
          }
          ObjectNode status = n.putObject("status");
          status.put("phase", phase);
          if (!ip.isEmpty()) {
            status.put("podIP", ip);
          }
          status
              .putArray("conditions")
              .addObject()
              .put("type", "Ready")
              .put("status", ready ? "True" : "False");
        });
  }

  /** Creates the Pod in the member's server and returns it as stored. */
  public KubeObject create() {
    return member.create(build());
  }
}
