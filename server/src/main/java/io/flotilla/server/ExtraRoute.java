package io.flotilla.server;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A route served beside the API, behind the same bearer token, for a process that runs more than
 * the control plane (the sandbox's {@code /sandbox/v1/...}, the events). The handler gets the
 * path's parameters and the first value of each query parameter (a path parameter wins over a query
 * parameter of the same name) and returns the JSON answered with 200; it throws {@link
 * NoSuchElementException} for 404 and {@link IllegalStateException} for 409 and {@link
 * IllegalArgumentException} for 400, each with a message naming the object.
 *
 * @param pattern a path such as {@code /sandbox/v1/clusters/{name}/fail}
 */
public record ExtraRoute(
    String method, String pattern, Function<Map<String, String>, JsonNode> handler) {
  public ExtraRoute {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(handler, "handler");
  }

  Response handle(Request request) {
    try {
      Map<String, String> params = new java.util.HashMap<>();
      request.query().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
      params.putAll(request.params());
      return Response.ok(handler.apply(Map.copyOf(params)));
    } catch (NoSuchElementException e) {
      throw ApiException.notFound(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "BadRequest", e.getMessage(), List.of());
    } catch (IllegalStateException e) {
      throw new ApiException(409, "Conflict", e.getMessage(), List.of());
    }
  }
}
