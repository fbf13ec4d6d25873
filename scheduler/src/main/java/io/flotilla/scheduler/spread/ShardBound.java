package io.flotilla.scheduler.spread;

import java.util.Objects;

/**
 * Shard anti-affinity as a bound on one role: with S shards, a cluster holding x of the other
 * side's members of those shards may hold at most S − x of this role's.
 *
 * @param shards S
 * @param others per candidate: the shards' primaries there (when this role holds the replicas), or
 *     the shards' replicas that must stay there (when this role holds the primaries)
 * @param side which side of the shards this role is
 */
public record ShardBound(int shards, int[] others, Side side) {
  /** Which members of the shards a role holds. */
  public enum Side {
    /** The role holds the shards' replicas; {@code others} counts primaries. */
    REPLICAS,
    /** The role holds the shards' primaries; {@code others} counts replicas that must stay. */
    PRIMARIES
  }

  public ShardBound {
    Objects.requireNonNull(others, "others");
    Objects.requireNonNull(side, "side");
  }

  /** The most members of this role cluster i may hold. */
  public int limit(int i) {
    return Math.max(0, shards - others[i]);
  }
}
