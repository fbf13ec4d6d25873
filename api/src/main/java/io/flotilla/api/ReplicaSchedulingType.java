package io.flotilla.api;

/** Karmada's replica scheduling types, per role. */
public enum ReplicaSchedulingType {
  /** The role's replicas are divided among the clusters (even spread, or static weights). */
  Divided,
  /** Every selected cluster runs all of the role's replicas (one name-server set per cluster). */
  Duplicated
}
