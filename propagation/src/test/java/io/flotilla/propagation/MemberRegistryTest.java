package io.flotilla.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.KubeObject;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.MemberException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MemberRegistryTest {
  private static KubeObject cluster(String zone, String heartbeat) {
    return KubeObject.of(
        ManifestReader.read(
                "test",
                """
                apiVersion: flotilla.io/v1alpha1
                kind: MemberCluster
                metadata: {name: dc1, labels: {zone: %s}}
                spec: {access: {kubeconfigFile: {path: /nonexistent/dc1}}}
                status:
                  conditions: [{type: Ready, status: "False", reason: Timeout, lastHeartbeatTime: "%s"}]
                """
                    .formatted(zone, heartbeat))
            .get(0)
            .node());
  }

  @Test
  void aMemberThatStillCannotBeReachedIsNotAnnouncedAgainAtEveryHeartbeat() {
    MemberRegistry registry =
        new MemberRegistry(
            (name, access) -> {
              throw new MemberException(FailureReason.INVALID_CONFIG, name + ": no kubeconfig");
            });
    List<String> told = new CopyOnWriteArrayList<>();
    registry.addListener(told::add);

    registry.update(cluster("a", "2026-11-27T00:00:01Z"));
    registry.update(cluster("a", "2026-11-27T00:00:02Z"));
    registry.update(cluster("a", "2026-11-27T00:00:03Z"));
    assertThat(told).as("the first failure only").containsExactly("dc1");
    assertThat(registry.whyMissing("dc1")).contains("no kubeconfig");

    registry.update(cluster("b", "2026-11-27T00:00:04Z"));
    assertThat(told).as("a label change still counts").containsExactly("dc1", "dc1");
  }
}
