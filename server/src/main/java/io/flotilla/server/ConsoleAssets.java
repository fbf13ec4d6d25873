package io.flotilla.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console's static files (docs/console.md): HTML, CSS and JavaScript from the classpath
 * ({@code io/flotilla/server/console/}), served at {@code /console/...} without the token, since
 * they hold no data; every request the console makes for data sends the token. {@code /} and {@code
 * /console} redirect to {@code /console/}.
 */
final class ConsoleAssets {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleAssets.class);

  /** Where the console is served. */
  static final String PATH = "/console/";

  /** File names only: no directories, so nothing outside the console's folder is reachable. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*\\.(html|css|js|svg)");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml");

  /**
   * The console loads its own script, style and icon only, and talks to its own origin only; no
   * inline script runs and no other site may frame it.
   */
  private static final Map<String, String> HEADERS =
      Map.of(
          "Content-Security-Policy",
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
              + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
          "X-Content-Type-Options",
          "nosniff",
          "Referrer-Policy",
          "no-referrer",
          "Cache-Control",
          "no-cache");

  private ConsoleAssets() {}

  /** Whether the path is an entry to the console that redirects to {@link #PATH}. */
  static boolean isEntry(String path) {
    return path.equals("/") || path.equals("/console");
  }

  /** The redirect from an entry path to the console. */
  static Response redirect() {
    return new Response(302, Json.object().put("location", PATH), Map.of("Location", PATH));
  }

  /** Serves one file under {@link #PATH} (GET or HEAD); 404 for any other name, 405 for writes. */
  static void serve(HttpExchange exchange) {
    long start = System.nanoTime();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    int status = 500;
    try {
      String name = path.substring(PATH.length());
      if (name.isEmpty()) {
        name = "index.html";
      }
      byte[] body = NAME.matcher(name).matches() ? read(name) : null;
      if (!method.equals("GET") && !method.equals("HEAD")) {
        status = 405;
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        plain(exchange, status, method + " is not allowed on " + path + "; allowed: [GET, HEAD]");
      } else if (body == null) {
        status = 404;
        plain(exchange, status, "no such file in the console: " + path);
      } else {
        status = 200;
        String ext = name.substring(name.lastIndexOf('.') + 1);
        exchange.getResponseHeaders().set("Content-Type", TYPES.get(ext));
        HEADERS.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (method.equals("HEAD")) {
          exchange.sendResponseHeaders(status, -1);
        } else {
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      }
    } catch (IOException e) {
      LOG.atDebug().addKeyValue("path", path).log("client went away: {}", e.toString());
    } finally {
      exchange.close();
      LOG.atDebug()
          .addKeyValue("method", method)
          .addKeyValue("path", path)
          .addKeyValue("status", status)
          .addKeyValue("ms", (System.nanoTime() - start) / 1_000_000)
          .log("console request");
    }
  }

  private static byte[] read(String name) throws IOException {
    try (InputStream in = ConsoleAssets.class.getResourceAsStream("console/" + name)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static void plain(HttpExchange exchange, int status, String message) throws IOException {
    byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
