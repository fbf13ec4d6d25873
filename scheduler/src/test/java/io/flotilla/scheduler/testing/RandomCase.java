package io.flotilla.scheduler.testing;

import io.flotilla.api.ClusterAffinity;
import io.flotilla.api.Condition;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.LabelSelector;
import io.flotilla.api.LabelSelectorRequirement;
import io.flotilla.api.MiddlewareSpec;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Placement;
import io.flotilla.api.Quantity;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ReplicaSchedulingType;
import io.flotilla.api.ResourceList;
import io.flotilla.api.ResourceRequirements;
import io.flotilla.api.Resources;
import io.flotilla.api.SelectorOperator;
import io.flotilla.api.Taint;
import io.flotilla.api.TaintEffect;
import io.flotilla.api.Toleration;
import io.flotilla.api.TolerationOperator;
import io.flotilla.scheduler.ClusterSnapshot;
import io.flotilla.scheduler.PreviousPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A random scheduling problem, small enough to brute-force: up to 5 clusters, 1–3 roles of up to 10
 * replicas, random capacities (from small sets, so ties happen), labels, taints, readiness,
 * affinity, tolerations, shards and previous placements.
 */
public record RandomCase(
    long seed, MiddlewareSpec spec, List<ClusterSnapshot> clusters, PreviousPlacement previous) {

  private static final long[] CPU = {2_000, 4_000, 8_000, 16_000};
  private static final long[] MEMORY = {4L << 30, 8L << 30, 16L << 30, 32L << 30};
  private static final String[] REQUEST_CPU = {"0", "250m", "500m", "1", "2"};
  private static final String[] REQUEST_MEMORY = {"0", "512Mi", "1Gi", "2Gi", "3Gi"};

  public static RandomCase generate(long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(5);
    List<ClusterSnapshot> clusters = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clusters.add(cluster(r, "c" + i));
    }
    MiddlewareType type = MiddlewareType.values()[r.nextInt(MiddlewareType.values().length)];
    List<ReplicaRequirement> roles = roles(r, type);
    ClusterAffinity affinity = affinity(r, n);
    List<Toleration> tolerations =
        r.nextInt(3) == 0
            ? List.of(new Toleration("dedicated", TolerationOperator.Exists, "", Optional.empty()))
            : List.of();
    MiddlewareSpec spec =
        new MiddlewareSpec(
            type, Optional.empty(), roles, affinity, tolerations, Placement.EMPTY, new TreeMap<>());
    PreviousPlacement previous = r.nextInt(3) == 0 ? PreviousPlacement.NONE : previous(r, roles, n);
    return new RandomCase(seed, spec, clusters, previous);
  }

  private static ClusterSnapshot cluster(Random r, String name) {
    long cpu = CPU[r.nextInt(CPU.length)];
    long mem = MEMORY[r.nextInt(MEMORY.length)];
    // allocated: mostly below capacity, sometimes at or over it
    boolean full = r.nextInt(8) == 0;
    long usedCpu = cpu * (full ? 10 + r.nextInt(3) : r.nextInt(9)) / 10;
    long usedMem = mem * (full ? 10 + r.nextInt(3) : r.nextInt(9)) / 10;
    Map<String, String> labels =
        Map.of("zone", r.nextBoolean() ? "a" : "b", "tier", r.nextBoolean() ? "gold" : "silver");
    List<Taint> taints = new ArrayList<>();
    int t = r.nextInt(10);
    if (t == 0) {
      taints.add(new Taint("dedicated", "db", TaintEffect.NoSchedule));
    } else if (t == 1) {
      taints.add(new Taint("dedicated", "db", TaintEffect.NoExecute));
    } else if (t == 2) {
      taints.add(new Taint("flotilla.io/unreachable", "", TaintEffect.NoExecute));
    } else if (t == 3) {
      taints.add(new Taint("cordoned", "", TaintEffect.NoSchedule));
    }
    boolean ready = r.nextInt(8) != 0;
    Condition c =
        new Condition(
            "Ready",
            ready ? ConditionStatus.True : ConditionStatus.False,
            ready ? "" : "HeartbeatMissed",
            "",
            Optional.empty(),
            Optional.empty());
    return new ClusterSnapshot(
        name,
        labels,
        taints,
        Optional.of(c),
        Optional.of(new Resources(cpu, mem)),
        new Resources(usedCpu, usedMem));
  }

  private static List<ReplicaRequirement> roles(Random r, MiddlewareType type) {
    int count = 1 + r.nextInt(3);
    List<MiddlewareType.RoleSpec> catalog = new ArrayList<>(type.roles());
    List<ReplicaRequirement> roles = new ArrayList<>();
    boolean sharded = count >= 2 && r.nextInt(3) == 0;
    for (int k = 0; k < count && !catalog.isEmpty(); k++) {
      String name = catalog.remove(r.nextInt(catalog.size())).name();
      boolean shardRole = sharded && k == 1;
      int perShard = 1 + r.nextInt(2);
      int replicas;
      if (shardRole) {
        replicas = roles.get(0).replicas() * perShard;
      } else if (sharded && k == 0) {
        replicas = r.nextInt(6);
      } else {
        replicas = r.nextInt(11);
      }
      ResourceRequirements res =
          new ResourceRequirements(
              resources(
                  REQUEST_CPU[r.nextInt(REQUEST_CPU.length)],
                  REQUEST_MEMORY[r.nextInt(REQUEST_MEMORY.length)]),
              ResourceList.empty());
      OptionalInt maxClusters =
          !shardRole && r.nextInt(6) == 0 ? OptionalInt.of(1 + r.nextInt(4)) : OptionalInt.empty();
      OptionalInt minClusters =
          r.nextInt(8) == 0 ? OptionalInt.of(1 + r.nextInt(3)) : OptionalInt.empty();
      roles.add(
          new ReplicaRequirement(
              name,
              replicas,
              1 + r.nextInt(3),
              shardRole ? OptionalInt.of(perShard) : OptionalInt.empty(),
              shardRole ? Optional.of(roles.get(0).role()) : Optional.empty(),
              res,
              ReplicaSchedulingType.Divided,
              new TreeMap<>(),
              minClusters,
              maxClusters,
              Optional.empty()));
    }
    return roles;
  }

  private static ResourceList resources(String cpu, String memory) {
    SortedMap<String, Quantity> m = new TreeMap<>();
    m.put(ResourceList.CPU, Quantity.parse(cpu));
    m.put(ResourceList.MEMORY, Quantity.parse(memory));
    return new ResourceList(m);
  }

  private static ClusterAffinity affinity(Random r, int n) {
    return switch (r.nextInt(6)) {
      case 0 -> {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (r.nextInt(4) != 0) {
            names.add("c" + i);
          }
        }
        yield names.isEmpty() ? ClusterAffinity.ANY : new ClusterAffinity(Optional.empty(), names);
      }
      case 1 ->
          new ClusterAffinity(
              Optional.of(
                  new LabelSelector(
                      new TreeMap<>(),
                      List.of(
                          new LabelSelectorRequirement(
                              "tier", SelectorOperator.NotIn, List.of("silver"))))),
              List.of());
      default -> ClusterAffinity.ANY;
    };
  }

  private static PreviousPlacement previous(Random r, List<ReplicaRequirement> roles, int n) {
    Placement.Builder b = Placement.builder();
    for (ReplicaRequirement role : roles) {
      // around the role's replicas: scale up, scale down or unchanged, on random clusters
      int total = Math.max(0, role.replicas() + r.nextInt(7) - 3);
      Map<String, Integer> counts = new TreeMap<>();
      for (int k = 0; k < total; k++) {
        counts.merge("c" + r.nextInt(n), 1, Integer::sum);
      }
      b.role(role.role(), counts);
    }
    return new PreviousPlacement(b.build(), List.of());
  }
}
