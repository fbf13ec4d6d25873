package io.flotilla.api;

/** What a taint keeps away: new placements only, or running replicas too. */
public enum TaintEffect {
  /** No new replica is placed on the cluster unless tolerated. */
  NoSchedule,
  /** As NoSchedule, and replicas already there that do not tolerate it are moved away. */
  NoExecute
}
