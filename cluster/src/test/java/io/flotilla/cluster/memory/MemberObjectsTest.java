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

  @Test
  void anApplyThatChangesNothingWritesNothing() {
    MemberObjects objects = new MemberObjects("dc1");
    KubeObject first = objects.apply(sts(2), (o, g) -> null);
    KubeObject again = objects.apply(sts(2), (o, g) -> null);
    assertThat(again.resourceVersion()).isEqualTo(first.resourceVersion());
    assertThat(again.generation()).isEqualTo(1);
    KubeObject changed = objects.apply(sts(3), (o, g) -> null);
    assertThat(changed.resourceVersion()).isNotEqualTo(first.resourceVersion());
    assertThat(changed.generation()).isEqualTo(2);
  }

  @Test
  void heldCountsTheObjectsAndTheBytesOfTheirPackedJson() {
    MemberObjects objects = new MemberObjects("dc1");
    assertThat(objects.held()).isEqualTo(new MemberObjects.Held(0, 0));
    KubeObject a = objects.apply(sts(1), (o, g) -> null);
    KubeObject b =
        objects.apply(
            KubeObject.create("v1", "ConfigMap", "default", "zk-config")
                .edit(o -> o.putObject("data").put("k", "v")),
            (o, g) -> null);
    assertThat(objects.held())
        .isEqualTo(new MemberObjects.Held(2, a.pack().size() + b.pack().size()));
    objects.delete(STS);
    assertThat(objects.held()).isEqualTo(new MemberObjects.Held(1, b.pack().size()));
  }
}
