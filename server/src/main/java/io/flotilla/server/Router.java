package io.flotilla.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Matches a request's method and path against routes such as {@code GET
 * /apis/flotilla.io/v1alpha1/namespaces/{namespace}/{resource}/{name}}; a path segment in braces
 * matches any one non-empty segment and is passed to the handler by name. Routes are tried in the
 * order they were added.
 */
final class Router {
  /** Handles a matched request. */
  @FunctionalInterface
  interface Handler {
    Response handle(Request request);
  }

  private record Route(String method, String[] segments, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();

  Router add(String method, String pattern, Handler handler) {
    routes.add(new Route(method, split(pattern), handler));
    return this;
  }

  /**
   * Routes a request: the first route whose method and path match handles it; 405 (with the allowed
   * methods) when the path matches only under other methods; 404 when nothing matches.
   */
  Response route(Request request) {
    String[] path = split(request.path());
    TreeSet<String> allowed = new TreeSet<>();
    for (Route r : routes) {
      Optional<Map<String, String>> params = match(r.segments(), path);
      if (params.isEmpty()) {
        continue;
      }
      if (r.method().equals(request.method())) {
        return r.handler().handle(request.withParams(params.get()));
      }
      allowed.add(r.method());
    }
    if (!allowed.isEmpty()) {
      throw new ApiException(
          405,
          "MethodNotAllowed",
          request.method() + " is not allowed on " + request.path() + "; allowed: " + allowed,
          List.of());
    }
    throw ApiException.notFound("no such path: " + request.path());
  }

  private static Optional<Map<String, String>> match(String[] pattern, String[] path) {
    if (pattern.length != path.length) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (path[i].isEmpty()) {
          return Optional.empty();
        }
        params.put(p.substring(1, p.length() - 1), path[i]);
      } else if (!p.equals(path[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }
}
