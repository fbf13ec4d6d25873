package io.flotilla.scheduler;

import io.flotilla.api.Condition;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.MemberClusterStatus;
import io.flotilla.api.Resources;
import io.flotilla.api.Taint;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the scheduler knows of one member cluster at the start of a decision: an immutable value.
 *
 * @param allocatable absent when the cluster reported no resource summary
 */
public record ClusterSnapshot(
    String name,
    Map<String, String> labels,
    List<Taint> taints,
    Optional<Condition> ready,
    Optional<Resources> allocatable,
    Resources allocated) {
  public ClusterSnapshot {
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
    taints = List.copyOf(taints);
    Objects.requireNonNull(ready, "ready");
    Objects.requireNonNull(allocatable, "allocatable");
    Objects.requireNonNull(allocated, "allocated");
  }

  public static ClusterSnapshot of(MemberCluster c) {
    MemberClusterStatus s = c.status();
    return new ClusterSnapshot(
        c.name(),
        c.metadata().labels(),
        c.spec().taints(),
        s.condition(MemberClusterStatus.READY),
        s.resourceSummary().map(r -> r.allocatable().toResources()),
        s.resourceSummary().map(r -> r.allocated().toResources()).orElse(Resources.ZERO));
  }

  public boolean isReady() {
    return ready.map(Condition::isTrue).orElse(false);
  }
}
