package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The web console's static files: served without the token (they hold no data) with their content
 * types and a strict Content-Security-Policy; nothing outside the console's folder; the entry paths
 * redirect; the data stays behind the token.
 */
class ConsoleAssetsTest {
  final HttpClient client = HttpClient.newHttpClient();
  TestApi api;

  @BeforeEach
  void start() throws IOException {
    api = new TestApi(new FakeView("dc1"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpResponse<String> get(String method, String path) {
    try {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port + path))
              .method(method, HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of("/console/", "text/html; charset=utf-8", "<title>Flotilla"),
        Arguments.of("/console/index.html", "text/html; charset=utf-8", "console.js"),
        Arguments.of("/console/console.js", "text/javascript; charset=utf-8", "sessionStorage"),
        Arguments.of("/console/console.css", "text/css; charset=utf-8", "body"));
  }

  @ParameterizedTest(name = "{0} is served without the token")
  @MethodSource("files")
  void theShellIsServedWithoutTheToken(String path, String type, String contains) {
    HttpResponse<String> r = get("GET", path);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(type);
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.body()).contains(contains);
  }

  static Stream<String> missing() {
    return Stream.of(
        "/console/nothing.js",
        "/console/../server/ApiServer.class",
        "/console/%2e%2e/ApiServer.class",
        "/console/sub/index.html",
        "/console/Index.HTML",
        "/console/ConsoleAssets.class");
  }

  @ParameterizedTest(name = "{0} is 404")
  @MethodSource("missing")
  void nothingElseIsServed(String path) {
    HttpResponse<String> r = get("GET", path);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(r.body()).startsWith("no such file in the console: ");
  }

  @Test
  void writesAreNotAllowed() {
    assertThat(get("POST", "/console/index.html").statusCode()).isEqualTo(405);
  }

  @Test
  void theEntryPathsRedirectToTheConsole() {
    for (String path : new String[] {"/", "/console"}) {
      HttpResponse<String> r = get("GET", path);
      assertThat(r.statusCode()).as(path).isEqualTo(302);
      assertThat(r.headers().firstValue("Location")).hasValue("/console/");
    }
  }

  @Test
  void theDataStillNeedsTheToken() {
    assertThat(get("GET", "/api/v1/view").statusCode()).isEqualTo(401);
    assertThat(get("GET", "/apis/flotilla.io/v1alpha1/memberclusters").statusCode()).isEqualTo(401);
  }
}
