package io.flotilla.scheduler.spread;

import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.Resources;
import io.flotilla.scheduler.score.HeadroomScore;
import java.util.Objects;

/**
 * One role to place over its candidate clusters, as per-cluster bounds and a score: what every
 * spread algorithm needs. Indices are candidate indices (name order).
 *
 * <p>Bounds come from three rules, kept apart because not every placement obeys all of them:
 *
 * <ul>
 *   <li>structural: replicas on healthy clusters never move, so growing keeps them (D ≥ old),
 *       shrinking only removes (D ≤ old), and a cordoned cluster gets no new ones (D ≤ old);
 *   <li>resources: a cluster's free cpu and memory must hold what it gains;
 *   <li>shards: a shard's primary and its replicas are in different clusters, so a cluster where P
 *       of the S shards have their primary holds at most S − P of their replicas.
 * </ul>
 */
public final class RoleProblem {
  /** What sets a cluster's upper bound. */
  public enum Limit {
    NONE,
    RESOURCES,
    SHARDS,
    SCALE_DOWN,
    CORDONED
  }

  /** No upper bound. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  private final ReplicaRequirement role;
  private final Candidates c;
  private final boolean scaleDown;
  private final int[] lower;
  private final int[] structuralUpper;
  private final Limit[] structuralLimit;
  private final int[] room;
  private final int[] capacity;
  private final Limit[] capacityLimit;
  private final int[] upper;
  private final Limit[] limit;
  private final ShardBound shardBound;
  private final int minSpan;
  private final Resources request;
  private final HeadroomScore score;

  /** A role without shards. */
  public RoleProblem(ReplicaRequirement role, Candidates candidates) {
    this(role, candidates, null);
  }

  /**
   * @param shardBound shard anti-affinity, when the role holds one side of shards; else null
   */
  public RoleProblem(ReplicaRequirement role, Candidates candidates, ShardBound shardBound) {
    this.role = Objects.requireNonNull(role, "role");
    this.c = Objects.requireNonNull(candidates, "candidates");
    this.shardBound = shardBound;
    this.request = role.resourceRequest().charge();
    int n = c.size();
    long oldTotal = 0;
    for (int v : c.old()) {
      oldTotal += v;
    }
    this.scaleDown = role.replicas() < oldTotal;
    this.lower = new int[n];
    this.structuralUpper = new int[n];
    this.structuralLimit = new Limit[n];
    this.room = new int[n];
    this.capacity = new int[n];
    this.capacityLimit = new Limit[n];
    this.upper = new int[n];
    this.limit = new Limit[n];
    for (int i = 0; i < n; i++) {
      int old = c.old()[i];
      lower[i] = scaleDown ? 0 : old;
      structuralUpper[i] = UNBOUNDED;
      structuralLimit[i] = Limit.NONE;
      if (scaleDown) {
        structuralUpper[i] = old;
        structuralLimit[i] = Limit.SCALE_DOWN;
      } else if (c.noNew()[i]) {
        structuralUpper[i] = old;
        structuralLimit[i] = Limit.CORDONED;
      }
      capacity[i] = UNBOUNDED;
      capacityLimit[i] = Limit.NONE;
      room[i] = (int) roomFor(i);
      if (room[i] < capacity[i]) {
        capacity[i] = room[i];
        capacityLimit[i] = Limit.RESOURCES;
      }
      if (shardBound != null && shardBound.limit(i) < capacity[i]) {
        capacity[i] = shardBound.limit(i);
        capacityLimit[i] = Limit.SHARDS;
      }
      // shard anti-affinity is also structural, like replicas that must stay: after a failover
      // the shards' surviving members may leave no placement within maxSkew, which then relaxes
      if (shardBound != null && shardBound.limit(i) < structuralUpper[i]) {
        structuralUpper[i] = shardBound.limit(i);
        structuralLimit[i] = Limit.SHARDS;
      }
      boolean structural = structuralUpper[i] < capacity[i];
      upper[i] = structural ? structuralUpper[i] : capacity[i];
      limit[i] = structural ? structuralLimit[i] : capacityLimit[i];
    }
    this.minSpan = Math.min(role.minClusters().orElse(0), achievableSpan());
    this.score =
        new HeadroomScore(
            c.freeCpu(),
            c.freeMemory(),
            c.allocCpu(),
            c.allocMemory(),
            c.old(),
            request.cpuMillis(),
            request.memoryBytes());
  }

