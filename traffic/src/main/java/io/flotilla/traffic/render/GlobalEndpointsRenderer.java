package io.flotilla.traffic.render;

import io.flotilla.api.KubeObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a middleware's global endpoints for one member cluster (pure): the headless Service
 * without a selector, and either EndpointSlices or the legacy Endpoints object holding every
 * instance of every cluster. The same objects go to every cluster.
 */
public final class GlobalEndpointsRenderer {
  /** Kubernetes' default (and the EndpointSlice controller's) limit of endpoints per slice. */
  public static final int MAX_ENDPOINTS_PER_SLICE = 100;

  /** The label that makes an EndpointSlice belong to a Service. */
  public static final String SERVICE_NAME = "kubernetes.io/service-name";

  /** The label that tells Kubernetes' own controller to leave a slice alone. */
  public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";

  public static final String MANAGED_BY_VALUE = "flotilla.io";

  /** On every object Flotilla writes for global endpoints: the middleware's name. */
  public static final String GLOBAL_ENDPOINTS = "flotilla.io/global-endpoints";

  /**
   * In the legacy form, the not-ready address an Endpoints object holds when no instance has an
   * address yet, so that it is never empty (192.0.2.1 is TEST-NET-1, never routed).
   */
  public static final String PLACEHOLDER_IP = "192.0.2.1";

  public static final String PLACEHOLDER_HOSTNAME = "flotilla-placeholder";

  private static final Pattern IPV4 =
      Pattern.compile(
          "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");

  private GlobalEndpointsRenderer() {}

  /** A port of the Service; {@code targetPort} is where instances listen. */
  public record Port(String name, int port, int targetPort, String protocol) {
    public Port {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(protocol, "protocol");
    }
  }

  /**
   * One instance: its cluster, its hostname (the pod name, unique across clusters thanks to base
   * ids), its address, and whether it is ready.
   */
  public record Endpoint(String cluster, String hostname, String address, boolean ready) {
    public Endpoint {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(hostname, "hostname");
      Objects.requireNonNull(address, "address");
    }

    /** IPv4, IPv6 or FQDN, as an EndpointSlice's addressType names it. */
    public String addressType() {
      if (IPV4.matcher(address).matches()) {
        return "IPv4";
      }
      return address.indexOf(':') >= 0 ? "IPv6" : "FQDN";
    }
  }

  private static final Comparator<Endpoint> ORDER =
      Comparator.comparing(Endpoint::cluster)
          .thenComparing(Endpoint::hostname)
          .thenComparing(Endpoint::address);

  /** The headless Service without a selector, named after the middleware. */
  public static KubeObject service(String namespace, String name, List<Port> ports) {
    return KubeObject.create("v1", "Service", namespace, name)
        .withLabel(GLOBAL_ENDPOINTS, name)
        .edit(
            n -> {
              ObjectNode spec = n.putObject("spec");
              spec.put("clusterIP", "None");
              spec.put("publishNotReadyAddresses", true);
              ArrayNode p = spec.putArray("ports");
              for (Port port : ports) {
                p.addObject()
                    .put("name", port.name())
                    .put("port", port.port())
                    .put("targetPort", port.targetPort())
                    .put("protocol", port.protocol());
              }
            });
  }

  /**
   * The EndpointSlices of the Service {@code name}: one address type per slice (as Kubernetes
   * requires), at most {@link #MAX_ENDPOINTS_PER_SLICE} endpoints each, named {@code
   * <name>-flotilla-<n>}; endpoints sorted by cluster then hostname, so that the same instances
   * always give the same slices.
   */
  public static List<KubeObject> slices(
      String namespace, String name, List<Port> ports, List<Endpoint> endpoints) {
    Map<String, List<Endpoint>> byType = new TreeMap<>();
    endpoints.stream()
        .sorted(ORDER)
        .forEach(e -> byType.computeIfAbsent(e.addressType(), t -> new ArrayList<>()).add(e));
    List<KubeObject> out = new ArrayList<>();
    for (Map.Entry<String, List<Endpoint>> type : byType.entrySet()) {
      List<Endpoint> all = type.getValue();
      for (int from = 0; from < all.size(); from += MAX_ENDPOINTS_PER_SLICE) {
        List<Endpoint> chunk =
            all.subList(from, Math.min(all.size(), from + MAX_ENDPOINTS_PER_SLICE));
        out.add(slice(namespace, name, out.size(), type.getKey(), ports, chunk));
      }
    }
    return out;
  }

  /** The name of the n-th slice of a Service. */
  public static String sliceName(String service, int n) {
    return service + "-flotilla-" + n;
  }

  private static KubeObject slice(
      String namespace,
      String service,
      int n,
      String addressType,
      List<Port> ports,
      List<Endpoint> endpoints) {
    return KubeObject.create(
            "discovery.k8s.io/v1", "EndpointSlice", namespace, sliceName(service, n))
        .withLabel(SERVICE_NAME, service)
        .withLabel(MANAGED_BY, MANAGED_BY_VALUE)
        .withLabel(GLOBAL_ENDPOINTS, service)
        .edit(
            o -> {
              o.put("addressType", addressType);
              ArrayNode eps = o.putArray("endpoints");
              for (Endpoint e : endpoints) {
                ObjectNode ep = eps.addObject();
                ep.putArray("addresses").add(e.address());
                ep.putObject("conditions")
                    .put("ready", e.ready())
                    .put("serving", e.ready())
                    .put("terminating", false);
                ep.put("hostname", e.hostname());
                ep.put("zone", e.cluster());
              }
              ArrayNode p = o.putArray("ports");
              for (Port port : ports) {
                p.addObject()
                    .put("name", port.name())
                    .put("port", port.targetPort())
                    .put("protocol", port.protocol());
              }
            });
  }

  /**
   * The legacy Endpoints object of the Service {@code name} (the talk's form): ready instances
   * under {@code addresses}, the others under {@code notReadyAddresses}, each with its hostname.
   * Endpoints hold IP addresses only, so FQDN endpoints are left out. With no address at all it
   * holds the placeholder, so that it is never empty.
   */
  public static KubeObject endpoints(
      String namespace, String name, List<Port> ports, List<Endpoint> endpoints) {
    List<Endpoint> sorted =
        endpoints.stream().filter(e -> !e.addressType().equals("FQDN")).sorted(ORDER).toList();
    return KubeObject.create("v1", "Endpoints", namespace, name)
        .withLabel(GLOBAL_ENDPOINTS, name)
        .edit(
            o -> {
              ObjectNode subset = o.putArray("subsets").addObject();
              ArrayNode ready = subset.putArray("addresses");
              ArrayNode notReady = subset.putArray("notReadyAddresses");
              for (Endpoint e : sorted) {
                (e.ready() ? ready : notReady)
                    .addObject()
                    .put("ip", e.address())
                    .put("hostname", e.hostname());
              }
              if (sorted.isEmpty()) {
                notReady
                    .addObject()
                    .put("ip", PLACEHOLDER_IP)
                    .put("hostname", PLACEHOLDER_HOSTNAME);
              }
              if (ready.isEmpty()) {
                subset.remove("addresses");
              }
              if (notReady.isEmpty()) {
                subset.remove("notReadyAddresses");
              }
              ArrayNode p = subset.putArray("ports");
              for (Port port : ports) {
                p.addObject()
                    .put("name", port.name())
                    .put("port", port.targetPort())
                    .put("protocol", port.protocol());
              }
            });
  }
}
