package io.flotilla.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The binding object: round trip, aggregate conditions, and when their times move. */
class ResourceBindingTest {
  private static final ObjectRef ZK = new ObjectRef("apps/v1", "StatefulSet", "db", "zk");
  private static final Instant T1 = Instant.parse("2026-11-26T12:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-26T12:05:00Z");

  private static ClusterRow ready(String cluster) {
    return new ClusterRow(cluster, true, 3, Optional.of(2), Optional.of(2), true, "");
  }

  @Test
  void isNamedAsKarmadaNamesItAndReadsBackAsWritten() {
    ResourceBinding b =
        new ResourceBinding(
            ZK,
            "db/zk",
            List.of("dc2", "dc1"),
            List.of("dc3"),
            List.of(ready("dc2"), ClusterRow.failed("dc1", 0, "timeout")));
    KubeObject o = b.toObject(T1, Optional.empty());
    assertThat(o.ref())
        .isEqualTo(
            new ObjectRef("flotilla.io/v1alpha1", "ResourceBinding", "db", "zk-statefulset"));
    ResourceBinding back = ResourceBinding.fromObject(o);
    assertThat(back).isEqualTo(b);
    assertThat(back.clusters()).containsExactly("dc1", "dc2");
    assertThat(back.rows()).extracting(ClusterRow::cluster).containsExactly("dc1", "dc2");
  }

  @Test
  void aggregatesAreTrueOnlyWhenEveryClusterIs() {
    ResourceBinding all =
        new ResourceBinding(
            ZK, "db/zk", List.of("dc1", "dc2"), List.of(), List.of(ready("dc1"), ready("dc2")));
    ResourceBinding missing =
        new ResourceBinding(ZK, "db/zk", List.of("dc1", "dc2"), List.of(), List.of(ready("dc1")));
    ResourceBinding failing =
        new ResourceBinding(
            ZK,
            "db/zk",
            List.of("dc1", "dc2"),
            List.of(),
            List.of(ready("dc1"), ClusterRow.failed("dc2", 0, "refused")));
    assertThat(all.allApplied()).isTrue();
    assertThat(all.allReady()).isTrue();
    assertThat(missing.allApplied()).isFalse();
    assertThat(failing.allApplied()).isFalse();
    assertThat(
            failing.toObject(T1, Optional.empty()).at("/status/conditions/0/message").asString(""))
        .isEqualTo("not applied to dc2 (refused)");
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItsStatusStaysTheSame() {
    ResourceBinding b =
        new ResourceBinding(ZK, "db/zk", List.of("dc1"), List.of(), List.of(ready("dc1")));
    KubeObject first = b.toObject(T1, Optional.empty());
    KubeObject again = b.toObject(T2, Optional.of(first));
    assertThat(again).isEqualTo(first);
    ResourceBinding broken =
        new ResourceBinding(
            ZK, "db/zk", List.of("dc1"), List.of(), List.of(ClusterRow.failed("dc1", 0, "x")));
    KubeObject changed = broken.toObject(T2, Optional.of(first));
    assertThat(changed.at("/status/conditions/0/lastTransitionTime").asString(""))
        .isEqualTo(T2.toString());
  }
}
