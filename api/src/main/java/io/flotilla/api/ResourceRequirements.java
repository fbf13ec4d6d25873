package io.flotilla.api;

import java.util.Objects;

/** A role's per-replica requests and limits. */
public record ResourceRequirements(ResourceList requests, ResourceList limits) {
  public static final ResourceRequirements NONE =
      new ResourceRequirements(ResourceList.empty(), ResourceList.empty());

  public ResourceRequirements {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(limits, "limits");
  }

  /**
   * What one replica is charged, per resource: its request, or its limit when no request is given
   * (Kubernetes defaults a missing request to the limit).
   */
  public Resources charge() {
    Resources r = requests.toResources();
    Resources l = limits.toResources();
    long cpu = requests.get(ResourceList.CPU).isPresent() ? r.cpuMillis() : l.cpuMillis();
    long memory = requests.get(ResourceList.MEMORY).isPresent() ? r.memoryBytes() : l.memoryBytes();
    return new Resources(cpu, memory);
  }
}
