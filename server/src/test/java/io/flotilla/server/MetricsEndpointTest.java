package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.store.memory.InMemoryObjectStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: behind the token, answered in the Prometheus text format. */
class MetricsEndpointTest {
  private static final String TOKEN = "metrics-token-0123456789abcdef";

  private final AtomicInteger scrapes = new AtomicInteger();
  private final InMemoryObjectStore store = new InMemoryObjectStore(Clock.systemUTC());
  private final HttpClient client = HttpClient.newHttpClient();
  private ApiServer server;

  /** A source whose text changes with every scrape, so that a cached answer would show. */
  private final MetricsSource source =
      out ->
          out.write(
              ("# HELP flotilla_test_scrapes_total Scrapes.\n"
                      + "# TYPE flotilla_test_scrapes_total counter\n"
                      + "flotilla_test_scrapes_total "
                      + scrapes.incrementAndGet()
                      + ".0\n")
                  .getBytes(StandardCharsets.UTF_8));

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    store.close();
  }

  private int start(boolean withMetrics) throws IOException {
    server = new ApiServer();
    if (withMetrics) {
      server.serveMetrics(source);
    }
    return server.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        store,
        new FakeView("dc1"),
        TOKEN,
        () -> true,
        List.of());
  }

  private HttpResponse<String> get(int port, String path, String authorization) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withTheTokenTheScrapeIsTheTextFormatOfTheSourceAsItStandsNow() throws Exception {
    int port = start(true);
    HttpResponse<String> first = get(port, "/metrics", "Bearer " + TOKEN);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(first.body())
        .startsWith("# HELP flotilla_test_scrapes_total")
        .contains("\nflotilla_test_scrapes_total 1.0\n");
    assertThat(get(port, "/metrics", "Bearer " + TOKEN).body())
        .contains("\nflotilla_test_scrapes_total 2.0\n");
  }

  @Test
  void withoutTheTokenOrWithAWrongOneTheAnswerIs401AndTheSourceIsNotRead() throws Exception {
    int port = start(true);
    for (String auth : new String[] {null, "Bearer wrong", "Basic " + TOKEN}) {
      HttpResponse<String> r = get(port, "/metrics", auth);
      assertThat(r.statusCode()).as("Authorization: %s", auth).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"flotilla\"");
      assertThat(r.body()).doesNotContain("flotilla_test");
    }
    assertThat(scrapes).hasValue(0);
  }

  @Test
  void onlyGetIsServedAndWithoutASourceThereIsNoMetricsPath() throws Exception {
    int port = start(true);
    HttpResponse<String> post =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    server.close();
    int other = start(false);
    assertThat(get(other, "/metrics", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
  }

  @Test
  void theSourceCannotBeChangedOnceServing() throws Exception {
    start(true);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.serveMetrics(source))
        .isInstanceOf(IllegalStateException.class);
  }
}
