package io.flotilla.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flotilla.api.KubeObject;
import org.junit.jupiter.api.Test;

class Fabric8JsonTest {
  private final KubernetesSerialization json = new KubernetesSerialization();

  @Test
  void aResourceWithoutApiVersionAndKindGetsThoseAskedFor() {
    GenericKubernetesResource bare =
        json.unmarshal(
            "{\"metadata\":{\"name\":\"zk\",\"namespace\":\"mw\"},\"spec\":{\"replicas\":3}}",
            GenericKubernetesResource.class);

    KubeObject o = Fabric8Json.toKube(json, bare, "apps/v1", "StatefulSet");

    assertThat(o.ref().toString()).isEqualTo("StatefulSet mw/zk");
    assertThat(o.apiVersion()).isEqualTo("apps/v1");
  }

  @Test
  void aResourceKeepsItsOwnApiVersionAndKind() {
    KubeObject original =
        KubeObject.create("apps/v1", "StatefulSet", "mw", "zk").withLabel("app", "zk");

    KubeObject back =
        Fabric8Json.toKube(json, Fabric8Json.toGeneric(json, original), "v1", "Other");

    assertThat(back).isEqualTo(original);
  }
}
