package io.flotilla.ops;

import io.flotilla.api.ShardPlacement;
import java.util.List;

/**
 * The middlewares the drills run (and the sandbox's workload tests, through this module's test
 * jar), each spread one instance per role over dc1, dc2 and dc3 ({@link LocalDrill#oneEach}).
 */
public final class DrillMiddleware {
  private DrillMiddleware() {}

  /** Three ZooKeeper participants. */
  public static final String ZOOKEEPER =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: Middleware
      metadata: {name: zk, namespace: default}
      spec:
        type: zookeeper
        replicaRequirements:
          - {role: participant, replicas: 3}
      """;

  /** Kafka in combined mode. */
  public static final String KAFKA =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: Middleware
      metadata: {name: kafka, namespace: default}
      spec:
        type: kafka
        replicaRequirements:
          - {role: combined, replicas: 3}
      """;

  /** A Redis Cluster of three masters and three replicas, with a short node timeout. */
  public static final String REDIS_CLUSTER =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: Middleware
      metadata: {name: cache, namespace: default}
      spec:
        type: redis
        settings: {node-timeout: "2000"}
        replicaRequirements:
          - {role: master, replicas: 3}
          - {role: slave, replicas: 3, shard: 1}
      """;

  /** Three OpenSearch nodes, master-eligible and holding data, indices with 2 replicas. */
  public static final String OPENSEARCH =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: Middleware
      metadata: {name: es, namespace: default}
      spec:
        type: elasticsearch
        replicaRequirements:
          - {role: master, replicas: 3}
        settings: {replicas: "2"}
      """;

  /** For {@link #REDIS_CLUSTER}: shard s's master in dc(s+1), its replica in the next cluster. */
  public static final List<ShardPlacement> REDIS_SHARDS =
      List.of(
          new ShardPlacement(0, "dc1", List.of("dc2")),
          new ShardPlacement(1, "dc2", List.of("dc3")),
          new ShardPlacement(2, "dc3", List.of("dc1")));
}
