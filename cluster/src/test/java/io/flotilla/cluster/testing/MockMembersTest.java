package io.flotilla.cluster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.KubeObject;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.kubernetes.Kubeconfig;
import io.flotilla.cluster.kubernetes.Kubeconfigs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test fixture itself: one server per member, outages, restarts with and without data. */
class MockMembersTest {
  private static KubeObject cm(String name) {
    return KubeObject.create("v1", "ConfigMap", "mw", name)
        .edit(n -> n.putObject("data").put("k", name));
  }

  @Test
  void eachMemberHasItsOwnServerAndAKubeconfigPointingAtIt() {
    try (MockMembers members = MockMembers.start("dc1", "dc2", "dc3")) {
      members.get("dc1").member().apply(cm("only-in-dc1"));

      assertThat(members.all()).extracting(MockMember::name).containsExactly("dc1", "dc2", "dc3");
      assertThat(members.all()).extracting(MockMember::port).doesNotHaveDuplicates();
      for (MockMember m : members.all()) {
        Kubeconfig k =
            Kubeconfigs.fromBytes(m.name(), m.kubeconfig().getBytes(StandardCharsets.UTF_8));
        assertThat(k.server()).isEqualTo(m.url());
        assertThat(m.member().name()).isEqualTo(m.name());
      }
      assertThat(members.get("dc1").member().get(cm("only-in-dc1").ref())).isPresent();
      assertThat(members.get("dc2").member().get(cm("only-in-dc1").ref())).isEmpty();
      assertThat(members.members()).hasSize(3);
    }
  }

  @Test
  void aStoppedMemberRefusesAndARestartKeepsItsDataWhenAskedTo() {
    try (MockMembers members = MockMembers.start("dc1")) {
      MockMember dc1 = members.get("dc1");
      KubeObject stored = dc1.member().apply(cm("a"));

      dc1.stop();
      assertThat(dc1.running()).isFalse();
      assertThatThrownBy(() -> dc1.member().get(stored.ref()))
          .isInstanceOfSatisfying(
              MemberException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.REFUSED));
      assertThat(dc1.member().probe(Duration.ofSeconds(1)).failure())
          .contains(FailureReason.REFUSED);

      dc1.start(MockMember.Data.KEPT);
      assertThat(dc1.member().get(stored.ref())).contains(stored);
      assertThat(dc1.member().probe(Duration.ofSeconds(1)).ok()).isTrue();
    }
  }

  @Test
  void aRestartWithDataLostComesBackEmptyOnTheSamePort() {
    try (MockMembers members = MockMembers.start("dc1")) {
      MockMember dc1 = members.get("dc1");
      int port = dc1.port();
      dc1.member().apply(cm("a"));

      dc1.restart(MockMember.Data.LOST);

      assertThat(dc1.port()).isEqualTo(port);
      assertThat(dc1.member().list("v1", "ConfigMap", "mw", java.util.Map.of())).isEmpty();
      assertThat(dc1.member().apply(cm("b")).name()).isEqualTo("b");
    }
  }

  @Test
  void aCleanSlateRestartsStoppedMembersAndDeletesEveryObject() {
    try (MockMembers members = MockMembers.start("dc1", "dc2")) {
      members.get("dc1").member().apply(cm("a"));
      members.get("dc2").stop();

      members.beforeEach(null);

      assertThat(members.get("dc2").running()).isTrue();
      for (var m : members.members()) {
        assertThat(m.list("v1", "ConfigMap", "", java.util.Map.of())).isEmpty();
      }
    }
  }

  @Test
  void nodesAndPodsAreCreatedAsSomeoneElseWould() {
    try (MockMembers members = MockMembers.start("dc1")) {
      MockMember dc1 = members.get("dc1");

      KubeObject node = dc1.readyNode("n1", "4", "16Gi");
      KubeObject pod =
          dc1.pod("mw", "zk-0")
              .label("app", "zk")
              .ip("10.0.0.5")
              .container("1", "1Gi")
              .sidecar("100m", "64Mi")
              .create();

      assertThat(node.at("/status/allocatable/cpu").stringValue()).isEqualTo("4");
      assertThat(pod.at("/spec/initContainers/0/restartPolicy").stringValue()).isEqualTo("Always");
      assertThat(dc1.member().pods("mw", java.util.Map.of("app", "zk")))
          .extracting(p -> p.ip())
          .isEqualTo(List.of("10.0.0.5"));
    }
  }

  @Test
  void aMemberCannotBeNamedTwice() {
    assertThatThrownBy(() -> MockMembers.start("dc1", "dc1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("member dc1 named twice");
  }

  @Test
  void aMutableClockMovesOnlyWhenTold() {
    MutableClock clock = MutableClock.atNoon();
    var start = clock.instant();

    clock.advance(Duration.ofSeconds(3));

    assertThat(clock.instant()).isEqualTo(start.plusSeconds(3));
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
