package io.flotilla.api;

/** The operators of a label selector's {@code matchExpressions}. */
public enum SelectorOperator {
  In,
  NotIn,
  Exists,
  DoesNotExist
}
