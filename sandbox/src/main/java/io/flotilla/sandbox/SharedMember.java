package io.flotilla.sandbox;

import io.flotilla.cluster.ForwardingMember;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.WatchHandler;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A control plane's connection to a local cluster: closing it (the control plane stops, or
 * reconnects) ends the watches opened through it, never the cluster, which goes on running its pods
 * on its own — member clusters are autonomous.
 */
final class SharedMember extends ForwardingMember {
  private final Set<MemberWatch> watches = ConcurrentHashMap.newKeySet();

  SharedMember(LocalCluster cluster) {
    super(cluster);
  }

  @Override
  public MemberWatch watch(
      String apiVersion,
      String kind,
      String namespace,
      Map<String, String> labels,
      WatchHandler handler) {
    MemberWatch w = super.watch(apiVersion, kind, namespace, labels, handler);
    watches.add(w);
    return () -> {
      watches.remove(w);
      w.close();
    };
  }

  /** Ends the watches opened through this connection; the cluster goes on. */
  @Override
  public void close() {
    watches.forEach(MemberWatch::close);
    watches.clear();
  }
}
