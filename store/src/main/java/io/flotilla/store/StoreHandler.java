package io.flotilla.store;

import io.flotilla.api.KubeObject;

/** Receives a store watch's events, in resource-version order. */
public interface StoreHandler {
  /** The kinds of change. */
  enum Change {
    ADDED,
    MODIFIED,
    DELETED
  }

  /** {@code object} is the object after the change (for DELETED, its last state). */
  void onChange(Change change, KubeObject object);
}
