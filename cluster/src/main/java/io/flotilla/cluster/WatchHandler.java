package io.flotilla.cluster;

import io.flotilla.api.KubeObject;

/** Receives a member watch's events, in order, on the watch's thread. */
public interface WatchHandler {
  /** The kinds of change. */
  enum Change {
    ADDED,
    MODIFIED,
    DELETED
  }

  void onChange(Change change, KubeObject object);

  /** The watch ended on its own: the member failed, or stopped answering. Not called on close. */
  void onFailure(MemberException cause);
}