  /**
   * The most clusters the role can span under the structural rules: those that must keep replicas,
   * plus as many others as may gain one and as the replicas left allow.
   */
  private int achievableSpan() {
    int holding = 0;
    int open = 0;
    long left = role.replicas();
    for (int i = 0; i < size(); i++) {
      left -= lower[i];
      if (lower[i] > 0) {
        holding++;
      } else if (structuralUpper[i] > 0) {
        open++;
      }
    }
    return (int) (holding + Math.max(0, Math.min(open, left)));
  }

  /**
   * The most replicas cluster i can hold by resources: what it holds plus what its free resources
   * fit. A cluster already over capacity keeps what it has and gets nothing more.
   */
  private long roomFor(int i) {
    long more = UNBOUNDED;
    if (request.cpuMillis() > 0) {
      more = Math.min(more, Math.max(0, c.freeCpu()[i]) / request.cpuMillis());
    }
    if (request.memoryBytes() > 0) {
      more = Math.min(more, Math.max(0, c.freeMemory()[i]) / request.memoryBytes());
    }
    return Math.min(UNBOUNDED, c.old()[i] + more);
  }

  public ReplicaRequirement role() {
    return role;
  }

  /** The candidates' arrays (shared, not copied: do not change them). */
  public Candidates candidates() {
    return c;
  }

  /** What one replica of the role is charged. */
  public Resources request() {
    return request;
  }

  public int size() {
    return c.size();
  }

  public String cluster(int i) {
    return c.names()[i];
  }

  public int replicas() {
    return role.replicas();
  }

  public int old(int i) {
    return c.old()[i];
  }

  /** True when cluster i keeps what it holds but gets nothing more (cordoned). */
  public boolean noNew(int i) {
    return c.noNew()[i];
  }

  public boolean scaleDown() {
    return scaleDown;
  }

  /** Replicas that must stay on cluster i. */
  public int lower(int i) {
    return lower[i];
  }

  /** The most replicas cluster i may hold, every rule applied. */
  public int upper(int i) {
    return upper[i];
  }

  /** The most replicas cluster i may hold by the structural rules alone. */
  public int structuralUpper(int i) {
    return structuralUpper[i];
  }

  /** The most replicas cluster i can hold by its free resources alone. */
  public int room(int i) {
    return room[i];
  }

  /** Shard anti-affinity on this role, or null when it holds no side of any shards. */
  public ShardBound shardBound() {
    return shardBound;
  }

  /**
   * The fewest clusters the role must span: its {@code minClusters}, lowered only where the
   * replicas that must stay (or a scale-down) make that impossible.
   */
  public int minSpan() {
    return minSpan;
  }

  /** True when {@code minClusters} had to be lowered because replicas cannot move. */
  public boolean minSpanRelaxed() {
    return minSpan < role.minClusters().orElse(0);
  }

  /** The most replicas cluster i can hold by resources and shards alone. */
  public int capacity(int i) {
    return capacity[i];
  }

  public HeadroomScore score() {
    return score;
  }

  /** Why cluster i cannot hold more than {@link #upper(int)}, for people. */
  public String describeLimit(int i) {
    return describe(i, limit[i], upper[i]);
  }

  /** Why cluster i cannot hold more than {@link #capacity(int)}, for people. */
  public String describeCapacity(int i) {
    return describe(i, capacityLimit[i], capacity[i]);
  }

  private String describe(int i, Limit which, int bound) {
    return switch (which) {
      case NONE -> "no limit";
      case SCALE_DOWN -> "scaling down never adds replicas, and it held " + old(i);
      case CORDONED ->
          "cordoned (an untolerated NoSchedule taint): it keeps its "
              + old(i)
              + ", gets no new ones";
      case SHARDS ->
          shardBound.side() == ShardBound.Side.REPLICAS
              ? shardBound.others()[i]
                  + " of the "
                  + shardBound.shards()
                  + " shards have their primary here, so at most "
                  + bound
                  + " of their replicas may be (a shard's primary and replicas are in different"
                  + " clusters)"
              : shardBound.others()[i]
                  + " replicas of the "
                  + shardBound.shards()
                  + " shards must stay here, so at most "
                  + bound
                  + " of their primaries may be (a shard's primary and replicas are in different"
                  + " clusters)";
      case RESOURCES ->
          "room for "
              + (bound - old(i))
              + " more (each needs "
              + Resources.formatCpu(request.cpuMillis())
              + " cpu, "
              + Resources.formatMemory(request.memoryBytes())
              + " memory; free: "
              + Resources.formatCpu(Math.max(0, c.freeCpu()[i]))
              + " cpu, "
              + Resources.formatMemory(Math.max(0, c.freeMemory()[i]))
              + " memory)";
    };
  }
}
