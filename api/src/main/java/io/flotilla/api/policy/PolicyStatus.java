package io.flotilla.api.policy;

import io.flotilla.api.Condition;
import java.util.List;
import java.util.Optional;

/**
 * The status of a PropagationPolicy or OverridePolicy: its conditions, such as {@value #APPLIED}
 * (whether an override policy applied to every cluster it targets).
 */
public record PolicyStatus(List<Condition> conditions) {
  /** The condition type saying whether an override policy applied everywhere it should. */
  public static final String APPLIED = "Applied";

  public static final PolicyStatus EMPTY = new PolicyStatus(List.of());

  public PolicyStatus {
    conditions = List.copyOf(conditions);
  }

  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
  }
}
