package io.flotilla.api;

import java.util.Objects;

/** A member cluster's capacity: allocatable, and already allocated to running pods. */
public record ResourceSummary(ResourceList allocatable, ResourceList allocated) {
  public ResourceSummary {
    Objects.requireNonNull(allocatable, "allocatable");
    Objects.requireNonNull(allocated, "allocated");
  }
}
