package io.flotilla.controller;

import io.flotilla.api.ObjectRef;
import java.time.Duration;
import java.util.Optional;

/**
 * What the Middleware controller tells the control plane's metrics (docs/observability.md): each
 * call of the scheduler, each pass, and each Middleware as its watch sees it. Called on the
 * controller's threads; implementations must be quick and must not throw. {@link #NONE} tells
 * nobody.
 */
public interface ControllerObserver {
  /** Tells nobody. */
  ControllerObserver NONE = new ControllerObserver() {};

  /** How a pass ended: the {@code outcome} label of the reconcile duration. */
  enum PassOutcome {
    /** Done: nothing asked to look again before a change. */
    DONE("done"),
    /** It asked to be looked at again after a delay (a rollout waiting on a cluster, say). */
    REQUEUED("requeued"),
    /** It threw: retried with backoff. */
    ERROR("error");

    private final String label;

    PassOutcome(String label) {
      this.label = label;
    }

    /** The label value. */
    public String label() {
      return label;
    }
  }

  /** One call of the scheduler by a pass took {@code took}. */
  default void scheduled(Duration took) {}

  /** One pass over a Middleware ended as {@code outcome} after {@code took}. */
  default void reconciled(PassOutcome outcome, Duration took) {}

  /**
   * A Middleware as the controller's watch sees it after a change: its status, or empty once it is
   * deleted.
   */
  default void middleware(ObjectRef ref, Optional<MiddlewareStatus> status) {}
}
