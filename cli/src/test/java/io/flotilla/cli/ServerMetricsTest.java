package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code flotilla server} serves its control plane's metrics at {@code /metrics}, behind its token;
 * the member gauges come from the MemberClusters of its store.
 */
class ServerMetricsTest {
  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/metrics"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theLeaderServesItsMetricsToTheTokenOnly() throws Exception {
    ServerCommand command = new ServerCommand();
    new CommandLine(command)
        .parseArgs(
            "--data-dir", dir.resolve("data").toString(), "--port", "0", "--identity", "metrics");
    ServerCommand.Server server = command.start(new PrintWriter(new StringWriter()));
    try {
      String url = "http://127.0.0.1:" + server.port();
      String token = Files.readString(dir.resolve("data/token"), StandardCharsets.US_ASCII).strip();
      Path manifest = dir.resolve("dc1.yaml");
      Files.writeString(manifest, ServerCommandTest.DC1);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> get(url, token).body().contains("\nflotilla_leader 1.0\n"));
      Cli applied =
          Cli.run(
              "apply",
              "-f",
              manifest.toString(),
              "--server",
              url,
              "--token-file",
              dir.resolve("data/token").toString());
      assertThat(applied.exit()).as(applied.err()).isZero();

      assertThat(get(url, null).statusCode()).isEqualTo(401);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                HttpResponse<String> r = get(url, token);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
                assertThat(r.body())
                    .contains("# TYPE flotilla_member_ready gauge")
                    .contains("flotilla_member_ready{cluster=\"dc1\"} ")
                    .contains("flotilla_work_queue_depth{queue=\"controller\"} ")
                    .contains("# TYPE flotilla_scheduling_latency_seconds histogram");
              });
    } finally {
      server.close();
    }
  }
}
