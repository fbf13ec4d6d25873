package io.flotilla.api.policy;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Changes labels or annotations, as Karmada does: {@code add} sets every entry of {@code value}
 * (overwriting an existing key); {@code replace} sets only the keys the object already has; {@code
 * remove} deletes the keys of {@code value} that the object has (their values are not compared).
 */
public record LabelAnnotationOverrider(
    OverriderOperator operator, SortedMap<String, String> value) {
  public LabelAnnotationOverrider {
    Objects.requireNonNull(operator, "operator");
    value = Collections.unmodifiableSortedMap(new TreeMap<>(value));
  }
}
