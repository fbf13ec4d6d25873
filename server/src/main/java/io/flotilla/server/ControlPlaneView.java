package io.flotilla.server;

import tools.jackson.databind.JsonNode;

/**
 * What the API serves beyond stored objects, computed by the controller from the live state: the
 * global view, the what-if of a cluster loss, and the relocation of instances by hand. The JSON
 * shapes are in {@code docs/api.md}; the server passes them through unchanged.
 */
public interface ControlPlaneView {
  /**
   * Every instance of every Middleware with its cluster, id, address and readiness, and every
   * member cluster's health: {@code {"middlewares": [...], "clusters": [...]}}.
   */
  JsonNode globalView();

  /**
   * What losing {@code cluster} would do, from the live state, without changing anything: every
   * Middleware touched, where each lost instance would go, whether each voter set keeps quorum and
   * the capacity left afterwards.
   *
   * @throws java.util.NoSuchElementException when there is no member cluster of that name
   */
  JsonNode drill(String cluster);

  /**
   * Moves {@code relocation.count()} instances of a role from one member cluster to another: from
   * the Middleware's current placement ({@code status.placement}), the pinned placement after the
   * move, checked by the scheduler with the inputs the controller uses (the live member clusters,
   * the previous placement); unless {@code dryRun}, written as the role's {@code
   * spec.pinnedPlacement} with optimistic concurrency, for the controller to roll out. Answers
   * {@code {"namespace", "name", "role", "from", "to", "count", "dryRun", "placement",
   * "pinnedPlacement", "skewExceeded", "generation"}} (docs/api.md).
   *
   * @throws java.util.NoSuchElementException when there is no such Middleware, role or member
   *     cluster
   * @throws RefusedException when the move cannot be made as asked: not placed yet, fewer instances
   *     there than asked, or the scheduler would not accept the placement (its reasons)
   * @throws java.util.ConcurrentModificationException when the Middleware kept changing under the
   *     write (every try met a newer resourceVersion)
   */
  JsonNode relocate(String namespace, String name, Relocation relocation, boolean dryRun);
}
