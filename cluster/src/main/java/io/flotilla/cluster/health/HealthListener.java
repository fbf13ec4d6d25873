package io.flotilla.cluster.health;

import io.flotilla.cluster.ResourceUsage;

/**
 * Told what the {@link HealthMonitor} finds, on the thread that calls {@link HealthMonitor#tick()},
 * in member name order. A listener that throws is logged and does not stop the monitor.
 */
public interface HealthListener {
  /**
   * A member's health was first decided, turned Ready or NotReady, or stayed NotReady for another
   * reason. Not called for each probe: successful probes of a ready member only move {@link
   * MemberHealth#lastHeartbeatTime()}, which {@link HealthMonitor#health(String)} shows.
   */
  void onHealthChanged(String member, MemberHealth health);

  /** A member's resource summary was read (every summary interval while its probes succeed). */
  void onResourcesRefreshed(String member, ResourceUsage usage);
}
