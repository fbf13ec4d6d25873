package io.flotilla.propagation;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.PolicyObjects;
import io.flotilla.api.policy.PropagationPolicy;
import io.flotilla.api.policy.ResourceSelector;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PropagationPolicies and OverridePolicies in the store, kept current by store watches. An
 * invalid policy is left out (and logged); its previous valid version is not kept.
 */
final class PolicyCache {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyCache.class);

  private final Map<ObjectRef, PropagationPolicy> propagation = new ConcurrentHashMap<>();
  private final Map<ObjectRef, OverridePolicy> overrides = new ConcurrentHashMap<>();

  /** Takes in a PropagationPolicy object; returns the policy when it is valid. */
  java.util.Optional<PropagationPolicy> putPropagation(KubeObject o) {
    Decoded<PropagationPolicy> d = PolicyObjects.propagationPolicy(o);
    if (d.value().isEmpty()) {
      LOG.warn("PropagationPolicy {} is invalid and is ignored: {}", o.ref(), d.problems());
      propagation.remove(key(o));
    } else {
      propagation.put(key(o), d.value().get());
    }
    return d.value();
  }

  /** Takes in an OverridePolicy object; returns the policy when it is valid. */
  java.util.Optional<OverridePolicy> putOverride(KubeObject o) {
    Decoded<OverridePolicy> d = PolicyObjects.overridePolicy(o);
    if (d.value().isEmpty()) {
      LOG.warn("OverridePolicy {} is invalid and is ignored: {}", o.ref(), d.problems());
      overrides.remove(key(o));
    } else {
      overrides.put(key(o), d.value().get());
    }
    return d.value();
  }

  void removePropagation(KubeObject o) {
    propagation.remove(key(o));
  }

  void removeOverride(KubeObject o) {
    overrides.remove(key(o));
  }

  private static ObjectRef key(KubeObject o) {
    return new ObjectRef(
        "", o.kind(), o.namespace().isEmpty() ? "default" : o.namespace(), o.name());
  }

  /** The PropagationPolicies of a namespace. */
  List<PropagationPolicy> propagation(String namespace) {
    return propagation.values().stream().filter(p -> p.namespace().equals(namespace)).toList();
  }

  /** The OverridePolicies of a namespace. */
  List<OverridePolicy> overrides(String namespace) {
    return overrides.values().stream().filter(p -> p.namespace().equals(namespace)).toList();
  }

  /**
   * Whether the PropagationPolicy named "namespace/name" keeps copies when a template is deleted.
   */
  boolean preservesOnDeletion(String namespacedName) {
    return propagation.values().stream()
        .filter(p -> (p.namespace() + "/" + p.name()).equals(namespacedName))
        .anyMatch(p -> p.spec().preserveResourcesOnDeletion());
  }

  /** Every apiVersion/kind some PropagationPolicy selects, as "apiVersion|kind". */
  Set<String> selectedKinds() {
    Set<String> kinds = new TreeSet<>();
    for (PropagationPolicy p : propagation.values()) {
      for (ResourceSelector s : p.spec().resourceSelectors()) {
        kinds.add(s.apiVersion() + "|" + s.kind());
      }
    }
    return kinds;
  }
}
