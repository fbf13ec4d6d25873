package io.flotilla.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One of a label selector's {@code matchExpressions}. */
public record LabelSelectorRequirement(String key, SelectorOperator operator, List<String> values) {
  public LabelSelectorRequirement {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    values = List.copyOf(values);
  }

  /** Kubernetes semantics: NotIn and DoesNotExist also match objects without the label. */
  public boolean matches(Map<String, String> labels) {
    String v = labels.get(key);
    return switch (operator) {
      case In -> v != null && values.contains(v);
      case NotIn -> v == null || !values.contains(v);
      case Exists -> v != null;
      case DoesNotExist -> v == null;
    };
  }
}
