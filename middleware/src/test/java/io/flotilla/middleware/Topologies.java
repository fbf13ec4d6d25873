package io.flotilla.middleware;

import io.flotilla.api.Middleware;
import io.flotilla.api.Placement;
import io.flotilla.api.ShardPlacement;
import io.flotilla.api.io.ObjectLoader;
import java.util.List;
import java.util.Map;

/** Test topologies over three clusters, addressed as in Kubernetes. */
public final class Topologies {
  private Topologies() {}

  public static Middleware middleware(String yaml) {
    return ObjectLoader.middlewares("test", yaml).get(0);
  }

  /** One role's counts over dc1, dc2, dc3. */
  public static Placement spread(String role, int dc1, int dc2, int dc3) {
    return Placement.builder()
        .put(role, "dc1", dc1)
        .put(role, "dc2", dc2)
        .put(role, "dc3", dc3)
        .build();
  }

  public static Topology kubernetes(
      Middleware mw,
      Placement placement,
      List<ShardPlacement> shards,
      Map<String, String> credentials) {
    return Topology.of(
        mw,
        placement,
        BaseIds.contiguous(placement, 1),
        shards,
        Addressing.kubernetes(),
        credentials);
  }
}
