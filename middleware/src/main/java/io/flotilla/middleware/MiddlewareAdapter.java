package io.flotilla.middleware;

import io.flotilla.api.KubeObject;
import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareType;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;

/**
 * Everything specific to one middleware type (DESIGN.md §6). Pure: no I/O. An adapter renders each
 * member cluster's share as plain Kubernetes objects, says how one instance runs locally, and
 * checks the type's rules; its membership operations (which talk to live servers) live elsewhere.
 */
public interface MiddlewareAdapter {
  MiddlewareType type();

  /** The type's rules: errors for what makes no sense, warnings for what is only unwise. */
  List<Finding> check(Middleware middleware);

  /**
   * Each cluster's share: a StatefulSet per role it holds ({@code spec.ordinals.start} = the
   * share's base id), a ConfigMap per role with every instance's configuration files, and the
   * headless Service named after the middleware. Clusters sorted by name; objects in a fixed order.
   */
  SortedMap<String, List<KubeObject>> render(Topology topology);

  /**
   * What the Secret {@code <middleware>-credentials} holds, by key, derived from the topology's
   * credentials: the pods that need credentials mount it at {@link Manifests#CREDENTIALS_DIR}. It
   * is kept apart from {@link #render} so that secrets never sit among the plain objects. Types
   * without credentials have none.
   */
  default SortedMap<String, String> secrets(Topology topology) {
    return Collections.emptySortedMap();
  }

  /**
   * The names of the credentials the type's servers and operations share (see {@link
   * Topology#credential}); the controller generates each once per resource and keeps it.
   */
  default List<String> credentialNames() {
    return List.of();
  }

  /** One instance's configuration files, by file name: what its ConfigMap holds for it. */
  SortedMap<String, String> files(Topology topology, Instance instance);

  /**
   * How to run one instance as a local process whose files live under {@code directory} (an
   * absolute path the caller owns).
   */
  LocalLaunch launch(Topology topology, Instance instance, String directory);
}
