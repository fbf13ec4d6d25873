package io.flotilla.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.flotilla.api.KubeObject;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.WatchHandler;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Whatever is logged, at any level, by Flotilla or fabric8, never holds the member's token. */
@SuppressWarnings("try") // a watch opened only to be closed at the end of its block
class NoSecretsInLogsTest {
  @RegisterExtension static final MockMembers MEMBERS = MockMembers.start("dc1");

  private static final String TOKEN = "tok-s3cr3t-0123456789";

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Level level;

  @BeforeEach
  void capture() {
    level = root.getLevel();
    root.setLevel(Level.TRACE);
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void release() {
    root.detachAppender(logs);
    root.setLevel(level);
  }

  @Test
  void connectingApplyingWatchingProbingAndFailingLogNoToken() {
    MockMember dc1 = MEMBERS.get("dc1");
    String kubeconfig = dc1.kubeconfig().replace("mock-token-dc1", TOKEN);
    try (KubernetesMember m =
        KubernetesMember.connect(
            "dc1",
            Kubeconfigs.fromBytes("test", kubeconfig.getBytes(StandardCharsets.UTF_8)),
            MockMembers.testOptions())) {
      m.apply(KubeObject.create("v1", "ConfigMap", "mw", "x"));
      try (MemberWatch w =
          m.watch(
              "v1",
              "ConfigMap",
              "mw",
              Map.of(),
              new WatchHandler() {
                @Override
                public void onChange(Change change, KubeObject object) {}

                @Override
                public void onFailure(MemberException cause) {}
              })) {
        m.probe(Duration.ofSeconds(1));
      }
      dc1.stop();
      m.probe(Duration.ofSeconds(1));
      assertThatThrownBy(() -> m.apply(KubeObject.create("v1", "ConfigMap", "mw", "y")))
          .isInstanceOf(MemberException.class)
          .hasMessageNotContaining(TOKEN);
    }

    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent e : logs.list) {
      assertThat(e.getFormattedMessage()).doesNotContain(TOKEN);
      assertThat(String.valueOf(e.getKeyValuePairs())).doesNotContain(TOKEN);
      for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(TOKEN);
      }
    }
  }
}
