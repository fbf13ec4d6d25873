package io.flotilla.api.policy;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.ObjectMeta;
import io.flotilla.api.ObjectRef;
import java.util.Objects;

/**
 * Karmada's OverridePolicy in group {@code flotilla.io}: per-cluster changes (image, command, args,
 * labels, annotations, JSON patches) to the resource templates of its namespace that it selects.
 * Written by the controller (after a failover, say) and editable by users.
 */
public record OverridePolicy(ObjectMeta metadata, OverridePolicySpec spec, PolicyStatus status) {
  public static final String KIND = "OverridePolicy";

  public OverridePolicy {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
  }

  public String name() {
    return metadata.name();
  }

  /** The policy's namespace ({@code default} when the metadata names none). */
  public String namespace() {
    return metadata.namespace().orElse("default");
  }

  public ObjectRef ref() {
    return new ObjectRef(ApiVersion.API_VERSION, KIND, namespace(), name());
  }
}
