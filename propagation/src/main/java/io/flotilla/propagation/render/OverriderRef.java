package io.flotilla.propagation.render;

import java.util.Comparator;
import java.util.Objects;

/** Names one overrider of a rule: its kind and its index in that kind's list. */
public record OverriderRef(OverriderKind kind, int index) implements Comparable<OverriderRef> {
  private static final Comparator<OverriderRef> ORDER =
      Comparator.comparing(OverriderRef::kind).thenComparingInt(OverriderRef::index);

  public OverriderRef {
    Objects.requireNonNull(kind, "kind");
  }

  /** In the order a rule applies them. */
  @Override
  public int compareTo(OverriderRef o) {
    return ORDER.compare(this, o);
  }

  /** {@code plaintext[1]}. */
  @Override
  public String toString() {
    return kind.field() + "[" + index + "]";
  }
}
