package io.flotilla.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.Resources;
import io.flotilla.cluster.PodStatus;
import io.flotilla.cluster.ResourceUsage;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Member.pods and Member.resources against a fabric8 mock API server. */
class PodsAndResourcesTest {
  @RegisterExtension static final MockMembers MEMBERS = MockMembers.start("dc1");

  private static MockMember dc1() {
    return MEMBERS.get("dc1");
  }

  @Test
  void podsReportPhaseReadinessAddressAndHostname() {
    dc1().pod("mw", "zk-0").label("app", "zk").ip("10.1.0.7").hostname("zk-0").create();
    dc1().pod("mw", "zk-1").label("app", "zk").phase("Pending").notReady().create();
    dc1().pod("mw", "redis-0").label("app", "redis").ip("10.1.0.9").create();
    dc1().pod("other", "zk-9").label("app", "zk").create();

    List<PodStatus> pods = dc1().member().pods("mw", Map.of("app", "zk"));

    assertThat(pods)
        .containsExactly(
            new PodStatus("mw", "zk-0", "Running", true, "10.1.0.7", "zk-0", Map.of("app", "zk")),
            new PodStatus("mw", "zk-1", "Pending", false, "", "zk-1", Map.of("app", "zk")));
  }

  @Test
  void podsInEveryNamespaceWhenTheNamespaceIsEmpty() {
    dc1().pod("a", "p").label("app", "zk").create();
    dc1().pod("b", "p").label("app", "zk").create();

    assertThat(dc1().member().pods("", Map.of("app", "zk")))
        .extracting(PodStatus::namespace)
        .containsExactly("a", "b");
  }

  @Test
  void resourcesSumReadyNodesAndTheRequestsOfPodsThatAreNotTerminated() {
    dc1().readyNode("n1", "4", "16Gi");
    dc1().readyNode("n2", "3500m", "8Gi");
    dc1().notReadyNode("n3", "64", "256Gi");
    dc1().pod("mw", "a").container("500m", "1Gi").create();
    dc1().pod("mw", "b").container("1.5", "512Mi").phase("Pending").create();
    dc1().pod("mw", "done").container("8", "8Gi").phase("Succeeded").create();
    dc1().pod("mw", "failed").container("8", "8Gi").phase("Failed").create();

    ResourceUsage usage = dc1().member().resources();

    assertThat(usage.allocatable()).isEqualTo(new Resources(7_500, 24L << 30));
    assertThat(usage.allocated()).isEqualTo(new Resources(2_000, 1536L << 20));
  }

  @Test
  void initContainersCountAsKubernetesCountsThem() {
    dc1().readyNode("n1", "8", "32Gi");
    dc1().pod("mw", "with-init").container("500m", "256Mi").initContainer("2", "128Mi").create();

    assertThat(dc1().member().resources().allocated()).isEqualTo(new Resources(2_000, 256L << 20));
  }

  @Test
  void aClusterWithoutNodesHasNothingAllocatable() {
    assertThat(dc1().member().resources())
        .isEqualTo(new ResourceUsage(Resources.ZERO, Resources.ZERO));
  }
}
