package io.flotilla.server;

import io.flotilla.api.Problem;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The API's JSON: strict reading of request bodies (no duplicate keys), compact writing. */
final class Json {
  static final JsonMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private Json() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static byte[] write(JsonNode node) {
    return MAPPER.writeValueAsBytes(node);
  }

  /**
   * A request body as one JSON object.
   *
   * @throws ApiException 400 naming "body" when it is empty, not JSON, or not an object
   */
  static ObjectNode readObject(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badRequest("body", "required: a JSON object");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw ApiException.badRequest("body", "is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest(
          "body", "must be a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
    }
    return (ObjectNode) node;
  }

  /** The error body: {@code {"code", "reason", "message", "problems": [{"path", "message"}]}}. */
  static ObjectNode error(int code, String reason, String message, List<Problem> problems) {
    ObjectNode n = object();
    n.put("code", code);
    n.put("reason", reason);
    n.put("message", message);
    ArrayNode list = n.putArray("problems");
    for (Problem p : problems) {
      list.addObject().put("path", p.path()).put("message", p.message());
    }
    return n;
  }
}
