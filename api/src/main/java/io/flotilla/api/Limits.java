package io.flotilla.api;

/**
 * Bounds on numbers in the API. They keep the scheduler's integer arithmetic exact: a replica count
 * times a per-replica request, plus a cluster's capacity, always fits in a {@code long}.
 */
public final class Limits {
  /** Replicas of one role. */
  public static final int MAX_REPLICAS = 100_000;

  /** Per-replica cpu request or limit: 2^40 millicores (about 10^9 cores). */
  public static final long MAX_REPLICA_CPU_MILLIS = 1L << 40;

  /** Per-replica memory request or limit: 16Ti. */
  public static final long MAX_REPLICA_MEMORY_BYTES = 1L << 44;

  /** A cluster's allocatable or allocated cpu: 2^50 millicores. */
  public static final long MAX_CLUSTER_CPU_MILLIS = Resources.MAX_CPU_MILLIS;

  /** A cluster's allocatable or allocated memory: 1Ei. */
  public static final long MAX_CLUSTER_MEMORY_BYTES = Resources.MAX_MEMORY_BYTES;

  private Limits() {}
}
