package io.flotilla.middleware;

import io.flotilla.api.Middleware;

/**
 * How instances reach each other: the host name (or address) of every instance. In Kubernetes, the
 * DNS name of its pod under the middleware's global headless Service; in the sandbox, its own
 * loopback address.
 */
@FunctionalInterface
public interface Addressing {
  String host(Middleware middleware, Instance instance);

  /**
   * {@code <pod>.<middleware>.<namespace>.svc.cluster.local}: the pod's name under the headless
   * Service named after the middleware, which the traffic layer fills with every cluster's pods.
   */
  static Addressing kubernetes() {
    return (mw, i) ->
        i.podName(mw.name())
            + "."
            + mw.name()
            + "."
            + mw.metadata().namespace().orElse("default")
            + ".svc.cluster.local";
  }
}
