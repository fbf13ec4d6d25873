package io.flotilla.scheduler;

import io.flotilla.api.MiddlewareSpec;

/**
 * Decides whether a cluster may hold any replica of a middleware at all. A cluster that every
 * filter passes is a candidate. Filters are pure and small; each has a name that appears in the
 * reasons it gives.
 */
public interface FilterPlugin {
  String name();

  FilterResult filter(MiddlewareSpec spec, ClusterSnapshot cluster);
}
