package io.flotilla.cli;

import io.flotilla.api.Problem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to the control plane's REST API (docs/api.md) with its bearer token: JSON in, JSON out.
 * Failures are values the commands print: {@link Refused} for an answer other than 2xx (with the
 * server's message and every problem it named), {@link Unreachable} when no answer came.
 */
final class ApiClient {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** The server answered with an error. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient List<Problem> problems;

    Refused(int status, String message, List<Problem> problems) {
      super(message);
      this.status = status;
      this.problems = List.copyOf(problems);
    }

    int status() {
      return status;
    }

    List<Problem> problems() {
      return problems;
    }
  }

  /** No answer: the server is down, or not at that address. */
  static final class Unreachable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final URI server;
  private final Optional<String> token;
  private final HttpClient http;

  ApiClient(URI server, Optional<String> token) {
    this.server = server;
    this.token = token;
    // HTTP/1.1: the server is the JDK's, which speaks no HTTP/2 (no h2c upgrade attempt)
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
  }

  URI server() {
    return server;
  }

  JsonNode get(String path) {
    return send("GET", path, null);
  }

  /** The object at {@code path}, or empty on 404. */
  Optional<JsonNode> find(String path) {
    try {
      return Optional.of(get(path));
    } catch (Refused e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  JsonNode post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  JsonNode put(String path, JsonNode body) {
    return send("PUT", path, body);
  }

  JsonNode delete(String path) {
    return send("DELETE", path, null);
  }

  private JsonNode send(String method, String path, JsonNode body) {
    URI uri = server.resolve(path.startsWith("/") ? path.substring(1) : path);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    HttpResponse<String> response;
    try {
      response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Unreachable(
          "cannot reach the Flotilla server at "
              + server
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + " (is 'flotilla server' running there? see --server)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while waiting for " + server, e);
    }
    JsonNode answer = parse(response.body());
    int status = response.statusCode();
    if (status / 100 == 2 && answer != null) {
      return answer;
    }
    throw refused(status, answer, response.body(), uri);
  }

  private static JsonNode parse(String text) {
    try {
      return text.isEmpty() ? null : JSON.readTree(text);
    } catch (JacksonException e) {
      return null;
    }
  }

  private Refused refused(int status, JsonNode answer, String raw, URI uri) {
    if (answer == null || !answer.path("message").isString()) {
      String shown = raw.length() > 200 ? raw.substring(0, 200) + "..." : raw;
      return new Refused(
          status, uri + " answered " + status + " with no Flotilla error: " + shown, List.of());
    }
    List<Problem> problems = new ArrayList<>();
    for (JsonNode p : answer.path("problems")) {
      problems.add(new Problem(p.path("path").asString(""), p.path("message").asString("")));
    }
    String message = answer.get("message").asString();
    if (status == 401) {
      message +=
          token.isEmpty()
              ? "; no token was sent: pass --token, set FLOTILLA_TOKEN or use --token-file"
              : "; the token sent is not the server's";
    }
    return new Refused(status, message, problems);
  }
}
