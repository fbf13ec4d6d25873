package io.flotilla.propagation.render;

import io.flotilla.api.ClusterAffinity;
import io.flotilla.api.KubeObject;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.PropagationPolicy;
import io.flotilla.api.policy.ResourceSelector;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which policies select a resource template, which PropagationPolicy governs it, where it goes, and
 * in which order OverridePolicies apply to it — Karmada's semantics
 * (https://github.com/karmada-io/karmada):
 *
 * <ul>
 *   <li>A selector matches a template of its apiVersion and kind whose namespace, name and labels
 *       match the selector's; an empty namespace or name, or an absent label selector, matches any.
 *       When a selector has both a name and a label selector, both must match (as Karmada's
 *       documentation says; its code looks at the name only).
 *   <li>A (namespaced) policy selects templates of its own namespace only.
 *   <li>A policy's implicit priority for a template is that of its most specific matching selector:
 *       name match over label match over match-all (Karmada's {@code
 *       util.ResourceMatchSelectorsPriority} in {@code pkg/util/selector.go}).
 *   <li>The governing PropagationPolicy has the highest explicit {@code priority}, then the highest
 *       implicit priority, then the first name in order (Karmada's {@code
 *       getHighestPriorityPropagationPolicy} in {@code pkg/detector/compare.go}).
 *   <li>OverridePolicies apply in ascending (explicit priority, implicit priority, name), so that
 *       the later, more specific one wins on a field both change (Karmada's {@code
 *       getOverridersFromOverridePolicies} in {@code pkg/util/overridemanager/overridemanager.go},
 *       with Flotilla's explicit priority first).
 * </ul>
 */
public final class PolicyMatcher {
  private PolicyMatcher() {}

  /** How specifically {@code selector} matches {@code template} (namespace of policy unchecked). */
  public static ImplicitPriority priority(ResourceSelector selector, KubeObject template) {
    if (!selector.apiVersion().equals(template.apiVersion())
        || !selector.kind().equals(template.kind())
        || (!selector.namespace().isEmpty()
            && !selector.namespace().equals(template.namespace()))) {
      return ImplicitPriority.MISMATCH;
    }
    boolean labelsMatch =
        selector.labelSelector().map(s -> s.matches(template.labels())).orElse(true);
    if (!selector.name().isEmpty()) {
      return selector.name().equals(template.name()) && labelsMatch
          ? ImplicitPriority.MATCH_NAME
          : ImplicitPriority.MISMATCH;
    }
    if (selector.labelSelector().isPresent()) {
      return labelsMatch ? ImplicitPriority.MATCH_LABEL_SELECTOR : ImplicitPriority.MISMATCH;
    }
    return ImplicitPriority.MATCH_ALL;
  }

  /** The best priority among the selectors of a policy in {@code namespace}. */
  private static ImplicitPriority best(
      String namespace, List<ResourceSelector> selectors, KubeObject template, boolean noneIsAll) {
    if (!namespace.equals(template.namespace())) {
      return ImplicitPriority.MISMATCH;
    }
    if (selectors.isEmpty()) {
      return noneIsAll ? ImplicitPriority.MATCH_ALL : ImplicitPriority.MISMATCH;
    }
    ImplicitPriority best = ImplicitPriority.MISMATCH;
    for (ResourceSelector s : selectors) {
      ImplicitPriority p = priority(s, template);
      if (p.compareTo(best) > 0) {
        best = p;
      }
    }
    return best;
  }

  /** How specifically a PropagationPolicy selects {@code template}. */
  public static ImplicitPriority priority(PropagationPolicy policy, KubeObject template) {
    return best(policy.namespace(), policy.spec().resourceSelectors(), template, false);
  }

  /**
   * How specifically an OverridePolicy selects {@code template}; a policy without selectors selects
   * every template of its namespace.
   */
  public static ImplicitPriority priority(OverridePolicy policy, KubeObject template) {
    return best(policy.namespace(), policy.spec().resourceSelectors(), template, true);
  }

  /**
   * The PropagationPolicy that governs {@code template}: of those selecting it, the highest
   * explicit priority, then the highest implicit priority, then the first by name.
   */
  public static Optional<PropagationPolicy> governingPolicy(
      KubeObject template, Collection<PropagationPolicy> policies) {
    Comparator<PropagationPolicy> precedence =
        Comparator.comparingInt((PropagationPolicy p) -> p.spec().priority())
            .reversed()
            .thenComparing(p -> priority(p, template), Comparator.reverseOrder())
            .thenComparing(PropagationPolicy::name);
    return policies.stream().filter(p -> priority(p, template).matches()).min(precedence);
  }

  /** Whether {@code cluster} is one {@code affinity} selects: by name (if any) and labels. */
  public static boolean clusterMatches(ClusterAffinity affinity, ClusterInfo cluster) {
    return (affinity.clusterNames().isEmpty() || affinity.clusterNames().contains(cluster.name()))
        && affinity.labelSelector().map(s -> s.matches(cluster.labels())).orElse(true);
  }

  /**
   * The clusters, of those given, that {@code policy} propagates to: its cluster names (all when
   * none) that are among {@code clusters} and whose labels match its label selector, sorted.
   */
  public static List<String> targetClusters(
      PropagationPolicy policy, Collection<ClusterInfo> clusters) {
    return clusters.stream()
        .filter(c -> clusterMatches(policy.spec().clusterAffinity(), c))
        .map(ClusterInfo::name)
        .sorted()
        .distinct()
        .toList();
  }

  /**
   * The OverridePolicies that select {@code template}, in the order they apply: ascending explicit
   * priority, then implicit priority, then name, so that later ones win.
   */
  public static List<OverridePolicy> overridePoliciesInOrder(
      KubeObject template, Collection<OverridePolicy> policies) {
    Comparator<OverridePolicy> order =
        Comparator.comparingInt((OverridePolicy p) -> p.spec().priority())
            .thenComparing(p -> priority(p, template))
            .thenComparing(OverridePolicy::name);
    return policies.stream().filter(p -> priority(p, template).matches()).sorted(order).toList();
  }
}
