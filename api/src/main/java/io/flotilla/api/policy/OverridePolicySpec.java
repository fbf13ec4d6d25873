package io.flotilla.api.policy;

import java.util.List;

/**
 * What an OverridePolicy changes: in the templates its {@code resourceSelectors} select (every
 * template of its namespace when there are none), the {@code overrideRules} in order. {@code
 * priority} is explicit precedence: of two policies changing the same field, the higher priority is
 * applied later and wins (0 by default).
 */
public record OverridePolicySpec(
    List<ResourceSelector> resourceSelectors, int priority, List<OverrideRule> overrideRules) {
  public OverridePolicySpec {
    resourceSelectors = List.copyOf(resourceSelectors);
    overrideRules = List.copyOf(overrideRules);
  }
}
