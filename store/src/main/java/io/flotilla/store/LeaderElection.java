package io.flotilla.store;

/**
 * Lets several replicas of the control plane run side by side with one leader: only the leader
 * reconciles; a standby takes over within a few seconds of the leader's death (its lease not
 * renewed). Implemented by a lock with a lease in the data directory (embedded mode) and by a
 * Kubernetes {@code Lease} (Kubernetes mode).
 */
public interface LeaderElection extends AutoCloseable {
  /**
   * Starts campaigning in the background. {@code onLead} runs (on the election's thread) when this
   * replica becomes the leader; {@code onLoss} when it stops being the leader (the lease lost, or
   * not renewed in time), after which it must stop acting at once. Each is called at most once per
   * term; a replica that lost the lead campaigns again.
   */
  void start(Runnable onLead, Runnable onLoss);

  /** Whether this replica holds an unexpired lease now. */
  boolean isLeader();

  /** This replica's identity, as written into the lease. */
  String identity();

  /** Stops campaigning and gives the lease up if it is held (calling onLoss); idempotent. */
  @Override
  void close();
}
