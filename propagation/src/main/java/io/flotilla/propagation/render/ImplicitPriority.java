package io.flotilla.propagation.render;

/**
 * How specifically a resource selector matches a template, Karmada's "implicit priority", in
 * ascending order: a selector naming the template beats one matching its labels, which beats one
 * matching every template of its kind.
 */
public enum ImplicitPriority {
  /** The selector does not select the template. */
  MISMATCH,
  /** The selector names neither a name nor labels (or a policy has no selectors). */
  MATCH_ALL,
  /** The selector's label selector matches the template's labels. */
  MATCH_LABEL_SELECTOR,
  /** The selector names the template. */
  MATCH_NAME;

  public boolean matches() {
    return this != MISMATCH;
  }
}
