package io.flotilla.propagation.render;

/**
 * The kinds of overrider, in the order a rule applies them: Karmada's order (the {@code Overriders}
 * type in {@code pkg/apis/policy/v1alpha1/override_types.go} and {@code applyPolicyOverriders} in
 * {@code pkg/util/overridemanager/overridemanager.go}): images, command, args, labels, annotations,
 * then the plaintext JSON patches, which therefore win over the others.
 */
public enum OverriderKind {
  IMAGE("imageOverrider"),
  COMMAND("commandOverrider"),
  ARGS("argsOverrider"),
  LABELS("labelsOverrider"),
  ANNOTATIONS("annotationsOverrider"),
  PLAINTEXT("plaintext");

  private final String field;

  OverriderKind(String field) {
    this.field = field;
  }

  /** The overrider's field in a policy: {@code imageOverrider}, ..., {@code plaintext}. */
  public String field() {
    return field;
  }
}
