package io.flotilla.ops;

import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import java.util.Set;

/**
 * Makes a live middleware's membership match a new topology, in one call per type: what the
 * federation controller runs after failover migration or scaling has started the new instances.
 * Built from the type's membership operations; every step is decided from the live state, so the
 * call is idempotent and may be re-run after a crash at any point.
 */
public interface MembershipDriver {
  /**
   * Removes the lost instances from the membership, joins the new ones, re-replicates, reassigns or
   * promotes as the type needs, clears temporary exclusions, and returns once the middleware is at
   * full strength with the membership of {@code after}. Running it again after a success changes
   * nothing; running it again after a failure or a crash part-way finishes the job.
   *
   * @param before the topology whose instances the live middleware knows
   * @param after the desired topology; its instances that are not in {@code before} have been
   *     started and are ready (the adapter's readiness), those in both are unchanged
   * @param lost instances of {@code before} that are gone for good (their cluster lost, or removed
   *     by a scale-down); none of them is in {@code after}
   * @throws MembershipException naming the middleware, the operation and the reason, when the
   *     membership cannot be made to match or the middleware does not get back to full strength in
   *     time
   * @throws IllegalArgumentException when {@code lost} is not part of {@code before} or is in
   *     {@code after}
   */
  void reconcile(Topology before, Topology after, Set<Instance> lost);
}
