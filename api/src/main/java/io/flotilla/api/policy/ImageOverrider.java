package io.flotilla.api.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * Changes one component of image references. With a {@code predicate} it changes the image at that
 * path only; without one, every container's and init container's image of the pod spec (a Pod) or
 * pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob). {@code value} is
 * empty exactly when the operator is {@code remove}.
 */
public record ImageOverrider(
    Optional<JsonPointer> predicate,
    ImageComponent component,
    OverriderOperator operator,
    String value) {
  public ImageOverrider {
    Objects.requireNonNull(predicate, "predicate");
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(value, "value");
    if ((operator == OverriderOperator.REMOVE) != value.isEmpty()) {
      throw new IllegalArgumentException(
          operator == OverriderOperator.REMOVE
              ? "remove takes no value"
              : operator + " needs a value");
    }
  }
}
