package io.flotilla.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One API request as the handlers see it: method, decoded path, the path parameters a route
 * matched, the query parameters and the body.
 */
record Request(
    String method,
    String path,
    Map<String, String> params,
    Map<String, List<String>> query,
    byte[] body) {
  Request {
    params = Map.copyOf(params);
    query = Map.copyOf(query);
  }

  Request withParams(Map<String, String> matched) {
    return new Request(method, path, matched, query, body);
  }

  /** A path parameter the route declared. */
  String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalStateException("the route declares no {" + name + "}");
    }
    return v;
  }

  /** A path parameter, empty when the route has none of that name. */
  Optional<String> optionalParam(String name) {
    return Optional.ofNullable(params.get(name));
  }

  /** The first value of a query parameter ("" for {@code ?dryRun}), or empty when absent. */
  Optional<String> queryParam(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
