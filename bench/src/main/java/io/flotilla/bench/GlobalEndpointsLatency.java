package io.flotilla.bench;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.testing.MockMembers;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import io.flotilla.traffic.GlobalEndpointsController;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * How long a pod's readiness change in one member takes to reach the EndpointSlices of every
 * member: three fabric8 mock API servers on loopback, one Middleware with {@code PODS} instances
 * spread over them, and {@code FLIPS} readiness flips of one pod, each timed from the pod's update
 * to the moment all three clusters' slices show it (polled every millisecond).
 *
 * <p>Run: {@code bench/endpoints} (defaults 30 pods, 50 flips).
 */
public final class GlobalEndpointsLatency {
  private static final List<String> CLUSTERS = List.of("dc1", "dc2", "dc3");

  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int flips = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    try (MockMembers members = MockMembers.start(CLUSTERS.toArray(String[]::new))) {
      run(members, pods, flips);
    }
    System.exit(0);
  }

  private static KubeObject yaml(String text) {
    return KubeObject.of(ManifestReader.read("bench", text).get(0).node());
  }

  private static void run(MockMembers members, int pods, int flips) throws Exception {
    ObjectStore store = new InMemoryObjectStore(Clock.systemUTC());
    for (String c : CLUSTERS) {
      store.create(
          yaml(
              """
              apiVersion: flotilla.io/v1alpha1
              kind: MemberCluster
              metadata: {name: %s}
              spec: {}
              status: {conditions: [{type: Ready, status: "True", reason: Probed}]}
              """
                  .formatted(c)));
    }
    store.create(
        yaml(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: zk, namespace: default}
            spec: {clusterIP: None, ports: [{name: client, port: 2181}]}
            """));
    for (int i = 0; i < pods; i++) {
      members
          .get(CLUSTERS.get(i % 3))
          .pod("default", "zk-participant-" + i)
          .labels(
              Map.of(
                  "app.kubernetes.io/instance", "zk", "app.kubernetes.io/managed-by", "flotilla"))
          .ip("127.0." + (1 + i % 3) + "." + (1 + i))
          .create();
    }
    GlobalEndpointsController controller =
        new GlobalEndpointsController(
            store,
            name -> Optional.<Member>of(members.get(name).member()),
            GlobalEndpointsController.Settings.DEFAULTS);
    controller.start();
    store.create(
        yaml(
            """
            apiVersion: flotilla.io/v1alpha1
            kind: Middleware
            metadata: {name: zk, namespace: default}
            spec:
              type: zookeeper
              replicaRequirements: [{role: participant, replicas: %d}]
            """
                .formatted(pods)));
    awaitUntil(() -> CLUSTERS.stream().allMatch(c -> readyCount(members, c) == pods));

    String flipped = "zk-participant-1"; // in dc2
    List<Double> millis = new ArrayList<>();
    boolean ready = true;
    for (int i = 0; i < flips; i++) {
      ready = !ready;
      boolean want = ready;
      long t0 = System.nanoTime();
      members
          .get("dc2")
          .client()
          .pods()
          .inNamespace("default")
          .withName(flipped)
          .edit(
              p -> {
                p.getStatus().getConditions().get(0).setStatus(want ? "True" : "False");
                return p;
              });
      int expected = want ? pods : pods - 1;
      awaitUntil(() -> CLUSTERS.stream().allMatch(c -> readyCount(members, c) == expected));
      millis.add((System.nanoTime() - t0) / 1e6);
    }
    controller.close();
    Collections.sort(millis);
    System.out.printf(
        "global endpoints: %d instances over 3 clusters (mock API servers on loopback), %d"
            + " readiness flips of one pod: to every cluster's slices median %.0f ms, p90 %.0f ms,"
            + " max %.0f ms%n",
        pods,
        flips,
        millis.get(millis.size() / 2),
        millis.get((int) (millis.size() * 0.9)),
        millis.get(millis.size() - 1));
  }

  /** How many endpoints the cluster's first slice shows ready. */
  private static int readyCount(MockMembers members, String cluster) {
    Optional<KubeObject> slice =
        members
            .get(cluster)
            .member()
            .get(new ObjectRef("discovery.k8s.io/v1", "EndpointSlice", "default", "zk-flotilla-0"));
    int n = 0;
    if (slice.isPresent()) {
      for (var e : slice.get().at("/endpoints")) {
        if (e.path("conditions").path("ready").asBoolean()) {
          n++;
        }
      }
    }
    return n;
  }

  private static void awaitUntil(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not done within 30 s");
      }
      Thread.sleep(1);
    }
  }
}
