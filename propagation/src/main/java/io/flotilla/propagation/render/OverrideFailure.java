package io.flotilla.propagation.render;

import io.flotilla.api.ObjectRef;
import java.util.Comparator;
import java.util.Objects;

/**
 * An OverridePolicy that could not apply to a template for one cluster: which policy, rule and
 * overrider, for which template and cluster, at which path of the template ({@code
 * /spec/template/spec/containers/0/image}), and why.
 */
public record OverrideFailure(
    ObjectRef policy,
    int rule,
    OverriderRef overrider,
    ObjectRef template,
    String cluster,
    String path,
    String reason)
    implements Comparable<OverrideFailure> {
  private static final Comparator<OverrideFailure> ORDER =
      Comparator.comparing(OverrideFailure::cluster)
          .thenComparing(OverrideFailure::template)
          .thenComparing(OverrideFailure::policy)
          .thenComparingInt(OverrideFailure::rule)
          .thenComparing(OverrideFailure::overrider)
          .thenComparing(OverrideFailure::path)
          .thenComparing(OverrideFailure::reason);

  public OverrideFailure {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(overrider, "overrider");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * The overrider's field path in the policy: {@code
   * spec.overrideRules[0].overriders.plaintext[1]}.
   */
  public String overriderPath() {
    return "spec.overrideRules[" + rule + "].overriders." + overrider;
  }

  /** By cluster, then template, policy, rule, overrider, path. */
  @Override
  public int compareTo(OverrideFailure o) {
    return ORDER.compare(this, o);
  }

  /**
   * Where and why, without the policy: {@code cluster dc2, Deployment default/web:
   * spec.overrideRules[0].overriders.plaintext[0] at /spec/x: the path does not exist: ...}.
   */
  public String describe() {
    return "cluster "
        + cluster
        + ", "
        + template
        + ": "
        + overriderPath()
        + " at "
        + (path.isEmpty() ? "the whole object" : path)
        + ": "
        + reason;
  }

  /** {@link #describe()} preceded by the policy. */
  @Override
  public String toString() {
    return policy + ": " + describe();
  }
}
