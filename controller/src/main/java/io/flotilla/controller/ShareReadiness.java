package io.flotilla.controller;

import io.flotilla.api.ObjectRef;
import java.util.List;

/**
 * What a member cluster says of a share the controller rolled out there: whether its StatefulSets'
 * copies carry the share's revision and have every replica ready (the adapter's readiness probe, as
 * the member's kubelets run it), whether applying failed, and whether any copy is left (for
 * fencing).
 */
public interface ShareReadiness {
  /** The state of one cluster's share. */
  enum State {
    READY,
    /**
     * Every StatefulSet is at the revision with all its pods created, but not all ready: what a new
     * voter set's first clusters stay in until enough members are up to form a quorum.
     */
    STARTED,
    PENDING,
    FAILED,
    UNREACHABLE
  }

  /**
   * @param message why it is not ready, or failed; "" when ready
   */
  record Report(State state, String message) {
    public static final Report READY = new Report(State.READY, "");
  }

  /** The share of {@code statefulSets} in {@code cluster}, at {@code revision}. */
  Report check(String cluster, List<ObjectRef> statefulSets, String revision);

  /**
   * Whether {@code cluster} answers and holds none of {@code objects} any more: its stale instances
   * are gone (fenced).
   */
  boolean fenced(String cluster, List<ObjectRef> objects);
}
