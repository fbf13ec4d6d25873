package io.flotilla.ops;

import io.flotilla.api.MiddlewareType;
import io.flotilla.runtime.Tools;
import java.time.Clock;
import java.util.Objects;

/** The {@link MembershipDriver} of each middleware type. */
public final class MembershipDrivers {
  private MembershipDrivers() {}

  /**
   * The driver of a type.
   *
   * @param tools runs the middleware's own admin tools in child JVMs (ZooKeeper, Kafka, RocketMQ)
   * @param clock for the waits that have a deadline
   */
  public static MembershipDriver of(MiddlewareType type, Tools tools, Clock clock) {
    Objects.requireNonNull(type, "type");
    return switch (type) {
      case ZOOKEEPER -> new ZooKeeperDriver(new ZooKeeperMembership(tools));
      case KAFKA -> new KafkaDriver(new KafkaMembership(tools), clock);
      case ELASTICSEARCH -> new ElasticsearchDriver(new ElasticsearchMembership(), clock);
      case ROCKETMQ -> new RocketMqDriver(new RocketMqMembership(tools, clock), clock);
      case REDIS -> new RedisDriver(clock);
    };
  }
}
