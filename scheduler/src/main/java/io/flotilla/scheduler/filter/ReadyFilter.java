package io.flotilla.scheduler.filter;

import io.flotilla.api.Condition;
import io.flotilla.api.MiddlewareSpec;
import io.flotilla.scheduler.ClusterSnapshot;
import io.flotilla.scheduler.FilterPlugin;
import io.flotilla.scheduler.FilterResult;
import java.util.Optional;

/** Only clusters whose {@code Ready} condition is True are candidates. */
public final class ReadyFilter implements FilterPlugin {
  @Override
  public String name() {
    return "Ready";
  }

  @Override
  public FilterResult filter(MiddlewareSpec spec, ClusterSnapshot cluster) {
    Optional<Condition> ready = cluster.ready();
    if (ready.isEmpty()) {
      return FilterResult.reject("no Ready condition reported");
    }
    if (ready.get().isTrue()) {
      return FilterResult.pass();
    }
    Condition c = ready.get();
    String why = c.reason().isEmpty() ? "" : ": " + c.reason();
    String more = c.message().isEmpty() ? "" : " (" + c.message() + ")";
    return FilterResult.reject("Ready is " + c.status() + why + more);
  }
}
