package io.flotilla.api.policy;

import io.flotilla.api.ClusterAffinity;
import java.util.List;
import java.util.Objects;

/**
 * Which templates a PropagationPolicy propagates ({@code resourceSelectors}, at least one) and to
 * which clusters ({@code clusterAffinity}: Karmada's {@code spec.placement.clusterAffinity}; {@link
 * ClusterAffinity#ANY} when absent). {@code priority} is explicit precedence when several policies
 * select a template (0 by default; the highest wins). {@code preserveResourcesOnDeletion}
 * (Karmada's field, false by default) keeps the copies in the member clusters when the template is
 * deleted, instead of deleting them with it.
 */
public record PropagationPolicySpec(
    List<ResourceSelector> resourceSelectors,
    int priority,
    ClusterAffinity clusterAffinity,
    boolean preserveResourcesOnDeletion) {
  public PropagationPolicySpec {
    resourceSelectors = List.copyOf(resourceSelectors);
    Objects.requireNonNull(clusterAffinity, "clusterAffinity");
  }
}
