package io.flotilla.traffic.dns;

import java.time.Duration;

/**
 * Told when the domain registrar has written changed records to a data centre's DNS, and how long
 * after it saw the first change they carry: the control plane's DNS sync lag
 * (docs/observability.md). Called on the registrar's sync thread; it must be quick and must not
 * throw.
 */
@FunctionalInterface
public interface SyncObserver {
  /** Tells nobody. */
  SyncObserver NONE = (dataCentre, lag) -> {};

  /**
   * Records changed in {@code dataCentre}'s DNS {@code lag} after the registrar saw the oldest
   * change (of a published Service or Ingress, a node's address, a cluster's readiness) they carry.
   */
  void synced(String dataCentre, Duration lag);
}
