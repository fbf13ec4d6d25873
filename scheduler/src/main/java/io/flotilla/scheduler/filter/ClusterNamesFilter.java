package io.flotilla.scheduler.filter;

import io.flotilla.api.MiddlewareSpec;
import io.flotilla.scheduler.ClusterSnapshot;
import io.flotilla.scheduler.FilterPlugin;
import io.flotilla.scheduler.FilterResult;
import java.util.List;

/** When the middleware lists cluster names, only those clusters are candidates. */
public final class ClusterNamesFilter implements FilterPlugin {
  @Override
  public String name() {
    return "ClusterNames";
  }

  @Override
  public FilterResult filter(MiddlewareSpec spec, ClusterSnapshot cluster) {
    List<String> names = spec.clusterAffinity().clusterNames();
    if (names.isEmpty() || names.contains(cluster.name())) {
      return FilterResult.pass();
    }
    return FilterResult.reject("not in clusterNames " + names);
  }
}
