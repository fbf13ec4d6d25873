package io.flotilla.server;

import tools.jackson.databind.JsonNode;

/**
 * What the API serves beyond stored objects, computed by the controller from the live state: the
 * global view and the what-if of a cluster loss. The JSON shapes are in {@code docs/api.md}; the
 * server passes them through unchanged.
 */
public interface ControlPlaneView {
  /**
   * Every instance of every Middleware with its cluster, id, address and readiness, and every
   * member cluster's health: {@code {"middlewares": [...], "clusters": [...]}}.
   */
  JsonNode globalView();

  /**
   * What losing {@code cluster} would do, from the live state, without changing anything: every
   * Middleware touched, where each lost instance would go, whether each voter set keeps quorum and
   * the capacity left afterwards.
   *
   * @throws java.util.NoSuchElementException when there is no member cluster of that name
   */
  JsonNode drill(String cluster);
}
