package io.flotilla.scheduler.filter;

import io.flotilla.api.MiddlewareSpec;
import io.flotilla.scheduler.ClusterSnapshot;
import io.flotilla.scheduler.FilterPlugin;
import io.flotilla.scheduler.FilterResult;
import java.util.List;

/** When the middleware lists cluster names, only those clusters are candidates. */
public final class ClusterNamesFilter implements FilterPlugin {
  /** The last list of names and its reason: a pass asks about every cluster with the same list. */
  private record Reason(List<String> names, String text) {}

  private volatile Reason last = new Reason(List.of(), "");

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
    Reason r = last;
    if (r.names() != names) {
      r = new Reason(names, "not in clusterNames " + names);
      last = r;
    }
    return FilterResult.reject(r.text());
  }
}
