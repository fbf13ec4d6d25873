package io.flotilla.propagation;

import io.flotilla.api.Condition;
import io.flotilla.api.KubeObject;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes a condition into an object's {@code status.conditions}, Kubernetes style. */
final class PolicyStatusWriter {
  private PolicyStatusWriter() {}

  /**
   * The object with {@code condition} replacing any condition of its type. The transition time is
   * kept when the status is unchanged, else set to {@code now}; other conditions are untouched.
   */
  static KubeObject withCondition(KubeObject object, Condition condition, Instant now) {
    return object.edit(
        n -> {
          ObjectNode status = n.withObjectProperty("status");
          JsonNode old = status.path("conditions");
          ArrayNode conditions = status.arrayNode();
          String since = now.toString();
          for (JsonNode c : old) {
            if (c.path("type").asString("").equals(condition.type())) {
              if (c.path("status").asString("").equals(condition.status().name())) {
                since = c.path("lastTransitionTime").asString(since);
              }
            } else {
              conditions.add(c);
            }
          }
          ObjectNode c = conditions.addObject();
          c.put("type", condition.type());
          c.put("status", condition.status().name());
          c.put("reason", condition.reason());
          c.put("message", condition.message());
          c.put("lastTransitionTime", since);
          status.set("conditions", conditions);
        });
  }
}
