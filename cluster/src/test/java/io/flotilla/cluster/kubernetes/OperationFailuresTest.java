package io.flotilla.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.WatchHandler;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every operation's failure is a MemberException naming the cluster, the object and the reason. */
class OperationFailuresTest {
  @RegisterExtension static final MockMembers MEMBERS = MockMembers.start("dc1");

  private static final KubeObject CM =
      KubeObject.create("v1", "ConfigMap", "default", "x")
          .edit(n -> n.putObject("data").put("k", "v"));

  private static final WatchHandler IGNORE =
      new WatchHandler() {
        @Override
        public void onChange(Change change, KubeObject object) {}

        @Override
        public void onFailure(MemberException cause) {}
      };

  static Stream<Arguments> operations() {
    return Stream.of(
        op("apply", m -> m.apply(CM), "apply ConfigMap default/x"),
        op("get", m -> m.get(CM.ref()), "get ConfigMap default/x"),
        op(
            "delete",
            m -> m.delete(new ObjectRef("v1", "ConfigMap", "default", "x")),
            "delete ConfigMap default/x"),
        op(
            "list",
            m -> m.list("v1", "ConfigMap", "mw", Map.of("app", "zk")),
            "list ConfigMap in namespace mw with labels {app=zk}"),
        op("pods", m -> m.pods("", Map.of()), "list pods in every namespace"),
        op("resources", Member::resources, "read nodes and pods"),
        op(
            "watch",
            m -> m.watch("v1", "ConfigMap", "mw", Map.of(), IGNORE).close(),
            "watch ConfigMap in namespace mw"));
  }

  private static Arguments op(String name, Consumer<Member> call, String action) {
    return Arguments.of(named(name, call), action);
  }

  @ParameterizedTest(name = "{0} on a member that is down is refused")
  @MethodSource("operations")
  void aMemberThatIsDownRefusesEveryOperation(Consumer<Member> call, String action) {
    MockMember dc1 = MEMBERS.get("dc1");
    dc1.stop();

    assertThatThrownBy(() -> call.accept(dc1.member()))
        .isInstanceOfSatisfying(
            MemberException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.REFUSED);
              assertThat(e.getMessage())
                  .startsWith("member cluster dc1: " + action + ": ")
                  .contains("connection refused");
            });
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        Arguments.of(401, FailureReason.UNAUTHORIZED),
        Arguments.of(403, FailureReason.UNAUTHORIZED),
        Arguments.of(400, FailureReason.REJECTED),
        Arguments.of(422, FailureReason.REJECTED),
        Arguments.of(500, FailureReason.ERROR),
        Arguments.of(503, FailureReason.ERROR),
        Arguments.of(504, FailureReason.TIMEOUT));
  }

  @ParameterizedTest(name = "an apply answered {0} is {1}")
  @MethodSource("answers")
  void anApplyAnsweredWithAnErrorIsClassified(int code, FailureReason reason) {
    KubernetesMockServer server =
        TestServers.answering(
            "PATCH",
            "/api/v1/namespaces/default/configmaps/x?fieldManager=flotilla&force=true",
            code);
    String kubeconfig = MockMember.kubeconfigFor("dc7", "http://127.0.0.1:" + server.getPort());
    try (KubernetesMember m =
        KubernetesMember.connect(
            "dc7",
            Kubeconfigs.fromBytes("test", kubeconfig.getBytes(StandardCharsets.UTF_8)),
            MockMembers.testOptions())) {

      assertThatThrownBy(() -> m.apply(CM))
          .isInstanceOfSatisfying(
              MemberException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(reason);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "member cluster dc7: apply ConfigMap default/x: HTTP "
                            + code
                            + ": answer "
                            + code
                            + " from the test server");
              });
    } finally {
      server.destroy();
    }
  }

  @Test
  void anApplyIntoAMissingNamespaceIsRejectedAndServerSideApplyIsNotGivenUp() throws Exception {
    String object = "/api/v1/namespaces/gone/configmaps/x";
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    String notFound =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404,"
            + "\"reason\":\"NotFound\",\"message\":\"namespaces \\\"gone\\\" not found\"}";
    server
        .expect()
        .patch()
        .withPath(object + "?fieldManager=flotilla&force=true")
        .andReturn(404, notFound)
        .always();
    server.expect().get().withPath(object).andReturn(404, notFound).always();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/gone/configmaps")
        .andReturn(404, notFound)
        .always();
    String kubeconfig = MockMember.kubeconfigFor("dc7", "http://127.0.0.1:" + server.getPort());
    KubeObject inGone = KubeObject.create("v1", "ConfigMap", "gone", "x");
    try (KubernetesMember m =
        KubernetesMember.connect(
            "dc7",
            Kubeconfigs.fromBytes("test", kubeconfig.getBytes(StandardCharsets.UTF_8)),
            MockMembers.testOptions())) {

      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> m.apply(inGone))
            .isInstanceOfSatisfying(
                MemberException.class,
                e -> {
                  assertThat(e.reason()).isEqualTo(FailureReason.REJECTED);
                  assertThat(e.getMessage())
                      .isEqualTo(
                          "member cluster dc7: apply ConfigMap gone/x: HTTP 404: namespaces \"gone\" not found");
                });
      }

      List<String> methods = new ArrayList<>();
      for (var r = server.takeRequest(1, TimeUnit.SECONDS);
          r != null;
          r = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
        methods.add(r.getMethod());
      }
      assertThat(methods).containsExactly("PATCH", "GET", "POST", "PATCH", "GET", "POST");
    } finally {
      server.destroy();
    }
  }
}
