package io.flotilla.propagation;

import static io.flotilla.propagation.EngineFixture.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.KubeObject;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.api.io.ObjectLoader;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.OverridePolicyReader;
import io.flotilla.api.policy.PropagationPolicy;
import io.flotilla.api.policy.PropagationPolicyReader;
import io.flotilla.propagation.render.ClusterInfo;
import io.flotilla.propagation.render.OverrideRenderer;
import io.flotilla.propagation.render.PolicyMatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples in examples/propagation read without problems and do what docs/propagation.md says.
 */
class ExamplesTest {
  private static final Path DIR = Path.of("../examples/propagation");

  @Test
  void theExamplePoliciesPropagateAndOverrideAsDocumented() throws IOException {
    assertThat(
            ObjectLoader.memberClusters(
                "member-clusters.yaml", Files.readString(DIR.resolve("member-clusters.yaml"))))
        .hasSize(3);
    List<PropagationPolicy> propagation = new ArrayList<>();
    List<OverridePolicy> overrides = new ArrayList<>();
    for (Manifest m :
        ManifestReader.read("policies.yaml", Files.readString(DIR.resolve("policies.yaml")))) {
      if (m.kind().equals(PropagationPolicy.KIND)) {
        propagation.add(PropagationPolicyReader.read(m).value().orElseThrow());
      } else {
        overrides.add(OverridePolicyReader.read(m).value().orElseThrow());
      }
    }
    KubeObject zk =
        yaml(
            """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: zk, namespace: default}
            spec:
              replicas: 3
              template:
                spec:
                  containers: [{name: zk, image: "docker.io/library/zookeeper:3.9.5"}]
            """);
    List<ClusterInfo> clusters =
        List.of(
            ClusterInfo.of("dc1", Map.of("topology.flotilla.io/zone", "dc1")),
            ClusterInfo.of("dc2", Map.of("topology.flotilla.io/zone", "dc2")),
            ClusterInfo.of("dc3", Map.of("topology.flotilla.io/zone", "dc3")));
    PropagationPolicy policy = PolicyMatcher.governingPolicy(zk, propagation).orElseThrow();
    assertThat(PolicyMatcher.targetClusters(policy, clusters)).containsExactly("dc1", "dc2", "dc3");
    var rendered = OverrideRenderer.renderEach(zk, clusters, overrides);
    assertThat(rendered.get("dc1").object().at("/spec/replicas").asInt(-1)).isEqualTo(2);
    assertThat(
            rendered.get("dc2").object().at("/spec/template/spec/containers/0/image").asString(""))
        .isEqualTo("registry.dc2.example.com/library/zookeeper:3.9.5");
    assertThat(rendered.get("dc2").object().labels()).containsEntry("flotilla.io/mirror", "dc2");
    assertThat(rendered.get("dc3").object()).isEqualTo(zk);
    assertThat(rendered.values()).allSatisfy(r -> assertThat(r.failures()).isEmpty());
  }
}
