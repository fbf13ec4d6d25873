package io.flotilla.bench;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.WatchHandler;
import io.flotilla.cluster.health.HealthSettings;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import io.flotilla.propagation.KubernetesMemberFactory;
import io.flotilla.propagation.PropagationEngine;
import io.flotilla.propagation.PropagationSettings;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.StoreException;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long a change of a resource template takes to reach every member cluster: from the store
 * update to the moment each member's own watch sees the new copy. Members are fabric8 mock API
 * servers on loopback (in CRUD mode, so every copy goes through the update-with-resourceVersion
 * path, not server-side apply); the store is in memory; the engine runs with its defaults.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 4)
@Fork(1)
public class PropagationLatencyBenchmark {
  @Param({"3", "5"})
  public int members;

  private static final ObjectRef TEMPLATE =
      new ObjectRef("apps/v1", "StatefulSet", "default", "zk");

  private MockMembers mocks;
  private ObjectStore store;
  private PropagationEngine engine;
  private final List<MemberWatch> watches = new ArrayList<>();
  private final AtomicReference<CountDownLatch> seen = new AtomicReference<>();
  private volatile int expected;
  private int replicas = 1;

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    LogManager.getLogManager().reset(); // the mock web server logs every request through JUL
    String[] names = new String[members];
    for (int i = 0; i < members; i++) {
      names[i] = "dc" + (i + 1);
    }
    mocks = MockMembers.start(names);
    store = new InMemoryObjectStore(Clock.systemUTC());
    engine =
        new PropagationEngine(
            store,
            new KubernetesMemberFactory(store, MockMembers.testOptions()),
            PropagationSettings.DEFAULTS,
            HealthSettings.defaults(),
            Clock.systemUTC());
    engine.start();
    StringBuilder clusterList = new StringBuilder();
    for (MockMember m : mocks.all()) {
      store.create(
          yaml(
              "apiVersion: v1\nkind: Secret\nmetadata: {name: "
                  + m.name()
                  + "-kubeconfig, namespace: flotilla-system}\nstringData:\n  kubeconfig: |\n"
                  + m.kubeconfig().indent(4)));
      store.create(
          yaml(
              "apiVersion: flotilla.io/v1alpha1\nkind: MemberCluster\nmetadata: {name: "
                  + m.name()
                  + "}\nspec: {access: {kubeconfigSecret: {name: "
                  + m.name()
                  + "-kubeconfig}}}\n"));
      clusterList.append(clusterList.length() == 0 ? "" : ", ").append(m.name());
    }
    store.create(
        yaml(
            "apiVersion: flotilla.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: zk, namespace: default}\n"
                + "spec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: StatefulSet, name: zk}]\n"
                + "  placement: {clusterAffinity: {clusterNames: ["
                + clusterList
                + "]}}\n"));
    for (MockMember m : mocks.all()) {
      watches.add(
          m.member()
              .watch(
                  "apps/v1",
                  "StatefulSet",
                  "default",
                  Map.of(),
                  new WatchHandler() {
                    @Override
                    public void onChange(Change change, KubeObject copy) {
                      CountDownLatch latch = seen.get();
                      if (latch != null && copy.at("/spec/replicas").asInt(-1) == expected) {
                        latch.countDown();
                      }
                    }

                    @Override
                    public void onFailure(MemberException cause) {}
                  }));
    }
    arm(replicas);
    store.create(
        yaml(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: zk, namespace: default}\n"
                + "spec: {replicas: 1, serviceName: zk, selector: {matchLabels: {app: zk}},"
                + " template: {metadata: {labels: {app: zk}}, spec: {containers: [{name: zk, image: zookeeper}]}}}\n"));
    if (!seen.get().await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the template never reached every member");
    }
  }

  private static KubeObject yaml(String text) {
    return KubeObject.of(ManifestReader.read("bench", text).get(0).node());
  }

  private void arm(int value) {
    expected = value;
    seen.set(new CountDownLatch(members));
  }

  /** One change of spec.replicas, until every member's watch has seen it. */
  @Benchmark
  public void changeReachesEveryMember() throws InterruptedException {
    replicas = replicas % 9 + 1;
    arm(replicas);
    int value = replicas;
    while (true) {
      KubeObject t = store.get(TEMPLATE).orElseThrow();
      try {
        store.update(t.edit(n -> n.withObjectProperty("spec").put("replicas", value)));
        break;
      } catch (StoreException e) {
        if (e.reason() != StoreException.Reason.CONFLICT) {
          throw e;
        }
      }
    }
    if (!seen.get().await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a change did not reach every member within 30 s");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    watches.forEach(MemberWatch::close);
    engine.close();
    store.close();
    mocks.close();
  }
}
