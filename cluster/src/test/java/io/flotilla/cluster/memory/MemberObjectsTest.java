package io.flotilla.cluster.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class MemberObjectsTest {
  private static final ObjectRef STS = new ObjectRef("apps/v1", "StatefulSet", "default", "zk");

  private static KubeObject sts(int replicas) {
    return KubeObject.create("apps/v1", "StatefulSet", "default", "zk")
        .edit(o -> o.putObject("spec").put("replicas", replicas));
  }

  @Test
  void aStatusWrittenFromAnOlderReadKeepsTheSpecAppliedSince() {
    MemberObjects objects = new MemberObjects("dc1");
    KubeObject seen = objects.apply(sts(1), (o, g) -> null);
    objects.apply(sts(3), (o, g) -> null);
    ObjectNode status =
        JsonNodeFactory.instance
            .objectNode()
            .put("replicas", 1)
            .put("observedGeneration", seen.generation());

    KubeObject stored = objects.updateStatus(STS, status).orElseThrow();

    assertThat(stored.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(stored.generation()).isEqualTo(2);
    assertThat(stored.at("/status/observedGeneration").asLong()).isEqualTo(1);
  }

  @Test
  void anUnchangedStatusWritesNothingAndAMissingObjectIsReported() {
    MemberObjects objects = new MemberObjects("dc1");
    objects.apply(sts(1), (o, g) -> null);
    ObjectNode status = JsonNodeFactory.instance.objectNode().put("replicas", 1);
    KubeObject first = objects.updateStatus(STS, status).orElseThrow();
    KubeObject second = objects.updateStatus(STS, status).orElseThrow();
    assertThat(second.resourceVersion()).isEqualTo(first.resourceVersion());
    assertThat(
            objects.updateStatus(new ObjectRef("apps/v1", "StatefulSet", "default", "x"), status))
        .isEmpty();
  }
}
