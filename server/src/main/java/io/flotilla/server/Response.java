package io.flotilla.server;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A JSON response: status, body and extra headers. */
record Response(int status, JsonNode body, Map<String, String> headers) {
  Response {
    headers = Map.copyOf(headers);
  }

  static Response ok(JsonNode body) {
    return new Response(200, body, Map.of());
  }

  static Response created(JsonNode body) {
    return new Response(201, body, Map.of());
  }
}
