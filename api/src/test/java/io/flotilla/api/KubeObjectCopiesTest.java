package io.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The copies a {@link KubeObject} makes: whole, without a field, metadata only, none. */
class KubeObjectCopiesTest {
  private static final KubeObject STS =
      KubeObject.parse(
          """
          {"apiVersion":"apps/v1","kind":"StatefulSet",
           "metadata":{"name":"zk","namespace":"ns","labels":{"a":"1"},"resourceVersion":"4"},
           "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"zk"}]}}}}""");

  @Test
  void editingTheMetadataChangesOnlyTheCopysMetadata() {
    KubeObject edited = STS.editMetadata(m -> m.put("resourceVersion", "5"));

    assertThat(edited.resourceVersion()).contains("5");
    assertThat(STS.resourceVersion()).as("the original is unchanged").contains("4");
    assertThat(edited.sameJsonBut(STS, java.util.Set.of("metadata"))).isTrue();
    assertThat(edited.labels()).isEqualTo(STS.labels());
  }

  @Test
  void aLabelOrAnnotationSetOnACopyLeavesTheOriginalAlone() {
    KubeObject labelled = STS.withLabel("b", "2").withAnnotation("c", "3");

    assertThat(labelled.labels()).containsEntry("a", "1").containsEntry("b", "2");
    assertThat(labelled.annotations()).containsEntry("c", "3");
    assertThat(STS.labels()).containsOnlyKeys("a");
    assertThat(STS.annotations()).isEmpty();
  }

  @Test
  void editingTheMetadataCannotTakeTheNameAway() {
    assertThatThrownBy(() -> STS.editMetadata(m -> m.remove("name")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata.name");
  }

  @Test
  void withoutAFieldCopiesTheOthersAndLeavesTheOriginalWhole() {
    KubeObject header = STS.without("spec");

    assertThat(header.has("spec")).isFalse();
    assertThat(header.labels()).isEqualTo(STS.labels());
    assertThat(STS.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThatThrownBy(() -> STS.without("metadata"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata.name");
  }

  @Test
  void anOwnedTreeBecomesTheObjectAsItIsAndAMalformedOneIsRefused() {
    ObjectNode tree = STS.json();

    assertThat(KubeObject.ofOwned(tree)).isEqualTo(STS);
    assertThatThrownBy(() -> KubeObject.ofOwned(JsonNodeFactory.instance.arrayNode()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> KubeObject.ofOwned(JsonNodeFactory.instance.objectNode()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kind and metadata.name");
  }
}
