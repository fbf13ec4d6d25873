package io.flotilla.server;

import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;

/** An {@link ApiServer} on 127.0.0.1 and a free port over an in-memory store, and a client. */
final class TestApi implements AutoCloseable {
  static final String TOKEN = "test-token-0123456789abcdef";

  final ObjectStore store =
      new InMemoryObjectStore(Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC));
  final AtomicBoolean ready = new AtomicBoolean();
  private final ApiServer server = new ApiServer();
  private final HttpClient client = HttpClient.newHttpClient();
  final int port;

  /** A reply: status, parsed JSON body, headers. */
  record Reply(int status, JsonNode body, HttpHeaders headers) {}

  TestApi(ControlPlaneView view) throws IOException {
    this(view, java.util.List.of());
  }

  TestApi(ControlPlaneView view, java.util.List<ExtraRoute> extra) throws IOException {
    port =
        server.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            store,
            view,
            TOKEN,
            ready::get,
            extra);
  }

  Reply call(String method, String path, String body) {
    return call(method, path, body, "Bearer " + TOKEN);
  }

  Reply call(String method, String path, String body, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), Json.MAPPER.readTree(r.body()), r.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }
}
