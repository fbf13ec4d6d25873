package io.flotilla.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** A Middleware's status conditions as the waiting commands read and print them. */
final class ConditionText {
  private ConditionText() {}

  /** {@code status.conditions} by type. */
  static Map<String, JsonNode> byType(JsonNode object) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode c : object.at("/status/conditions")) {
      out.put(c.path("type").asString(""), c);
    }
    return out;
  }

  /** Whether the condition is there and True. */
  static boolean isTrue(JsonNode c) {
    return c != null && c.path("status").asString("").equals("True");
  }

  /** "Reason: message", or the reason alone when there is no message. */
  static String words(JsonNode c) {
    String reason = c.path("reason").asString("");
    String message = c.path("message").asString("");
    return message.isEmpty() ? reason : reason + ": " + message;
  }

  /**
   * The first of Scheduled, Propagated and Available that is not True, as "Type=False Reason:
   * message"; empty when none is False.
   */
  static Optional<String> firstNotTrue(Map<String, JsonNode> conditions) {
    for (String type : List.of("Scheduled", "Propagated", "Available")) {
      JsonNode c = conditions.get(type);
      if (c != null && !isTrue(c)) {
        return Optional.of(type + "=False " + words(c));
      }
    }
    return Optional.empty();
  }
}
