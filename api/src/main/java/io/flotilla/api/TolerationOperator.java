package io.flotilla.api;

/** How a toleration compares a taint's value. */
public enum TolerationOperator {
  /** The taint's value must equal the toleration's. */
  Equal,
  /** Any value; with an empty key, any taint at all. */
  Exists
}
