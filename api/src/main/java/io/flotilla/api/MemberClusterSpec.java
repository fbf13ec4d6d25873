package io.flotilla.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a member cluster is reached and may be used.
 *
 * @param access how to reach its API; empty when it is only described (as for {@code flotilla
 *     schedule})
 * @param taints what it keeps away
 */
public record MemberClusterSpec(Optional<ClusterAccess> access, List<Taint> taints) {
  public MemberClusterSpec {
    Objects.requireNonNull(access, "access");
    taints = List.copyOf(taints);
  }

  /** A spec with taints and no access. */
  public MemberClusterSpec(List<Taint> taints) {
    this(Optional.empty(), taints);
  }
}
