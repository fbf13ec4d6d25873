package io.flotilla.controller;

import io.flotilla.api.MiddlewareType;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.redis.RedisAdapter;
import io.flotilla.ops.MembershipDrivers;
import io.flotilla.ops.redis.RedisMembership;
import io.flotilla.runtime.Tools;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The membership operations of {@code ops}, one driver per middleware type, as the controller calls
 * them. A new resource (nothing before) needs no change of membership: its instances find each
 * other from the configuration the adapter rendered, except Redis Cluster, whose slots are assigned
 * by the driver.
 */
public final class DriverMembership implements MembershipHook {
  private final Tools tools;
  private final Clock clock;

  public DriverMembership(Tools tools, Clock clock) {
    this.tools = tools;
    this.clock = clock;
  }

  @Override
  public void reconcile(Topology before, Topology after, Set<Instance> lost) {
    if (before.instances().isEmpty()) {
      form(after);
      return;
    }
    MembershipDrivers.of(after.middleware().spec().type(), tools, clock)
        .reconcile(before, after, lost);
  }

  /** A new resource: only a Redis Cluster needs forming (its slots assigned, its nodes met). */
  private static void form(Topology after) {
    if (after.middleware().spec().type() != MiddlewareType.REDIS
        || RedisAdapter.mode(after.middleware()) != RedisAdapter.Mode.CLUSTER) {
      return;
    }
    List<List<RedisMembership.Address>> shards = new ArrayList<>();
    after
        .shards()
        .values()
        .forEach(
            members ->
                shards.add(
                    members.stream()
                        .map(i -> new RedisMembership.Address(after.host(i), RedisAdapter.PORT))
                        .toList()));
    new RedisMembership(
            after.middleware().name(), after.credential(RedisAdapter.PASSWORD), FORM_TIMEOUT)
        .bootstrap(shards);
  }

  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(60);
}
