package io.flotilla.sandbox;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.PodStatus;
import io.flotilla.cluster.ProbeResult;
import io.flotilla.cluster.ResourceUsage;
import io.flotilla.cluster.WatchHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A control plane's connection to a local cluster: closing it (the control plane stops, or
 * reconnects) ends the watches opened through it, never the cluster, which goes on running its pods
 * on its own — member clusters are autonomous.
 */
final class SharedMember implements Member {
  private final LocalCluster cluster;
  private final Set<MemberWatch> watches = ConcurrentHashMap.newKeySet();

  SharedMember(LocalCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public String name() {
    return cluster.name();
  }

  @Override
  public KubeObject apply(KubeObject desired) {
    return cluster.apply(desired);
  }

  @Override
  public boolean delete(ObjectRef ref) {
    return cluster.delete(ref);
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    return cluster.get(ref);
  }

  @Override
  public List<KubeObject> list(
      String apiVersion, String kind, String namespace, Map<String, String> labels) {
    return cluster.list(apiVersion, kind, namespace, labels);
  }

  @Override
  public List<PodStatus> pods(String namespace, Map<String, String> labels) {
    return cluster.pods(namespace, labels);
  }

  @Override
  public MemberWatch watch(
      String apiVersion,
      String kind,
      String namespace,
      Map<String, String> labels,
      WatchHandler handler) {
    MemberWatch w = cluster.watch(apiVersion, kind, namespace, labels, handler);
    watches.add(w);
    return () -> {
      watches.remove(w);
      w.close();
    };
  }

  @Override
  public ProbeResult probe(Duration timeout) {
    return cluster.probe(timeout);
  }

  @Override
  public ResourceUsage resources() {
    return cluster.resources();
  }

  @Override
  public void close() {
    watches.forEach(MemberWatch::close);
    watches.clear();
  }
}
