package io.flotilla.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.WatchHandler;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Member.watch against a fabric8 mock API server. */
@SuppressWarnings("try") // watches opened only to be closed at the end of a block
class WatchTest {
  @RegisterExtension static final MockMembers MEMBERS = MockMembers.start("dc1");

  private static MockMember dc1() {
    return MEMBERS.get("dc1");
  }

  /** Records what a watch hands over, and on which threads. */
  static final class Recorder implements WatchHandler {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<MemberException> failures = new CopyOnWriteArrayList<>();

    @Override
    public void onChange(Change change, KubeObject object) {
      events.add(change + " " + object.name() + " " + object.at("/data/v").asString(""));
      threads.add(Thread.currentThread().getName());
    }

    @Override
    public void onFailure(MemberException cause) {
      failures.add(cause);
    }
  }

  private static KubeObject cm(String name, String value, String app) {
    return KubeObject.create("v1", "ConfigMap", "mw", name)
        .withLabel("app", app)
        .edit(n -> n.putObject("data").put("v", value));
  }

  @Test
  void currentObjectsComeFirstAsAddedThenEveryChangeInOrder() {
    dc1().member().apply(cm("b", "1", "zk"));
    dc1().member().apply(cm("a", "1", "zk"));
    dc1().member().apply(cm("other", "1", "redis"));
    Recorder r = new Recorder();

    try (MemberWatch w = dc1().member().watch("v1", "ConfigMap", "mw", Map.of("app", "zk"), r)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> r.events.size() >= 2);
      dc1().member().apply(cm("a", "2", "zk"));
      dc1().member().apply(cm("c", "1", "zk"));
      dc1().member().apply(cm("other", "2", "redis"));
      dc1().member().delete(new ObjectRef("v1", "ConfigMap", "mw", "b"));
      dc1().member().apply(cm("a", "3", "zk"));

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(r.events)
                      .containsExactly(
                          "ADDED a 1",
                          "ADDED b 1",
                          "MODIFIED a 2",
                          "ADDED c 1",
                          "DELETED b 1",
                          "MODIFIED a 3"));
    }
    assertThat(r.threads).hasSize(6).allMatch(t -> t.equals(r.threads.get(0)));
    assertThat(r.failures).isEmpty();
  }

  @Test
  void closingAWatchStopsItsEventsWithoutTellingOfAFailure() {
    Recorder r = new Recorder();
    MemberWatch w = dc1().member().watch("v1", "ConfigMap", "mw", Map.of("app", "zk"), r);
    dc1().member().apply(cm("a", "1", "zk"));
    await().atMost(Duration.ofSeconds(5)).until(() -> r.events.size() == 1);

    w.close();
    dc1().member().apply(cm("a", "2", "zk"));
    dc1().member().apply(cm("b", "1", "zk"));
    // a sentinel watch opened after the changes sees them; the closed one must not have
    Recorder sentinel = new Recorder();
    try (MemberWatch s =
        dc1().member().watch("v1", "ConfigMap", "mw", Map.of("app", "zk"), sentinel)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> sentinel.events.size() == 2);
    }

    assertThat(r.events).containsExactly("ADDED a 1");
    assertThat(r.failures).isEmpty();
  }

  @Test
  void aMemberThatGoesAwayEndsTheWatchWithAFailureNamingTheCluster() {
    Recorder r = new Recorder();
    List<String> before = new ArrayList<>();
    try (MemberWatch w = dc1().member().watch("v1", "ConfigMap", "mw", Map.of(), r)) {
      dc1().member().apply(cm("a", "1", "zk"));
      await().atMost(Duration.ofSeconds(5)).until(() -> r.events.size() == 1);
      before.addAll(r.events);

      dc1().stop();

      await().atMost(Duration.ofSeconds(10)).until(() -> !r.failures.isEmpty());
    }
    MemberException failure = r.failures.get(0);
    assertThat(failure.reason()).isEqualTo(FailureReason.REFUSED);
    assertThat(failure.getMessage())
        .startsWith("member cluster dc1: watch ConfigMap in namespace mw: ")
        .endsWith("; health probe failed: connection refused or unreachable");
    assertThat(r.failures).hasSize(1);
    assertThat(r.events).isEqualTo(before);
  }
}
