package io.flotilla.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.flotilla.api.KubeObject;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a server that supports server-side apply (a mock answering the apply patch as a real API
 * server would), apply sends one apply patch as field manager flotilla, conflicts forced, and
 * nothing else.
 */
class ServerSideApplyTest {
  private static final String PATH =
      "/apis/apps/v1/namespaces/mw/statefulsets/zk?fieldManager=flotilla&force=true";

  private static final String STORED =
      """
      {"apiVersion": "apps/v1", "kind": "StatefulSet",
       "metadata": {"name": "zk", "namespace": "mw", "resourceVersion": "42", "uid": "u-1",
                    "labels": {"app": "zk", "team": "storage"}},
       "spec": {"replicas": 3, "serviceName": "zk"},
       "status": {"readyReplicas": 3}}
      """;

  private KubernetesMockServer server;
  private KubernetesMember member;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    server.expect().patch().withPath(PATH).andReturn(200, STORED).always();
    String kubeconfig = MockMember.kubeconfigFor("dc1", "http://127.0.0.1:" + server.getPort());
    member =
        KubernetesMember.connect(
            "dc1",
            Kubeconfigs.fromBytes("test", kubeconfig.getBytes(StandardCharsets.UTF_8)),
            MockMembers.testOptions());
  }

  @AfterEach
  void stop() {
    member.close();
    server.destroy();
  }

  private List<RecordedRequest> requests() throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    for (var r = server.takeRequest(1, TimeUnit.SECONDS);
        r != null;
        r = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
      out.add(r);
    }
    return out;
  }

  @Test
  void applySendsOneApplyPatchWithoutStatusOrServerFieldsAndReturnsTheStoredObject()
      throws Exception {
    KubeObject desired =
        KubeObject.parse(
            """
            {"apiVersion": "apps/v1", "kind": "StatefulSet",
             "metadata": {"name": "zk", "namespace": "mw", "resourceVersion": "7", "uid": "stale",
                          "labels": {"app": "zk"}},
             "spec": {"replicas": 3, "serviceName": "zk"},
             "status": {"readyReplicas": 0}}
            """);

    KubeObject stored = member.apply(desired);
    KubeObject again = member.apply(desired);

    assertThat(stored).isEqualTo(KubeObject.parse(STORED));
    assertThat(again).isEqualTo(stored);
    List<RecordedRequest> requests = requests();
    assertThat(requests).extracting(RecordedRequest::getMethod).containsExactly("PATCH", "PATCH");
    RecordedRequest patch = requests.get(0);
    assertThat(patch.getPath()).isEqualTo(PATH);
    assertThat(patch.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
    KubeObject sent = KubeObject.parse(patch.getBody().readUtf8());
    assertThat(sent)
        .isEqualTo(
            KubeObject.parse(
                """
                {"apiVersion": "apps/v1", "kind": "StatefulSet",
                 "metadata": {"name": "zk", "namespace": "mw", "labels": {"app": "zk"}},
                 "spec": {"replicas": 3, "serviceName": "zk"}}
                """));
  }
}
