package io.flotilla.api.policy;

import java.util.List;
import java.util.Objects;

/**
 * Changes the command or the args of the container named {@code containerName}: {@code add} appends
 * {@code value}; {@code remove} deletes every element equal to one of {@code value}. Karmada allows
 * no {@code replace} here.
 */
public record CommandArgsOverrider(
    String containerName, OverriderOperator operator, List<String> value) {
  public CommandArgsOverrider {
    Objects.requireNonNull(containerName, "containerName");
    Objects.requireNonNull(operator, "operator");
    if (operator == OverriderOperator.REPLACE) {
      throw new IllegalArgumentException("command and args overriders only add or remove");
    }
    value = List.copyOf(value);
  }
}
