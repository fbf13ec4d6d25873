package io.flotilla.propagation.render;

import io.flotilla.api.Condition;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.policy.PolicyStatus;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@value PolicyStatus#APPLIED} condition of an OverridePolicy, from the failures of rendering
 * its templates for every cluster: True ({@link Reason#Applied}) when it applied everywhere, False
 * ({@link Reason#OverrideFailed}) naming the cluster, path and reason of each failure otherwise.
 * The condition carries no times: whoever writes the status stamps them with its clock.
 */
public final class OverrideConditions {
  /** The reasons of the {@value PolicyStatus#APPLIED} condition. */
  public enum Reason {
    Applied,
    OverrideFailed
  }

  /** At most this many failures are spelt out, so that the message stays readable and small. */
  static final int MAX_LISTED = 10;

  private OverrideConditions() {}

  /**
   * The condition for {@code policy}, from failures of any policies (those of others are ignored).
   */
  public static Condition applied(ObjectRef policy, Collection<OverrideFailure> failures) {
    List<OverrideFailure> own =
        failures.stream().filter(f -> f.policy().equals(policy)).sorted().distinct().toList();
    if (own.isEmpty()) {
      return condition(
          ConditionStatus.True,
          Reason.Applied,
          "applied to every selected template in every cluster");
    }
    String message =
        own.stream()
            .limit(MAX_LISTED)
            .map(OverrideFailure::describe)
            .collect(Collectors.joining("; "));
    if (own.size() > MAX_LISTED) {
      message += "; and " + (own.size() - MAX_LISTED) + " more";
    }
    return condition(ConditionStatus.False, Reason.OverrideFailed, message);
  }

  private static Condition condition(ConditionStatus status, Reason reason, String message) {
    return new Condition(
        PolicyStatus.APPLIED, status, reason.name(), message, Optional.empty(), Optional.empty());
  }
}
