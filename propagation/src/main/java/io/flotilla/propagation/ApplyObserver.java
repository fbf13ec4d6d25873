package io.flotilla.propagation;

import io.flotilla.api.ObjectRef;

/**
 * Told when the engine's apply of a template's copy to a member cluster fails (the member refused
 * it or could not be reached): the control plane counts these by cluster (docs/observability.md).
 * Called on the engine's worker threads; it must be quick and must not throw.
 */
@FunctionalInterface
public interface ApplyObserver {
  /** Tells nobody. */
  ApplyObserver NONE = (cluster, template) -> {};

  /** The copy of {@code template} could not be applied to {@code cluster}. */
  void applyFailed(String cluster, ObjectRef template);
}
