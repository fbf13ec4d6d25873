package io.flotilla.api;

/** The status of a condition, as in Kubernetes. */
public enum ConditionStatus {
  True,
  False,
  Unknown
}
