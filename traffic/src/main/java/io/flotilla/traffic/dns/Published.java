package io.flotilla.traffic.dns;

import java.util.List;
import java.util.Objects;

/**
 * What one Service or Ingress in one member cluster publishes: its addresses (load-balancer
 * ingress, external IPs, or node addresses for a NodePort), its ports, and for an Ingress the host
 * names of its rules.
 *
 * @param kind "Service" or "Ingress"
 */
public record Published(
    String cluster,
    String kind,
    String namespace,
    String name,
    List<String> targets,
    List<Port> ports,
    List<String> hosts) {
  public Published {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    targets = List.copyOf(targets);
    ports = List.copyOf(ports);
    hosts = List.copyOf(hosts);
  }

  /** A port clients reach the targets on; {@code name} may be empty (no SRV record then). */
  public record Port(String name, String protocol, int port) {}

  /** "Service default/zk in dc1", for messages. */
  public String describe() {
    return kind + " " + namespace + "/" + name + " in " + cluster;
  }
}
