package io.flotilla.scheduler;

/**
 * A cluster that a filter did not pass, the filter, and why. When {@code keepsReplicas} is true the
 * cluster was only restricted: it keeps the replicas it holds but gets no new ones.
 */
public record FilteredCluster(
    String cluster, String plugin, String reason, boolean keepsReplicas) {}
