package io.flotilla.middleware;

import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareType;
import io.flotilla.middleware.elasticsearch.ElasticsearchAdapter;
import io.flotilla.middleware.kafka.KafkaAdapter;
import io.flotilla.middleware.redis.RedisAdapter;
import io.flotilla.middleware.rocketmq.RocketMqAdapter;
import io.flotilla.middleware.zookeeper.ZooKeeperAdapter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The adapter of each middleware type: every {@link MiddlewareType} has one. */
public final class Adapters {
  private static final Map<MiddlewareType, MiddlewareAdapter> BY_TYPE =
      new EnumMap<>(MiddlewareType.class);

  static {
    for (MiddlewareAdapter a :
        List.of(
            new ElasticsearchAdapter(),
            new KafkaAdapter(),
            new RedisAdapter(),
            new RocketMqAdapter(),
            new ZooKeeperAdapter())) {
      BY_TYPE.put(a.type(), a);
    }
  }

  private Adapters() {}

  /**
   * @throws IllegalArgumentException for a type without an adapter
   */
  public static MiddlewareAdapter of(MiddlewareType type) {
    MiddlewareAdapter a = BY_TYPE.get(type);
    if (a == null) {
      throw new IllegalArgumentException("no adapter for middleware type " + type.id());
    }
    return a;
  }

  /** The type's rules applied to a Middleware: errors and warnings, each naming field and rule. */
  public static List<Finding> check(Middleware mw) {
    return of(mw.spec().type()).check(mw);
  }
}
