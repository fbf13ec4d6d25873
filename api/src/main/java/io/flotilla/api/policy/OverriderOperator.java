package io.flotilla.api.policy;

import java.util.Optional;

/** What an overrider does: Karmada's {@code add}, {@code remove} and {@code replace}. */
public enum OverriderOperator {
  ADD("add"),
  REMOVE("remove"),
  REPLACE("replace");

  private final String value;

  OverriderOperator(String value) {
    this.value = value;
  }

  /** The operator as written in a policy: {@code add}, {@code remove} or {@code replace}. */
  public String value() {
    return value;
  }

  /** The operator written as {@code text}, if it is one (exactly, lower case). */
  public static Optional<OverriderOperator> fromValue(String text) {
    for (OverriderOperator o : values()) {
      if (o.value.equals(text)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return value;
  }
}
