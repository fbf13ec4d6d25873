package io.flotilla.api.io;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One object read from a file, with where it came from ({@code clusters.yaml}, {@code document 2}
 * or {@code document 1, items[3]}) so that messages can point at it.
 */
public record Manifest(String source, String location, JsonNode node) {
  public Manifest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(node, "node");
  }

  /** The object's kind, or empty when it has none (or a kind that is not a string). */
  public String kind() {
    JsonNode k = node.get("kind");
    return k != null && k.isString() ? k.stringValue() : "";
  }

  /** The object's metadata.name, or empty. */
  public String name() {
    JsonNode m = node.get("metadata");
    JsonNode n = m == null ? null : m.get("name");
    return n != null && n.isString() ? n.stringValue() : "";
  }

  /** "clusters.yaml: document 2 (MemberCluster c3)". */
  public String describe() {
    String what =
        kind().isEmpty() ? "" : " (" + kind() + (name().isEmpty() ? "" : " " + name()) + ")";
    return source + ": " + location + what;
  }
}
