package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Each request is logged with its method, path, status and time, and never with the token. */
class AccessLogTest {
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(ApiServer.class);
  private TestApi api;

  @BeforeEach
  void start() throws IOException {
    events.start();
    logger.addAppender(events);
    api = new TestApi(new FakeView());
  }

  @AfterEach
  void stop() {
    api.close();
    logger.detachAppender(events);
  }

  private static Map<String, String> keyValues(ILoggingEvent e) {
    return e.getKeyValuePairs() == null
        ? Map.of()
        : e.getKeyValuePairs().stream()
            .collect(Collectors.toMap(kv -> kv.key, kv -> String.valueOf(kv.value)));
  }

  @Test
  void aRequestIsLoggedWithMethodPathStatusAndMillisecondsButNotItsToken() {
    api.call("GET", ApiResource.PREFIX + "/memberclusters?limit=1", null);
    api.call("GET", "/api/v1/view", null, "Bearer wrong-" + TestApi.TOKEN);

    Awaitility.await()
        .until(
            () ->
                events.list.stream().filter(e -> e.getMessage().equals("API request")).count()
                    == 2);
    Map<String, String> first =
        keyValues(
            events.list.stream()
                .filter(e -> e.getMessage().equals("API request"))
                .findFirst()
                .orElseThrow());
    assertThat(first)
        .containsEntry("method", "GET")
        .containsEntry("path", ApiResource.PREFIX + "/memberclusters")
        .containsEntry("status", "200")
        .containsKey("ms");
    assertThat(events.list)
        .allSatisfy(
            e -> assertThat(e.getFormattedMessage() + keyValues(e)).doesNotContain(TestApi.TOKEN));
    assertThat(events.list)
        .anySatisfy(e -> assertThat(keyValues(e)).containsEntry("status", "401"));
  }
}
