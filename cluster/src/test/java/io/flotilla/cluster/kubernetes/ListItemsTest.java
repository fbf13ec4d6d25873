package io.flotilla.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.flotilla.api.KubeObject;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** List items as a real API server sends them, without apiVersion and kind, become objects. */
class ListItemsTest {
  @Test
  void listItemsWithoutApiVersionAndKindGetThoseOfTheList() {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    server
        .expect()
        .get()
        .withPath("/apis/apps/v1/namespaces/mw/statefulsets")
        .andReturn(
            200,
            """
            {"kind": "StatefulSetList", "apiVersion": "apps/v1", "metadata": {"resourceVersion": "9"},
             "items": [{"metadata": {"name": "zk", "namespace": "mw"}, "spec": {"replicas": 3}}]}
            """)
        .always();
    String kubeconfig = MockMember.kubeconfigFor("dc1", "http://127.0.0.1:" + server.getPort());
    try (KubernetesMember m =
        KubernetesMember.connect(
            "dc1",
            Kubeconfigs.fromBytes("test", kubeconfig.getBytes(StandardCharsets.UTF_8)),
            MockMembers.testOptions())) {

      List<KubeObject> items = m.list("apps/v1", "StatefulSet", "mw", Map.of());

      assertThat(items).hasSize(1);
      assertThat(items.get(0).apiVersion()).isEqualTo("apps/v1");
      assertThat(items.get(0).kind()).isEqualTo("StatefulSet");
      assertThat(items.get(0).at("/spec/replicas").intValue()).isEqualTo(3);
    } finally {
      server.destroy();
    }
  }
}
