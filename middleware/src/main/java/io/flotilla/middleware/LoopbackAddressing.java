package io.flotilla.middleware;

import io.flotilla.api.Middleware;
import io.flotilla.api.ReplicaRequirement;
import java.util.List;

/**
 * Addresses for instances run on one machine (the sandbox, tests): every instance gets its own
 * loopback address, so every server can bind its standard ports. Cluster c (1-based, in the order
 * given) holds {@code 127.c.x.y}, with x and y from the role's position and the instance id: {@code
 * x = role * 32 + id / 250}, {@code y = id % 250 + 1}, which keeps ids up to 7,999 per role apart.
 * On Linux the whole of 127.0.0.0/8 reaches the loopback interface.
 */
public final class LoopbackAddressing implements Addressing {
  private final List<String> clusters;

  /**
   * @param clusters the clusters in the order that numbers them (at most 254)
   */
  public LoopbackAddressing(List<String> clusters) {
    if (clusters.size() > 254) {
      throw new IllegalArgumentException("at most 254 local clusters, got " + clusters.size());
    }
    this.clusters = List.copyOf(clusters);
  }

  @Override
  public String host(Middleware mw, Instance i) {
    int c = clusters.indexOf(i.cluster());
    if (c < 0) {
      throw new IllegalArgumentException("no local cluster " + i.cluster() + " among " + clusters);
    }
    List<ReplicaRequirement> roles = mw.spec().replicaRequirements();
    int role = 0;
    while (role < roles.size() && !roles.get(role).role().equals(i.role())) {
      role++;
    }
    if (role >= 8 || i.id() >= 8000) {
      throw new IllegalArgumentException("instance " + i + " is beyond the loopback address plan");
    }
    return "127." + (c + 1) + "." + (role * 32 + i.id() / 250) + "." + (i.id() % 250 + 1);
  }
}
