package io.flotilla.controller;

import io.flotilla.api.MiddlewareType;
import io.flotilla.middleware.Adapters;
import io.flotilla.middleware.Addressing;
import io.flotilla.middleware.MiddlewareAdapter;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the controller renders for the member clusters it runs on: how instances address each other
 * and which adapter renders each type. Kubernetes members use pod DNS names under the global
 * headless Service and the adapters as they are; the sandbox's local clusters use loopback
 * addresses and adapters that also write each pod's local launch recipe.
 */
public record Rendering(
    Addressing addressing, Function<MiddlewareType, MiddlewareAdapter> adapters) {
  public Rendering {
    Objects.requireNonNull(addressing, "addressing");
    Objects.requireNonNull(adapters, "adapters");
  }

  /** Pod DNS names ({@link Addressing#kubernetes()}) and the adapters of {@link Adapters}. */
  public static Rendering kubernetes() {
    return new Rendering(Addressing.kubernetes(), Adapters::of);
  }

  public MiddlewareAdapter adapter(MiddlewareType type) {
    return adapters.apply(type);
  }
}
