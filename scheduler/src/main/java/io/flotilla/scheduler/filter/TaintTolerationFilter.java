package io.flotilla.scheduler.filter;

import io.flotilla.api.MiddlewareSpec;
import io.flotilla.api.Taint;
import io.flotilla.api.TaintEffect;
import io.flotilla.api.Toleration;
import io.flotilla.scheduler.ClusterSnapshot;
import io.flotilla.scheduler.FilterPlugin;
import io.flotilla.scheduler.FilterResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Taints and tolerations, with Kubernetes' effects: an untolerated NoExecute taint rejects the
 * cluster (its replicas move away, as from a lost cluster); an untolerated NoSchedule taint only
 * restricts it (it keeps its replicas and gets no new ones, as a cordoned cluster).
 */
public final class TaintTolerationFilter implements FilterPlugin {
  @Override
  public String name() {
    return "TaintToleration";
  }

  @Override
  public FilterResult filter(MiddlewareSpec spec, ClusterSnapshot cluster) {
    List<String> noExecute = new ArrayList<>();
    List<String> noSchedule = new ArrayList<>();
    for (Taint taint : cluster.taints()) {
      if (!tolerated(spec, taint)) {
        (taint.effect() == TaintEffect.NoExecute ? noExecute : noSchedule).add(taint.toString());
      }
    }
    if (!noExecute.isEmpty()) {
      return FilterResult.reject(describe(noExecute));
    }
    if (!noSchedule.isEmpty()) {
      return FilterResult.restrict(describe(noSchedule) + ": keeps its replicas, gets no new ones");
    }
    return FilterResult.pass();
  }

  private static boolean tolerated(MiddlewareSpec spec, Taint taint) {
    for (Toleration t : spec.tolerations()) {
      if (t.tolerates(taint)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(List<String> taints) {
    return (taints.size() == 1 ? "taint " : "taints ")
        + String.join(", ", taints)
        + " not tolerated";
  }
}
