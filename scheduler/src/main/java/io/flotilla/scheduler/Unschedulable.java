package io.flotilla.scheduler;

/**
 * Why a role could not be placed. {@code cluster} names the cluster the reason is about, or is
 * empty when the reason concerns the role as a whole.
 */
public record Unschedulable(String role, String cluster, String reason) {}
