package io.flotilla.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.Middleware;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Resources;
import io.flotilla.controller.ControlPlane;
import io.flotilla.runtime.Distributions;
import io.flotilla.runtime.RunningInstance;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox with real ZooKeeper processes: deploy, lose a cluster, fail over, recover, fence. */
@Tag("e2e")
class SandboxTest {
  @TempDir Path dir;

  static boolean available(Sandbox s, String name) {
    return s.store()
        .get(new ObjectRef(ApiVersion.API_VERSION, Middleware.KIND, "default", name))
        .map(o -> Demo.condition(o, "Available"))
        .orElse(false);
  }

  static Map<String, Integer> processes(Sandbox s) {
    Map<String, Integer> out = new TreeMap<>();
    s.clusters().forEach((n, c) -> out.put(n, c.processes().size()));
    return out;
  }

  @Test
  void aLostClusterIsFailedOverAndFencedWhenItReturns() throws Exception {
    Sandbox.Options options =
        new Sandbox.Options(
            dir, 3, 0, new Resources(2000, 8L << 30), ControlPlane.Settings.defaults());
    try (Sandbox s = Sandbox.start(options, Distributions.locate(), Clock.systemUTC())) {
      s.store().create(Demo.example(Distributions.locate(), "zookeeper.yaml"));
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> available(s, "zk"));
      assertThat(processes(s).values()).containsExactlyInAnyOrder(2, 2, 1);
      String two =
          processes(s).entrySet().stream()
              .filter(e -> e.getValue() == 2)
              .findFirst()
              .orElseThrow()
              .getKey();
      for (RunningInstance p : s.cluster(two).processes()) {
        assertThat(p.directory()).startsWith(dir.resolve("clusters").resolve(two));
        assertThat(p.log()).exists();
      }

      s.cluster(two).fail();
      assertThat(processes(s)).containsEntry(two, 0);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  available(s, "zk")
                      && processes(s).values().stream().mapToInt(Integer::intValue).sum() == 5);
      assertThat(processes(s)).containsEntry(two, 0);

      s.cluster(two).recover();
      assertThat(s.cluster(two).held()).isNotEmpty();
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> s.cluster(two).list("apps/v1", "StatefulSet", "default", Map.of()).isEmpty());
      assertThat(processes(s)).containsEntry(two, 0);
      assertThat(s.cluster(two).held()).isEmpty();
    }
  }

  @Test
  void aDrainedClusterIsEmptiedWhileTheEnsembleKeepsItsQuorum() throws Exception {
    Sandbox.Options options =
        new Sandbox.Options(
            dir, 4, 0, new Resources(2000, 8L << 30), ControlPlane.Settings.defaults());
    try (Sandbox s = Sandbox.start(options, Distributions.locate(), Clock.systemUTC())) {
      ObjectRef zk = new ObjectRef(ApiVersion.API_VERSION, Middleware.KIND, "default", "zk");
      s.store().create(Demo.example(Distributions.locate(), "zookeeper.yaml"));
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> available(s, "zk"));
      String drained =
          processes(s).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      int before = processes(s).get(drained);
      ObjectRef cluster = new ObjectRef(ApiVersion.API_VERSION, "MemberCluster", "", drained);
      io.flotilla.api.KubeObject c = s.store().get(cluster).orElseThrow();
      s.store()
          .update(
              c.edit(
                  n -> {
                    var taints =
                        ((tools.jackson.databind.node.ObjectNode) n.get("spec")).putArray("taints");
                    taints
                        .addObject()
                        .put("key", "flotilla.io/cordoned")
                        .put("value", "")
                        .put("effect", "NoSchedule");
                    taints
                        .addObject()
                        .put("key", "flotilla.io/drained")
                        .put("value", "")
                        .put("effect", "NoExecute");
                  }));
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  processes(s).get(drained) == 0
                      && available(s, "zk")
                      && processes(s).values().stream().mapToInt(Integer::intValue).sum() == 5);
      tools.jackson.databind.JsonNode status = s.store().get(zk).orElseThrow().at("/status");
      assertThat(status.at("/placement/participant").has(drained)).isFalse();
      assertThat(status.at("/running/participant").has(drained)).isFalse();
      assertThat(status.path("lost").isEmpty()).as("drained, not lost").isTrue();
      assertThat(before).isPositive();
      assertThat(s.events().of(cluster))
          .extracting(e -> e.reason())
          .contains("Cordoned", "Draining");
      assertThat(s.events().of(zk))
          .extracting(e -> e.reason() + ": " + e.message())
          .contains("AllInstancesReady: every instance ready")
          .anySatisfy(
              e -> assertThat(e).startsWith("Scheduled: participant").doesNotContain(drained));
    }
  }
}
