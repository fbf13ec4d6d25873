package io.flotilla.propagation.render;

import io.flotilla.api.io.Fields;
import io.flotilla.api.policy.JsonPointer;
import io.flotilla.api.policy.PlaintextOverrider;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code add}, {@code remove} and {@code replace} operations of RFC 6902 on a JSON tree,
 * exactly: {@code add} sets an object member (replacing one that exists) or inserts into an array
 * at an index from 0 to its size, or appends with {@code -}; its parent must exist. {@code remove}
 * and {@code replace} need their target to exist. Each returns the new root (the given tree is
 * changed in place unless the root itself is replaced); a failure changes nothing.
 */
final class JsonPatch {
  private JsonPatch() {}

  static JsonNode apply(JsonNode doc, PlaintextOverrider p) throws OverrideException {
    return switch (p.operator()) {
      // value() is a copy already: it goes into the document as it is
      case ADD -> addOwned(doc, p.path(), p.value().orElseThrow());
      case REMOVE -> remove(doc, p.path());
      case REPLACE -> replaceOwned(doc, p.path(), p.value().orElseThrow());
    };
  }

  /** Adds a copy of {@code value}. */
  static JsonNode add(JsonNode doc, JsonPointer path, JsonNode value) throws OverrideException {
    return addOwned(doc, path, value.deepCopy());
  }

  /** Adds {@code value} itself, which no one else holds. */
  private static JsonNode addOwned(JsonNode doc, JsonPointer path, JsonNode value)
      throws OverrideException {
    if (path.isRoot()) {
      return value;
    }
    JsonNode parent = resolve(doc, path.parent(), path);
    String token = path.last();
    if (parent.isObject()) {
      ((ObjectNode) parent).set(token, value);
    } else if (parent.isArray()) {
      ArrayNode array = (ArrayNode) parent;
      int index = token.equals("-") ? array.size() : index(token, array.size(), path);
      array.insert(index, value);
    } else {
      throw notAContainer(path.parent(), parent, path);
    }
    return doc;
  }

  static JsonNode remove(JsonNode doc, JsonPointer path) throws OverrideException {
    if (path.isRoot()) {
      throw new OverrideException(path.toString(), "cannot remove the whole object");
    }
    JsonNode parent = resolve(doc, path.parent(), path);
    String token = path.last();
    if (parent.isObject()) {
      if (!parent.has(token)) {
        throw missing(path.parent(), token, path);
      }
      ((ObjectNode) parent).remove(token);
    } else if (parent.isArray()) {
      ((ArrayNode) parent).remove(existingIndex(token, parent.size(), path));
    } else {
      throw notAContainer(path.parent(), parent, path);
    }
    return doc;
  }

  /** Replaces with a copy of {@code value}. */
  static JsonNode replace(JsonNode doc, JsonPointer path, JsonNode value) throws OverrideException {
    return replaceOwned(doc, path, value.deepCopy());
  }

  /** Replaces with {@code value} itself, which no one else holds. */
  private static JsonNode replaceOwned(JsonNode doc, JsonPointer path, JsonNode value)
      throws OverrideException {
    if (path.isRoot()) {
      return value;
    }
    JsonNode parent = resolve(doc, path.parent(), path);
    String token = path.last();
    if (parent.isObject()) {
      if (!parent.has(token)) {
        throw missing(path.parent(), token, path);
      }
      ((ObjectNode) parent).set(token, value);
    } else if (parent.isArray()) {
      ((ArrayNode) parent).set(existingIndex(token, parent.size(), path), value);
    } else {
      throw notAContainer(path.parent(), parent, path);
    }
    return doc;
  }

  /**
   * The node {@code pointer} points at in {@code doc}.
   *
   * @param target the pointer of the operation, named in failures
   */
  static JsonNode resolve(JsonNode doc, JsonPointer pointer, JsonPointer target)
      throws OverrideException {
    JsonNode current = doc;
    List<String> tokens = pointer.tokens();
    for (int i = 0; i < tokens.size(); i++) {
      JsonPointer here = new JsonPointer(tokens.subList(0, i));
      String token = tokens.get(i);
      if (current.isObject()) {
        JsonNode next = current.get(token);
        if (next == null) {
          throw missing(here, token, target);
        }
        current = next;
      } else if (current.isArray()) {
        current = current.get(existingIndex(token, current.size(), target));
      } else {
        throw notAContainer(here, current, target);
      }
    }
    return current;
  }

  /** An index for add: 0 to size inclusive. */
  private static int index(String token, int size, JsonPointer target) throws OverrideException {
    int i = parseIndex(token, target);
    if (i > size) {
      throw new OverrideException(
          target.toString(),
          "the path does not exist: index "
              + token
              + " is past the end of an array of "
              + size
              + " (use "
              + size
              + " or - to append)");
    }
    return i;
  }

  /** An index of an existing element: 0 to size - 1. */
  private static int existingIndex(String token, int size, JsonPointer target)
      throws OverrideException {
    if (token.equals("-")) {
      throw new OverrideException(
          target.toString(),
          "\"-\" names no element: it is the position after the last one, for add only");
    }
    int i = parseIndex(token, target);
    if (i >= size) {
      throw new OverrideException(
          target.toString(),
          "the path does not exist: index " + token + " is out of bounds of an array of " + size);
    }
    return i;
  }

  private static int parseIndex(String token, JsonPointer target) throws OverrideException {
    boolean digits = !token.isEmpty() && token.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits || (token.length() > 1 && token.charAt(0) == '0')) {
      throw new OverrideException(
          target.toString(),
          "\"" + token + "\" is not an array index (0, 1, 2, ... without leading zeros, or -)");
    }
    try {
      return Integer.parseInt(token);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static OverrideException missing(JsonPointer parent, String token, JsonPointer target) {
    String where = parent.isRoot() ? "the object" : parent.toString();
    return new OverrideException(
        target.toString(), "the path does not exist: " + where + " has no \"" + token + "\"");
  }

  private static OverrideException notAContainer(
      JsonPointer at, JsonNode node, JsonPointer target) {
    return new OverrideException(
        target.toString(),
        "the path does not exist: "
            + (at.isRoot() ? "the document" : at.toString())
            + " is "
            + Fields.describe(node)
            + ", not an object or a list");
  }
}
