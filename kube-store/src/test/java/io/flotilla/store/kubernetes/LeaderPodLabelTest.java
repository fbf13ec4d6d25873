package io.flotilla.store.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The leader's pod labelled for the Service, on fabric8's mock API server (CRUD mode). */
class LeaderPodLabelTest {
  private static final String NS = "flotilla-system";
  private final MockApiServer server = new MockApiServer();
  private final List<LeaderPodLabel> replicas = new CopyOnWriteArrayList<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    replicas.forEach(LeaderPodLabel::close);
    server.close();
  }

  /** A pod of the control plane whose label says it leads. */
  private void podSayingItLeads(String pod) {
    server
        .client()
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(pod)
                .withNamespace(NS)
                .withLabels(Map.of("app", "flotilla", LeaderPodLabel.LABEL, "true"))
                .endMetadata()
                .build())
        .create();
  }

  private LeaderPodLabel replica(String pod) {
    // a pod created from a template that says it leads must not be believed
    podSayingItLeads(pod);
    LeaderPodLabel r =
        new LeaderPodLabel(
            new KubernetesLeaderElection(
                server.client(),
                NS,
                "flotilla-controller",
                pod,
                LeaseTimings.DEFAULT,
                Clock.systemUTC()),
            server.client(),
            NS,
            pod);
    replicas.add(r);
    return r;
  }

  private String label(String pod) {
    Pod p = server.client().pods().inNamespace(NS).withName(pod).get();
    return p.getMetadata().getLabels().get(LeaderPodLabel.LABEL);
  }

  @Test
  void theLeadersPodIsLabelledTrueTheStandbysFalseAndTheLabelFollowsTheLead() {
    LeaderPodLabel a = replica("flotilla-a");
    a.start(() -> calls.add("a leads"), () -> calls.add("a lost"));
    await().atMost(Duration.ofSeconds(10)).until(() -> "true".equals(label("flotilla-a")));
    assertThat(calls).containsExactly("a leads");

    LeaderPodLabel b = replica("flotilla-b");
    b.start(() -> calls.add("b leads"), () -> calls.add("b lost"));
    await().atMost(Duration.ofSeconds(10)).until(() -> "false".equals(label("flotilla-b")));
    assertThat(b.isLeader()).isFalse();
    assertThat(label("flotilla-a")).isEqualTo("true");
    assertThat(server.client().pods().inNamespace(NS).withName("flotilla-a").get())
        .extracting(p -> p.getMetadata().getLabels().get("app"))
        .as("the other labels stay")
        .isEqualTo("flotilla");

    a.close();
    assertThat(label("flotilla-a"))
        .as("labelled a standby before close returns")
        .isEqualTo("false");
    await().atMost(Duration.ofSeconds(15)).until(() -> "true".equals(label("flotilla-b")));
    assertThat(calls).containsExactly("a leads", "a lost", "b leads");
  }

  @Test
  void aNewLeaderTakesTheLabelFromAReplicaThatLostTheLeadWithoutTakingItDown() {
    // a replica cut off from the API server: its pod still says it leads, and nothing of it runs
    podSayingItLeads("flotilla-cut-off");
    LeaderPodLabel a = replica("flotilla-a");
    a.start(() -> calls.add("a leads"), () -> calls.add("a lost"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> "true".equals(label("flotilla-a")) && "false".equals(label("flotilla-cut-off")));
    assertThat(server.client().pods().inNamespace(NS).withName("flotilla-cut-off").get())
        .extracting(p -> p.getMetadata().getLabels().get("app"))
        .as("the other labels stay")
        .isEqualTo("flotilla");
  }

  @Test
  void aMissingPodIsLoggedNotFatalAndTheElectionGoesOn() {
    LeaderPodLabel ghost =
        new LeaderPodLabel(
            new KubernetesLeaderElection(
                server.client(),
                NS,
                "flotilla-controller",
                "ghost",
                LeaseTimings.DEFAULT,
                Clock.systemUTC()),
            server.client(),
            NS,
            "ghost");
    replicas.add(ghost);
    ghost.start(() -> calls.add("ghost leads"), () -> calls.add("ghost lost"));
    await().atMost(Duration.ofSeconds(10)).until(ghost::isLeader);
    assertThat(calls).containsExactly("ghost leads");
    assertThat(ghost.identity()).isEqualTo("ghost");
  }
}
