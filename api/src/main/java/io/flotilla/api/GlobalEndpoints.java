package io.flotilla.api;

import java.util.List;
import java.util.Objects;

/**
 * Where a middleware's global endpoints go: in each of these member clusters, a headless Service
 * without a selector named after the middleware, and the endpoints of every instance of every
 * cluster behind it, so that each instance's name resolves from anywhere.
 *
 * @param clusters the member clusters that get them; empty for every candidate cluster of the
 *     middleware (its {@code clusterNames}, else every member cluster its label selector matches)
 * @param form EndpointSlices (the default) or the legacy Endpoints object of the talk
 */
public record GlobalEndpoints(List<String> clusters, Form form) {
  /** Every candidate cluster, as EndpointSlices. */
  public static final GlobalEndpoints DEFAULT = new GlobalEndpoints(List.of(), Form.ENDPOINT_SLICE);

  public GlobalEndpoints {
    clusters = List.copyOf(clusters);
    Objects.requireNonNull(form, "form");
  }

  /** How the endpoints are written, spelled as in the spec. */
  public enum Form {
    /** discovery.k8s.io/v1 EndpointSlices, at most 100 endpoints each. */
    ENDPOINT_SLICE("EndpointSlice"),
    /**
     * One v1 Endpoints object (deprecated since Kubernetes 1.33), with a placeholder address among
     * the not-ready ones so that it is never empty.
     */
    ENDPOINTS("Endpoints");

    private final String id;

    Form(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }
}
