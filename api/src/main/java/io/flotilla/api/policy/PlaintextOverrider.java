package io.flotilla.api.policy;

import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One RFC 6902 JSON patch operation on a resource template: {@code add}, {@code remove} or {@code
 * replace} at {@code path}. {@code value} is any JSON, absent exactly when the operator is {@code
 * remove}. Immutable: the value is copied in and out.
 */
public record PlaintextOverrider(
    JsonPointer path, OverriderOperator operator, Optional<JsonNode> value) {
  public PlaintextOverrider {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(value, "value");
    if ((operator == OverriderOperator.REMOVE) == value.isPresent()) {
      throw new IllegalArgumentException(
          operator == OverriderOperator.REMOVE
              ? "remove takes no value"
              : operator + " needs a value");
    }
    value = value.map(JsonNode::deepCopy);
  }

  /** A copy of the value. */
  @Override
  public Optional<JsonNode> value() {
    return value.map(JsonNode::deepCopy);
  }
}
