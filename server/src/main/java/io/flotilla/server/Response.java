package io.flotilla.server;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A response: status, body and extra headers. The body is JSON, unless {@code raw} is given: then
 * those bytes are sent as they are, with the {@code Content-Type} of {@code headers}.
 */
record Response(int status, JsonNode body, Map<String, String> headers, byte[] raw) {
  Response {
    headers = Map.copyOf(headers);
  }

  Response(int status, JsonNode body, Map<String, String> headers) {
    this(status, body, headers, null);
  }

  static Response ok(JsonNode body) {
    return new Response(200, body, Map.of());
  }

  static Response created(JsonNode body) {
    return new Response(201, body, Map.of());
  }

  /** 200 with {@code bytes} as they are, of {@code contentType}. */
  static Response bytes(String contentType, byte[] bytes) {
    return new Response(200, null, Map.of("Content-Type", contentType), bytes);
  }
}
