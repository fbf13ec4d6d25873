package io.flotilla.scheduler.filter;

import io.flotilla.api.MiddlewareSpec;
import io.flotilla.api.Resources;
import io.flotilla.scheduler.ClusterSnapshot;
import io.flotilla.scheduler.FilterPlugin;
import io.flotilla.scheduler.FilterResult;

/** A cluster that has not reported its capacity cannot be given replicas. */
public final class ResourceSummaryFilter implements FilterPlugin {
  @Override
  public String name() {
    return "ResourceSummary";
  }

  @Override
  public FilterResult filter(MiddlewareSpec spec, ClusterSnapshot cluster) {
    if (cluster.allocatable().isEmpty()) {
      return FilterResult.reject("no resource summary reported");
    }
    Resources a = cluster.allocatable().get();
    if (a.cpuMillis() <= 0 || a.memoryBytes() <= 0) {
      return FilterResult.reject("allocatable cpu and memory must both be above zero, got " + a);
    }
    return FilterResult.pass();
  }
}
