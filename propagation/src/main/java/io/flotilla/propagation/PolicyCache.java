package io.flotilla.propagation;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.PackedObject;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.PolicyObjects;
import io.flotilla.api.policy.PropagationPolicy;
import io.flotilla.api.policy.ResourceSelector;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.ParsedCache;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PropagationPolicies and OverridePolicies in the store, kept current by store watches. An
 * invalid policy is left out (and logged); its previous valid version is not kept.
 */
final class PolicyCache {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyCache.class);

  private final Index<PropagationPolicy> propagation = new Index<>();

  /**
   * OverridePolicies, each as a way to read it again when a template is rendered (the controller
   * makes one per object and cluster, each holding a whole spec: too many to keep as trees). Over a
   * store that holds its objects in this process they are read back from it by reference; over a
   * remote store (Kubernetes mode) they are kept packed here, so rendering never waits on it.
   */
  private final Index<Source> overrides = new Index<>();

  /**
   * The OverridePolicies decoded last, each with the version it was decoded from: a template is
   * rendered several times while a rollout or a failover rewrites one cluster's overrides at a
   * time, and the others' need no decoding again.
   */
  private final ParsedCache<OverridePolicy> decoded = new ParsedCache<>(DECODED_OVERRIDES);

  static final int DECODED_OVERRIDES = 2048;

  private final Function<KubeObject, Source> keep;

  /** Where an OverridePolicy is read again: its version now (empty when gone), and the object. */
  private record Source(
      ObjectRef ref, Supplier<Optional<String>> version, Supplier<Optional<KubeObject>> read) {}

  /** "apiVersion|kind" → how many PropagationPolicy selectors name it. */
  private final Map<String, Integer> kinds = new ConcurrentHashMap<>();

  /**
   * @param store the store the watches feed this cache from
   */
  PolicyCache(ObjectStore store) {
    this.keep =
        store.readsAreLocal()
            ? o -> {
              ObjectRef ref = o.ref();
              return new Source(ref, () -> store.version(ref), () -> store.get(ref));
            }
            : o -> {
              PackedObject packed = o.pack();
              Optional<String> version = Optional.of(packed.resourceVersion().orElse(""));
              return new Source(o.ref(), () -> version, () -> Optional.of(packed.unpack()));
            };
  }

  /**
   * Policies of one kind, indexed so that a template's candidates are found without looking at
   * every policy: by namespace, then by the template name a selector names; selectors without a
   * name (label selectors, match-all) are candidates for every template of their namespace.
   */
  private static final class Index<P> {
    final Map<ObjectRef, P> all = new ConcurrentHashMap<>();
    final Map<ObjectRef, List<ResourceSelector>> selectors = new ConcurrentHashMap<>();
    final Map<String, Map<String, Set<ObjectRef>>> byName = new ConcurrentHashMap<>();
    final Map<String, Set<ObjectRef>> unnamed = new ConcurrentHashMap<>();

    synchronized Optional<List<ResourceSelector>> put(
        ObjectRef key, P policy, List<ResourceSelector> sel) {
      Optional<List<ResourceSelector>> old = remove(key);
      all.put(key, policy);
      selectors.put(key, sel);
      for (ResourceSelector r : sel) {
        if (r.name().isEmpty()) {
          unnamed.computeIfAbsent(key.namespace(), n -> ConcurrentHashMap.newKeySet()).add(key);
        } else {
          byName
              .computeIfAbsent(key.namespace(), n -> new ConcurrentHashMap<>())
              .computeIfAbsent(r.name(), n -> ConcurrentHashMap.newKeySet())
              .add(key);
        }
      }
      return old;
    }

    synchronized Optional<List<ResourceSelector>> remove(ObjectRef key) {
      all.remove(key);
      List<ResourceSelector> sel = selectors.remove(key);
      if (sel == null) {
        return Optional.empty();
      }
      for (ResourceSelector r : sel) {
        if (r.name().isEmpty()) {
          Set<ObjectRef> u = unnamed.get(key.namespace());
          if (u != null) {
            u.remove(key);
          }
        } else {
          Map<String, Set<ObjectRef>> ns = byName.get(key.namespace());
          Set<ObjectRef> named = ns == null ? null : ns.get(r.name());
          if (named != null) {
            named.remove(key);
            if (named.isEmpty()) {
              ns.remove(r.name());
            }
          }
        }
      }
      return Optional.of(sel);
    }

    /** The policies of a namespace that may select a template of that name. */
    List<P> candidates(String namespace, String name) {
      List<P> out = new ArrayList<>();
      Set<ObjectRef> keys = new HashSet<>();
      Map<String, Set<ObjectRef>> ns = byName.get(namespace);
      if (ns != null) {
        keys.addAll(ns.getOrDefault(name, Set.of()));
      }
      keys.addAll(unnamed.getOrDefault(namespace, Set.of()));
      for (ObjectRef k : keys) {
        P p = all.get(k);
        if (p != null) {
          out.add(p);
        }
      }
      return out;
    }
  }

  /**
   * Takes in a PropagationPolicy object; returns the policy when it is valid, and the selectors of
   * the version it replaces (whose templates may need their copies withdrawn).
   */
  Change<PropagationPolicy> putPropagation(KubeObject o) {
    Decoded<PropagationPolicy> d = PolicyObjects.propagationPolicy(o);
    Optional<List<ResourceSelector>> old;
    if (d.value().isEmpty()) {
      LOG.warn("PropagationPolicy {} is invalid and is ignored: {}", o.ref(), d.problems());
      old = propagation.remove(key(o));
    } else {
      old = propagation.put(key(o), d.value().get(), d.value().get().spec().resourceSelectors());
    }
    countKinds(old.orElse(List.of()), -1);
    countKinds(d.value().map(p -> p.spec().resourceSelectors()).orElse(List.of()), 1);
    return new Change<>(d.value(), old.orElse(List.of()));
  }

  /** What putting or removing a policy changed: the new policy, and the old one's selectors. */
  record Change<P>(Optional<P> policy, List<ResourceSelector> oldSelectors) {}

  private void countKinds(List<ResourceSelector> selectors, int delta) {
    for (ResourceSelector s : selectors) {
      kinds.merge(s.apiVersion() + "|" + s.kind(), delta, (a, b) -> a + b == 0 ? null : a + b);
    }
  }

  /** Takes in an OverridePolicy object; returns the policy when it is valid. */
  Change<OverridePolicy> putOverride(KubeObject o) {
    Decoded<OverridePolicy> d = PolicyObjects.overridePolicy(o);
    Optional<List<ResourceSelector>> old;
    if (d.value().isEmpty()) {
      LOG.warn("OverridePolicy {} is invalid and is ignored: {}", o.ref(), d.problems());
      old = overrides.remove(key(o));
      decoded.remove(o.ref());
    } else {
      old = overrides.put(key(o), keep.apply(o), d.value().get().spec().resourceSelectors());
      decoded.put(o.ref(), o.resourceVersion().orElse(""), d.value().get());
    }
    return new Change<>(d.value(), old.orElse(List.of()));
  }

  List<ResourceSelector> removePropagation(KubeObject o) {
    List<ResourceSelector> old = propagation.remove(key(o)).orElse(List.of());
    countKinds(old, -1);
    return old;
  }

  List<ResourceSelector> removeOverride(KubeObject o) {
    decoded.remove(o.ref());
    return overrides.remove(key(o)).orElse(List.of());
  }

  private static ObjectRef key(KubeObject o) {
    return new ObjectRef(
        "", o.kind(), o.namespace().isEmpty() ? "default" : o.namespace(), o.name());
  }

  /** The PropagationPolicies of a namespace that may select the template {@code name}. */
  List<PropagationPolicy> propagation(String namespace, String name) {
    return propagation.candidates(namespace, name);
  }

  /** The OverridePolicies of a namespace that may select the template {@code name}. */
  List<OverridePolicy> overrides(String namespace, String name) {
    List<OverridePolicy> out = new ArrayList<>();
    for (Source source : overrides.candidates(namespace, name)) {
      // a local store may hold a newer version than the watch delivered so far: the newer one
      // wins, and when it is invalid or gone it is left out (its watch event comes next)
      decoded
          .read(
              source.ref(),
              source.version(),
              source.read(),
              o -> PolicyObjects.overridePolicy(o).value())
          .ifPresent(out::add);
    }
    return out;
  }

  /**
   * Whether the PropagationPolicy named "namespace/name" keeps copies when a template is deleted.
   */
  boolean preservesOnDeletion(String namespacedName) {
    int slash = namespacedName.indexOf('/');
    if (slash < 0) {
      return false;
    }
    PropagationPolicy p =
        propagation.all.get(
            new ObjectRef(
                "",
                PropagationPolicy.KIND,
                namespacedName.substring(0, slash),
                namespacedName.substring(slash + 1)));
    return p != null && p.spec().preserveResourcesOnDeletion();
  }

  /** Every apiVersion/kind some PropagationPolicy selects, as "apiVersion|kind". */
  Set<String> selectedKinds() {
    return new TreeSet<>(kinds.keySet());
  }
}
