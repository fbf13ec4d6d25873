package io.flotilla.api;

import java.util.Objects;

/** A middleware resource (Redis, Elasticsearch, Kafka, RocketMQ, ZooKeeper) to run. */
public record Middleware(ObjectMeta metadata, MiddlewareSpec spec) {
  public static final String KIND = "Middleware";

  public Middleware {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(spec, "spec");
  }

  public String name() {
    return metadata.name();
  }
}
