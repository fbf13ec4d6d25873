package io.flotilla.api.policy;

import io.flotilla.api.ClusterAffinity;
import java.util.Objects;
import java.util.Optional;

/**
 * One of an OverridePolicy's {@code overrideRules}: overriders for the clusters {@code
 * targetCluster} selects (by names and labels), or for every cluster when it is absent.
 */
public record OverrideRule(Optional<ClusterAffinity> targetCluster, Overriders overriders) {
  public OverrideRule {
    Objects.requireNonNull(targetCluster, "targetCluster");
    Objects.requireNonNull(overriders, "overriders");
  }

  /** A rule for every cluster. */
  public static OverrideRule everywhere(Overriders overriders) {
    return new OverrideRule(Optional.empty(), overriders);
  }
}
