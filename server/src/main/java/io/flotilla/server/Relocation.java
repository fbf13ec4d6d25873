package io.flotilla.server;

import io.flotilla.api.Limits;
import io.flotilla.api.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A move of {@code count} instances of one role of a Middleware from one member cluster to another
 * (the body of {@code POST /api/v1/middlewares/{namespace}/{name}/relocate}): the talk's front end
 * changing where instances run, written as {@code spec.pinnedPlacement} once the scheduler accepts
 * it.
 */
public record Relocation(String role, String from, String to, int count) {
  private static final Set<String> FIELDS = Set.of("role", "from", "to", "count");

  public Relocation {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
  }

  /**
   * Reads a request body, collecting every problem with its field.
   *
   * @throws ApiException 400 naming each field that is missing, of the wrong type, unknown, or a
   *     move to the cluster it starts from
   */
  static Relocation read(byte[] body) {
    JsonNode n = Json.readObject(body);
    List<Problem> problems = new ArrayList<>();
    for (String f : n.propertyNames()) {
      if (!FIELDS.contains(f)) {
        problems.add(new Problem(f, "unknown field; expected role, from, to and count"));
      }
    }
    String role = text(n, "role", problems);
    String from = text(n, "from", problems);
    String to = text(n, "to", problems);
    int count = 0;
    JsonNode c = n.get("count");
    if (c == null || c.isNull()) {
      problems.add(new Problem("count", "required: how many instances to move"));
    } else if (!c.isIntegralNumber()
        || !c.canConvertToInt()
        || c.intValue() < 1
        || c.intValue() > Limits.MAX_REPLICAS) {
      problems.add(
          new Problem(
              "count", "must be a whole number from 1 to " + Limits.MAX_REPLICAS + ", got " + c));
    } else {
      count = c.intValue();
    }
    if (from != null && from.equals(to)) {
      problems.add(new Problem("to", "must differ from from (" + from + ")"));
    }
    if (!problems.isEmpty()) {
      throw new ApiException(
          400,
          "BadRequest",
          "the relocation is invalid: "
              + problems.size()
              + (problems.size() == 1 ? " problem" : " problems"),
          problems);
    }
    return new Relocation(role, from, to, count);
  }

  private static String text(JsonNode n, String field, List<Problem> problems) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      problems.add(new Problem(field, "required: " + DESCRIPTIONS.get(field)));
      return null;
    }
    if (!v.isString() || v.asString().isBlank()) {
      problems.add(new Problem(field, "must be a non-empty string, got " + v));
      return null;
    }
    return v.asString();
  }

  private static final java.util.Map<String, String> DESCRIPTIONS =
      java.util.Map.of(
          "role", "the role whose instances move",
          "from", "the member cluster they leave",
          "to", "the member cluster they go to");
}
