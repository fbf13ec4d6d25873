package io.flotilla.api.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.ClusterAccess;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.Problem;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** spec.access: how the control plane reaches a member cluster. */
class ClusterAccessTest {
  private static Decoded<MemberCluster> read(String access) {
    String yaml =
        "apiVersion: flotilla.io/v1alpha1\nkind: MemberCluster\nmetadata: {name: dc1}\nspec:\n"
            + "  access: "
            + access
            + "\n";
    return MemberClusterReader.read(ManifestReader.read("c.yaml", yaml).get(0));
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "a Secret with defaults for namespace and key",
                "{kubeconfigSecret: {name: dc1-kube}}"),
            new ClusterAccess.KubeconfigSecret("flotilla-system", "dc1-kube", "kubeconfig")),
        Arguments.of(
            Named.of(
                "a Secret with namespace and key",
                "{kubeconfigSecret: {namespace: ops, name: dc1-kube, key: config}}"),
            new ClusterAccess.KubeconfigSecret("ops", "dc1-kube", "config")),
        Arguments.of(
            Named.of("a kubeconfig file", "{kubeconfigFile: {path: /etc/flotilla/dc1.yaml}}"),
            new ClusterAccess.KubeconfigFile("/etc/flotilla/dc1.yaml")),
        Arguments.of(
            Named.of("a local cluster of the sandbox", "{local: {}}"), new ClusterAccess.Local()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void readsTheAccess(String access, ClusterAccess expected) {
    Decoded<MemberCluster> d = read(access);
    assertThat(d.problems()).isEmpty();
    assertThat(d.value().orElseThrow().spec().access()).isEqualTo(Optional.of(expected));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            Named.of("neither way", "{}"),
            "spec.access",
            "must give exactly one of kubeconfigSecret, kubeconfigFile or local"),
        Arguments.of(
            Named.of("both ways", "{kubeconfigSecret: {name: a}, kubeconfigFile: {path: /x}}"),
            "spec.access",
            "must give exactly one"),
        Arguments.of(
            Named.of("a Secret without a name", "{kubeconfigSecret: {}}"),
            "spec.access.kubeconfigSecret.name",
            "required"),
        Arguments.of(
            Named.of("a local cluster and a file", "{local: {}, kubeconfigFile: {path: /x}}"),
            "spec.access",
            "must give exactly one of kubeconfigSecret, kubeconfigFile or local"),
        Arguments.of(
            Named.of("a local cluster with fields", "{local: {port: 1}}"),
            "spec.access.local.port",
            "unknown field"),
        Arguments.of(
            Named.of("a file without a path", "{kubeconfigFile: {}}"),
            "spec.access.kubeconfigFile.path",
            "required"),
        Arguments.of(
            Named.of("an empty key", "{kubeconfigSecret: {name: a, key: \"\"}}"),
            "spec.access.kubeconfigSecret.key",
            "must not be empty"),
        Arguments.of(
            Named.of("an unknown way", "{token: abc}"), "spec.access.token", "unknown field"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesBadAccess(String access, String path, String message) {
    List<Problem> problems = read(access).problems();
    assertThat(problems)
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.message()).contains(message);
            });
  }
}
