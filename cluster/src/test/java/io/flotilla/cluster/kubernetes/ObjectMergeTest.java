package io.flotilla.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.KubeObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fallback apply's merge of the desired object over the live one. */
class ObjectMergeTest {
  private static final String LIVE =
      """
      {"apiVersion": "apps/v1", "kind": "StatefulSet",
       "metadata": {"name": "zk", "namespace": "mw", "resourceVersion": "7", "uid": "u-1",
                    "labels": {"app": "zk", "team": "storage"},
                    "annotations": {"deployment.kubernetes.io/revision": "3"}},
       "spec": {"replicas": 3, "serviceName": "zk", "template": {"spec": {"dnsPolicy": "ClusterFirst"}}},
       "status": {"readyReplicas": 3}}
      """;

  static Stream<Arguments> cases() {
    return Stream.of(
        row(
            "a desired spec replaces the live spec whole",
            """
            {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "zk", "namespace": "mw"},
             "spec": {"replicas": 5, "serviceName": "zk"}}
            """,
            """
            {"apiVersion": "apps/v1", "kind": "StatefulSet",
             "metadata": {"name": "zk", "namespace": "mw", "resourceVersion": "7", "uid": "u-1",
                          "labels": {"app": "zk", "team": "storage"},
                          "annotations": {"deployment.kubernetes.io/revision": "3"}},
             "spec": {"replicas": 5, "serviceName": "zk"},
             "status": {"readyReplicas": 3}}
            """),
        row(
            "desired labels and annotations are set over the live ones, others kept",
            """
            {"apiVersion": "apps/v1", "kind": "StatefulSet",
             "metadata": {"name": "zk", "namespace": "mw", "labels": {"app": "zookeeper", "flotilla.io/cluster": "dc1"},
                          "annotations": {"flotilla.io/template": "zk"}},
             "spec": {"replicas": 3, "serviceName": "zk", "template": {"spec": {"dnsPolicy": "ClusterFirst"}}}}
            """,
            """
            {"apiVersion": "apps/v1", "kind": "StatefulSet",
             "metadata": {"name": "zk", "namespace": "mw", "resourceVersion": "7", "uid": "u-1",
                          "labels": {"app": "zookeeper", "team": "storage", "flotilla.io/cluster": "dc1"},
                          "annotations": {"deployment.kubernetes.io/revision": "3", "flotilla.io/template": "zk"}},
             "spec": {"replicas": 3, "serviceName": "zk", "template": {"spec": {"dnsPolicy": "ClusterFirst"}}},
             "status": {"readyReplicas": 3}}
            """),
        row(
            "a desired status and server metadata are ignored",
            """
            {"apiVersion": "apps/v1", "kind": "StatefulSet",
             "metadata": {"name": "zk", "namespace": "mw", "resourceVersion": "1", "uid": "other"},
             "spec": {"replicas": 3, "serviceName": "zk", "template": {"spec": {"dnsPolicy": "ClusterFirst"}}},
             "status": {"readyReplicas": 0}}
            """,
            LIVE),
        row(
            "a top-level field only the live object has is kept",
            """
            {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "zk", "namespace": "mw"}}
            """,
            LIVE));
  }

  private static Arguments row(String name, String desired, String expected) {
    return Arguments.of(Named.of(name, desired), expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void merge(String desired, String expected) {
    KubeObject live = KubeObject.parse(LIVE);
    KubeObject want = ObjectMerge.forWrite(KubeObject.parse(desired));

    KubeObject merged = ObjectMerge.merge(live, want);

    assertThat(merged).isEqualTo(KubeObject.parse(expected));
    assertThat(ObjectMerge.sameContent(merged, live)).isEqualTo(merged.equals(live));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void mergingTwiceChangesNothingMore(String desired, String expected) {
    KubeObject want = ObjectMerge.forWrite(KubeObject.parse(desired));
    KubeObject once = ObjectMerge.merge(KubeObject.parse(LIVE), want);

    assertThat(ObjectMerge.sameContent(ObjectMerge.merge(once, want), once)).isTrue();
  }

  @org.junit.jupiter.api.Test
  void numbersCompareByValueWhateverTheirJavaType() {
    KubeObject asInt = KubeObject.create("v1", "X", "", "x").edit(n -> n.put("n", 3));
    KubeObject asLong = KubeObject.create("v1", "X", "", "x").edit(n -> n.put("n", 3L));

    assertThat(ObjectMerge.sameContent(asInt, asLong)).isTrue();
  }

  @org.junit.jupiter.api.Test
  void forWriteDropsStatusAndServerMetadataOnly() {
    KubeObject written = ObjectMerge.forWrite(KubeObject.parse(LIVE));

    assertThat(written.json().has("status")).isFalse();
    assertThat(written.resourceVersion()).isEmpty();
    assertThat(written.at("/metadata/uid").isMissingNode()).isTrue();
    assertThat(written.labels()).containsEntry("team", "storage");
    assertThat(written.at("/spec/replicas").intValue()).isEqualTo(3);
  }
}
