package io.flotilla.controller;

import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import java.util.Set;

/**
 * The adapter's membership operations, as the controller calls them once a new placement's
 * instances are all ready: make the live middleware's membership match {@code after} — join the new
 * instances, remove the {@code lost} ones. Idempotent: the controller calls it again after a crash
 * part-way, and again is harmless after a success.
 */
@FunctionalInterface
public interface MembershipHook {
  /**
   * @param before the topology the membership holds now (empty for a new resource)
   * @param lost instances of {@code before} that are gone for good
   * @throws RuntimeException when the membership could not be changed, naming why
   */
  void reconcile(Topology before, Topology after, Set<Instance> lost);

  /** For middleware whose instances find each other from their configuration alone. */
  MembershipHook NONE = (before, after, lost) -> {};
}
