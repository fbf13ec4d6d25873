package io.flotilla.api;

import java.util.List;

/** How a member cluster may be used: its taints. */
public record MemberClusterSpec(List<Taint> taints) {
  public MemberClusterSpec {
    taints = List.copyOf(taints);
  }
}
