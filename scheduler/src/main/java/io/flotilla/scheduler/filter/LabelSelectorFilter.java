package io.flotilla.scheduler.filter;

import io.flotilla.api.LabelSelector;
import io.flotilla.api.MiddlewareSpec;
import io.flotilla.scheduler.ClusterSnapshot;
import io.flotilla.scheduler.FilterPlugin;
import io.flotilla.scheduler.FilterResult;
import java.util.Optional;

/** When the middleware has a cluster label selector, only matching clusters are candidates. */
public final class LabelSelectorFilter implements FilterPlugin {
  @Override
  public String name() {
    return "LabelSelector";
  }

  @Override
  public FilterResult filter(MiddlewareSpec spec, ClusterSnapshot cluster) {
    Optional<LabelSelector> selector = spec.clusterAffinity().labelSelector();
    if (selector.isEmpty() || selector.get().matches(cluster.labels())) {
      return FilterResult.pass();
    }
    return FilterResult.reject("labels do not match selector " + selector.get());
  }
}
