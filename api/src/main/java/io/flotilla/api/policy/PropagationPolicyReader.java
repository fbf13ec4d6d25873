package io.flotilla.api.policy;

import io.flotilla.api.ClusterAffinity;
import io.flotilla.api.ObjectMeta;
import io.flotilla.api.Problems;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.io.Fields;
import io.flotilla.api.io.Manifest;
import java.util.List;
import java.util.Optional;

/**
 * Reads and validates a {@code PropagationPolicy} in Karmada's shape: {@code
 * spec.resourceSelectors[]}, {@code spec.priority}, {@code spec.placement.clusterAffinity} and
 * {@code spec.preserveResourcesOnDeletion}. Every problem is reported with its field path.
 */
public final class PropagationPolicyReader {
  private PropagationPolicyReader() {}

  public static Decoded<PropagationPolicy> read(Manifest manifest) {
    Problems problems = new Problems();
    Optional<Fields> rootOpt = Fields.of(manifest.node(), "", problems);
    if (rootOpt.isEmpty()) {
      return new Decoded<>(Optional.empty(), problems.list());
    }
    Fields root = rootOpt.get();
    PolicyReaders.header(root, PropagationPolicy.KIND);
    Optional<ObjectMeta> meta = PolicyReaders.metadata(root);
    String namespace = PolicyReaders.namespaceOf(meta);
    Optional<PropagationPolicySpec> spec = Optional.empty();
    if (!root.has("spec")) {
      problems.add("spec", "required");
    } else {
      spec = root.object("spec").map(s -> spec(s, namespace));
    }
    PolicyStatus status =
        root.object("status").map(PolicyReaders::status).orElse(PolicyStatus.EMPTY);
    root.rejectUnknown();
    if (!problems.isEmpty() || meta.isEmpty() || spec.isEmpty()) {
      return new Decoded<>(Optional.empty(), problems.list());
    }
    return new Decoded<>(
        Optional.of(new PropagationPolicy(meta.get(), spec.get(), status)), List.of());
  }

  private static PropagationPolicySpec spec(Fields spec, String namespace) {
    List<ResourceSelector> selectors = PolicyReaders.resourceSelectors(spec, namespace, true);
    int priority = PolicyReaders.priority(spec);
    boolean preserve = spec.bool("preserveResourcesOnDeletion").orElse(false);
    ClusterAffinity affinity = ClusterAffinity.ANY;
    Optional<Fields> placement = spec.object("placement");
    if (placement.isPresent()) {
      Fields p = placement.get();
      affinity =
          p.object("clusterAffinity")
              .map(PolicyReaders::clusterAffinity)
              .orElse(ClusterAffinity.ANY);
      p.rejectUnknown();
    }
    spec.rejectUnknown();
    return new PropagationPolicySpec(selectors, priority, affinity, preserve);
  }
}
