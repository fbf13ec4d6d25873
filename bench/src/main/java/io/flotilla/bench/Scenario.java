package io.flotilla.bench;

import io.flotilla.api.ClusterAffinity;
import io.flotilla.api.Condition;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.MiddlewareSpec;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Placement;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ReplicaSchedulingType;
import io.flotilla.api.ResourceList;
import io.flotilla.api.ResourceRequirements;
import io.flotilla.api.Resources;
import io.flotilla.scheduler.ClusterSnapshot;
import io.flotilla.scheduler.PreviousPlacement;
import io.flotilla.scheduler.ScheduleResult;
import io.flotilla.scheduler.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeMap;

/**
 * The benchmark's workload: a 3-role Redis resource (masters, one slave per master's shard,
 * sentinels) over N clusters of varied capacity, as a fresh placement, a scale-up by half from its
 * own fresh placement, and a failover after the cluster holding the most replicas is lost.
 */
public record Scenario(
    MiddlewareSpec spec, List<ClusterSnapshot> clusters, PreviousPlacement previous) {

  /** The kinds of decision measured. */
  public enum Kind {
    FRESH,
    SCALE_UP,
    FAILOVER
  }

  /**
   * @param clusters N
   * @param mastersPerCluster masters per cluster on average (slaves as many, sentinels 5)
   */
  public static Scenario of(Kind kind, int clusters, int mastersPerCluster, long seed) {
    Random r = new Random(seed);
    List<ClusterSnapshot> all = new ArrayList<>();
    for (int i = 0; i < clusters; i++) {
      long cpu = (64 + 32L * r.nextInt(4)) * 1000;
      long mem = (256L + 128L * r.nextInt(4)) << 30;
      all.add(
          cluster(
              String.format("dc%04d", i),
              cpu,
              mem,
              cpu * r.nextInt(50) / 100,
              mem * r.nextInt(50) / 100,
              true));
    }
    int masters = clusters * mastersPerCluster;
    MiddlewareSpec fresh = spec(masters, 5);
    if (kind == Kind.FRESH) {
      return new Scenario(fresh, all, PreviousPlacement.NONE);
    }
    ScheduleResult before =
        Scheduler.withDefaultPlugins().schedule(fresh, all, PreviousPlacement.NONE);
    if (!before.scheduled()) {
      throw new IllegalStateException("the fresh placement must fit: " + before.unschedulable());
    }
    PreviousPlacement previous = new PreviousPlacement(before.placement(), before.shards());
    if (kind == Kind.SCALE_UP) {
      return new Scenario(spec(masters + masters / 2, 7), all, previous);
    }
    String lost = busiest(before.placement());
    List<ClusterSnapshot> after = new ArrayList<>();
    for (ClusterSnapshot c : all) {
      after.add(c.name().equals(lost) ? notReady(c) : c);
    }
    return new Scenario(fresh, after, previous);
  }

  private static String busiest(Placement p) {
    Map<String, Integer> total = new TreeMap<>();
    p.roles().values().forEach(m -> m.forEach((c, n) -> total.merge(c, n, Integer::sum)));
    return total.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  private static MiddlewareSpec spec(int masters, int sentinels) {
    ResourceRequirements small =
        new ResourceRequirements(ResourceList.of("250m", "512Mi"), ResourceList.empty());
    ResourceRequirements big =
        new ResourceRequirements(ResourceList.of("2", "8Gi"), ResourceList.empty());
    List<ReplicaRequirement> roles =
        List.of(
            ReplicaRequirement.of("master", masters, big),
            new ReplicaRequirement(
                "slave",
                masters,
                1,
                OptionalInt.of(1),
                Optional.of("master"),
                big,
                ReplicaSchedulingType.Divided,
                new TreeMap<>(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                Optional.empty()),
            ReplicaRequirement.of("sentinel", sentinels, small));
    return new MiddlewareSpec(
        MiddlewareType.REDIS,
        Optional.empty(),
        roles,
        ClusterAffinity.ANY,
        List.of(),
        Placement.EMPTY,
        new TreeMap<>());
  }

  private static ClusterSnapshot cluster(
      String name, long cpu, long mem, long usedCpu, long usedMem, boolean ready) {
    Condition c =
        new Condition(
            "Ready",
            ready ? ConditionStatus.True : ConditionStatus.False,
            "",
            "",
            Optional.empty(),
            Optional.empty());
    return new ClusterSnapshot(
        name,
        Map.of("cluster", "compute"),
        List.of(),
        Optional.of(c),
        Optional.of(new Resources(cpu, mem)),
        new Resources(usedCpu, usedMem));
  }

  private static ClusterSnapshot notReady(ClusterSnapshot c) {
    return cluster(
        c.name(),
        c.allocatable().orElseThrow().cpuMillis(),
        c.allocatable().orElseThrow().memoryBytes(),
        c.allocated().cpuMillis(),
        c.allocated().memoryBytes(),
        false);
  }
}
