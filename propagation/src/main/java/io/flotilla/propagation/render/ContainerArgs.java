package io.flotilla.propagation.render;

import io.flotilla.api.io.Fields;
import io.flotilla.api.policy.CommandArgsOverrider;
import io.flotilla.api.policy.JsonPointer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a command or args overrider to the named container, as Karmada's {@code
 * pkg/util/overridemanager/commandargsoverride.go}: {@code add} appends the values (creating the
 * list when the container has none), {@code remove} deletes every element equal to one of them. The
 * container may be an init container. Unlike Karmada, which then does nothing, a container that is
 * not there, or a kind without a pod template, is a failure.
 */
final class ContainerArgs {
  /** Which list of a container an overrider changes. */
  enum Target {
    COMMAND("command"),
    ARGS("args");

    private final String field;

    Target(String field) {
      this.field = field;
    }
  }

  private ContainerArgs() {}

  static JsonNode apply(JsonNode doc, String kind, Target target, CommandArgsOverrider o)
      throws OverrideException {
    JsonPointer containerPath = PodTemplates.container(doc, kind, o.containerName());
    ObjectNode container = (ObjectNode) JsonPatch.resolve(doc, containerPath, containerPath);
    JsonPointer path = containerPath.append(target.field);
    JsonNode current = container.get(target.field);
    List<String> values = new ArrayList<>();
    if (current != null && !current.isNull()) {
      if (!current.isArray()) {
        throw new OverrideException(
            path.toString(), "is " + Fields.describe(current) + ", not a list of strings");
      }
      for (JsonNode v : current) {
        if (!v.isString()) {
          throw new OverrideException(
              path.toString(), "holds " + Fields.describe(v) + ", not only strings");
        }
        values.add(v.stringValue());
      }
    }
    switch (o.operator()) {
      case ADD -> values.addAll(o.value());
      case REMOVE -> {
        if (current == null || current.isNull()) {
          return doc;
        }
        Set<String> gone = new HashSet<>(o.value());
        values.removeIf(gone::contains);
      }
      case REPLACE ->
          throw new OverrideException(path.toString(), "command and args take add or remove only");
    }
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    values.forEach(list::add);
    container.set(target.field, list);
    return doc;
  }
}
