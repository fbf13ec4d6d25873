package io.flotilla.cluster.kubernetes;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link KubernetesMember} talks to its API server.
 *
 * @param connectTimeout how long to wait for a TCP and TLS connection
 * @param requestTimeout how long to wait for an answer to one request (apply, get, list, ...)
 * @param watchReconnectLimit how many times a broken watch is reopened before the handler is told
 *     the member failed; 0 tells it at the first break
 * @param watchReconnectInterval the wait before the first reopening (fabric8 backs off from there)
 */
public record KubernetesMemberOptions(
    Duration connectTimeout,
    Duration requestTimeout,
    int watchReconnectLimit,
    Duration watchReconnectInterval) {
  public KubernetesMemberOptions {
    positive(connectTimeout, "connectTimeout");
    positive(requestTimeout, "requestTimeout");
    positive(watchReconnectInterval, "watchReconnectInterval");
    if (watchReconnectLimit < 0) {
      throw new IllegalArgumentException(
          "watchReconnectLimit must be at least 0, got " + watchReconnectLimit);
    }
  }

  /** 5 s to connect, 10 s per request, a broken watch reopened 3 times from 1 s apart. */
  public static KubernetesMemberOptions defaults() {
    return new KubernetesMemberOptions(
        Duration.ofSeconds(5), Duration.ofSeconds(10), 3, Duration.ofSeconds(1));
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be greater than 0, got " + d);
    }
    if (d.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " is too long: " + d);
    }
  }
}
