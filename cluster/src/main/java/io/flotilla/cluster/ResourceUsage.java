package io.flotilla.cluster;

import io.flotilla.api.Resources;
import java.util.Objects;

/**
 * A member's capacity: allocatable (summed over Ready nodes) and allocated (the requests of pods
 * not terminated: Pending or Running).
 */
public record ResourceUsage(Resources allocatable, Resources allocated) {
  public ResourceUsage {
    Objects.requireNonNull(allocatable, "allocatable");
    Objects.requireNonNull(allocated, "allocated");
  }
}
