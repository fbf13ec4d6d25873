package io.flotilla.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.WriteRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The control plane's REST API on the JDK's HTTP server: the store's objects ({@link ApiResource}),
 * the global view and drills ({@link ControlPlaneView}), health probes and, when given, the metrics
 * ({@link MetricsSource}). Every request but {@code /healthz}, {@code /readyz} and the web
 * console's static files ({@link ConsoleAssets}, which hold no data) needs {@code Authorization:
 * Bearer <token>}; without it, or with a wrong one, the answer is 401. Each request is logged
 * (method, path, status, milliseconds), never its headers.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  /** Bodies above this are refused (413): the largest object the store keeps, plus room. */
  static final int MAX_BODY_BYTES = WriteRules.MAX_OBJECT_BYTES + 64 * 1024;

  private static final int THREADS = 4;

  private HttpServer http;
  private ExecutorService executor;
  private MetricsSource metrics;

  /**
   * Serves {@code GET /metrics} from {@code source} (behind the token, as the rest of the API) once
   * started; without it {@code /metrics} is 404.
   *
   * @return this server
   * @throws IllegalStateException when already started
   */
  public synchronized ApiServer serveMetrics(MetricsSource source) {
    if (http != null) {
      throw new IllegalStateException("the API server is already started");
    }
    this.metrics = java.util.Objects.requireNonNull(source, "source");
    return this;
  }

  /**
   * Starts serving on {@code address} (port 0 takes a free one).
   *
   * @param ready whether {@code /readyz} answers 200 (the control plane leads and reconciles) or
   *     503
   * @return the port bound
   * @throws IOException when the address cannot be bound
   * @throws IllegalStateException when already started
   */
  public synchronized int start(
      InetSocketAddress address,
      ObjectStore store,
      ControlPlaneView view,
      String token,
      BooleanSupplier ready)
      throws IOException {
    return start(address, store, view, token, ready, List.of());
  }

  /**
   * Starts serving the API and {@code extra} routes behind the same token.
   *
   * @see #start(InetSocketAddress, ObjectStore, ControlPlaneView, String, BooleanSupplier)
   */
  public synchronized int start(
      InetSocketAddress address,
      ObjectStore store,
      ControlPlaneView view,
      String token,
      BooleanSupplier ready,
      List<ExtraRoute> extra)
      throws IOException {
    if (http != null) {
      throw new IllegalStateException("the API server is already started");
    }
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("the API needs a non-empty bearer token");
    }
    Router api = new Router();
    new ObjectEndpoints(store).register(api);
    new ControlPlaneEndpoints(view).register(api);
    for (ExtraRoute r : extra) {
      api.add(r.method(), r.pattern(), r::handle);
    }
    MetricsSource scrape = metrics;
    if (scrape != null) {
      api.add("GET", "/metrics", q -> scrape(scrape));
    }
    Router probes = new Router();
    probes.add("GET", "/healthz", q -> Response.ok(Json.object().put("status", "ok")));
    probes.add(
        "GET",
        "/readyz",
        q ->
            ready.getAsBoolean()
                ? Response.ok(Json.object().put("status", "ready"))
                : new Response(503, Json.object().put("status", "not ready"), Map.of()));
    HttpServer server = HttpServer.create(address, 0);
    executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
    server.setExecutor(executor);
    server.createContext("/", exchange -> serve(exchange, api, probes, token));
    server.createContext(ConsoleAssets.PATH, ConsoleAssets::serve);
    server.start();
    http = server;
    int port = server.getAddress().getPort();
    LOG.atInfo()
        .addKeyValue("address", server.getAddress().getAddress().getHostAddress())
        .addKeyValue("port", port)
        .log("API server listening");
    return port;
  }

  /** The address served, once started. */
  public synchronized InetSocketAddress address() {
    if (http == null) {
      throw new IllegalStateException("the API server is not started");
    }
    return http.getAddress();
  }

  /** Stops serving at once (requests under way are cut); idempotent. */
  @Override
  public synchronized void close() {
    if (http != null) {
      http.stop(0);
      executor.shutdownNow();
      http = null;
      executor = null;
    }
  }

  private static Response scrape(MetricsSource source) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(16 * 1024);
    try {
      source.writeTo(out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Response.bytes(MetricsSource.CONTENT_TYPE, out.toByteArray());
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "flotilla-api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void serve(HttpExchange exchange, Router api, Router probes, String token) {
    long start = System.nanoTime();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Response response;
    try {
      response = respond(exchange, api, probes, token);
    } catch (ApiException e) {
      response = errorResponse(e);
    } catch (UnavailableException e) {
      response =
          new Response(
              503,
              Json.error(503, "Unavailable", e.getMessage(), List.of()),
              Map.of("Retry-After", "1"));
    } catch (RuntimeException | IOException e) {
      LOG.atError()
          .addKeyValue("method", method)
          .addKeyValue("path", path)
          .setCause(e)
          .log("API request failed");
      response =
          new Response(
              500,
              Json.error(
                  500,
                  "InternalError",
                  "internal error: " + e.getClass().getSimpleName(),
                  List.of()),
              Map.of());
    }
    try {
      send(exchange, response);
    } catch (IOException e) {
      LOG.atDebug().addKeyValue("path", path).log("client went away: {}", e.toString());
    } finally {
      exchange.close();
      boolean probe = path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics");
      (probe ? LOG.atDebug() : LOG.atInfo())
          .addKeyValue("method", method)
          .addKeyValue("path", path)
          .addKeyValue("status", response.status())
          .addKeyValue("ms", (System.nanoTime() - start) / 1_000_000)
          .log("API request");
    }
  }

  private static Response respond(HttpExchange exchange, Router api, Router probes, String token)
      throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.equals("/healthz") || path.equals("/readyz")) {
      return probes.route(new Request(method, path, Map.of(), Map.of(), new byte[0]));
    }
    if (ConsoleAssets.isEntry(path) && method.equals("GET")) {
      return ConsoleAssets.redirect(); // the console's shell holds no data: no token needed
    }
    if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"), token)) {
      return new Response(
          401,
          Json.error(
              401,
              "Unauthorized",
              "a bearer token is required: send 'Authorization: Bearer <token>' (the token is in"
                  + " the server's data directory, file "
                  + Tokens.FILE_NAME
                  + ")",
              List.of()),
          Map.of("WWW-Authenticate", "Bearer realm=\"flotilla\""));
    }
    byte[] body = readBody(exchange.getRequestBody());
    Request request =
        new Request(method, path, Map.of(), query(exchange.getRequestURI().getRawQuery()), body);
    return api.route(request);
  }

  private static boolean authorized(String header, String token) {
    String prefix = "Bearer ";
    if (header == null || !header.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return false;
    }
    return Tokens.matches(token, header.substring(prefix.length()).strip());
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw new ApiException(
          413,
          "RequestEntityTooLarge",
          "body: larger than "
              + MAX_BODY_BYTES
              + " bytes; the store keeps objects of at most "
              + WriteRules.MAX_OBJECT_BYTES,
          List.of());
    }
    return body;
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("query", "is not URL-encoded: " + e.getMessage());
    }
  }

  private static Response errorResponse(ApiException e) {
    return new Response(
        e.status(), Json.error(e.status(), e.reason(), e.getMessage(), e.problems()), Map.of());
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    JsonNode body = response.body();
    byte[] bytes = response.raw() != null ? response.raw() : Json.write(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
