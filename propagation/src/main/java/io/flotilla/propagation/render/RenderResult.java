package io.flotilla.propagation.render;

import io.flotilla.api.KubeObject;
import java.util.List;
import java.util.Objects;

/**
 * A template rendered for one cluster: the object to apply there, and the OverridePolicies that
 * could not apply (each left out of {@code object} as a whole).
 */
public record RenderResult(KubeObject object, List<OverrideFailure> failures) {
  public RenderResult {
    Objects.requireNonNull(object, "object");
    failures = List.copyOf(failures);
  }

  /** Whether every matching policy applied. */
  public boolean isClean() {
    return failures.isEmpty();
  }
}
