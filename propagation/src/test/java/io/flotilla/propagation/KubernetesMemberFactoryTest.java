package io.flotilla.propagation;

import static io.flotilla.propagation.EngineFixture.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flotilla.api.ClusterAccess;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.testing.MockMembers;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reaching a member from its MemberCluster's access: kubeconfigs in Secrets. */
class KubernetesMemberFactoryTest {
  @RegisterExtension static final MockMembers MEMBERS = MockMembers.start("dc1");

  private final InMemoryObjectStore store = new InMemoryObjectStore(Clock.systemUTC());
  private final KubernetesMemberFactory factory =
      new KubernetesMemberFactory(store, MockMembers.testOptions());

  private MemberException fails(ClusterAccess access) {
    MemberException e =
        catchThrowableOfType(MemberException.class, () -> factory.connect("dc1", access));
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(FailureReason.INVALID_CONFIG);
    return e;
  }

  @Test
  void readsABase64KubeconfigFromSecretData() {
    String encoded =
        Base64.getEncoder()
            .encodeToString(MEMBERS.get("dc1").kubeconfig().getBytes(StandardCharsets.UTF_8));
    store.create(
        yaml(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: k, namespace: ops}\ndata: {kubeconfig: "
                + encoded
                + "}\n"));
    try (Member m =
        factory.connect("dc1", new ClusterAccess.KubeconfigSecret("ops", "k", "kubeconfig"))) {
      assertThat(m.probe(java.time.Duration.ofSeconds(5)).ok()).isTrue();
    }
  }

  @Test
  void aLocalClusterOfTheSandboxIsRefusedWithTheReason() {
    assertThat(fails(new ClusterAccess.Local()).getMessage())
        .isEqualTo(
            "member cluster dc1 is a local cluster of the sandbox: only flotilla sandbox can reach"
                + " it");
  }

  @Test
  void aMissingSecretIsNamed() {
    assertThat(fails(new ClusterAccess.KubeconfigSecret("ops", "nope", "kubeconfig")).getMessage())
        .isEqualTo("member cluster dc1: Secret ops/nope key kubeconfig does not exist");
  }

  @Test
  void aMissingKeyIsNamed() {
    store.create(
        yaml(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: k2, namespace: ops}\ndata: {other: eA==}\n"));
    assertThat(fails(new ClusterAccess.KubeconfigSecret("ops", "k2", "kubeconfig")).getMessage())
        .isEqualTo(
            "member cluster dc1: Secret ops/k2 key kubeconfig has no such key in data or stringData");
  }

  @Test
  void dataThatIsNotBase64IsRefusedWithoutShowingIt() {
    store.create(
        yaml(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: k3, namespace: ops}\ndata: {kubeconfig: \"not base64!\"}\n"));
    MemberException e = fails(new ClusterAccess.KubeconfigSecret("ops", "k3", "kubeconfig"));
    assertThat(e.getMessage()).contains("is not valid base64").doesNotContain("not base64!");
  }
}
