package io.flotilla.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A toleration, with Kubernetes semantics: an empty {@code key} with {@code Exists} tolerates every
 * taint; an absent {@code effect} matches both effects.
 */
public record Toleration(
    String key, TolerationOperator operator, String value, Optional<TaintEffect> effect) {
  public Toleration {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(effect, "effect");
  }

  public boolean tolerates(Taint taint) {
    if (effect.isPresent() && effect.get() != taint.effect()) {
      return false;
    }
    if (key.isEmpty()) {
      return operator == TolerationOperator.Exists;
    }
    if (!key.equals(taint.key())) {
      return false;
    }
    return operator == TolerationOperator.Exists || value.equals(taint.value());
  }
}
