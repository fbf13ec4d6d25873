package io.flotilla.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Any Kubernetes object as a JSON tree: what resource templates, rendered manifests, member copies
 * and stored objects are. Immutable: the tree is copied in and every accessor that returns JSON
 * returns a copy; {@link #edit} makes a changed copy. Equality is by content.
 */
public final class KubeObject {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonMapper SORTED =
      JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

  private final ObjectNode node;

  private KubeObject(ObjectNode node) {
    this.node = node;
  }

  /**
   * An object from a JSON tree (copied).
   *
   * @throws IllegalArgumentException when it is not an object with a kind and metadata.name
   */
  public static KubeObject of(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("a Kubernetes object must be a JSON object");
    }
    ObjectNode copy = (ObjectNode) json.deepCopy();
    KubeObject o = new KubeObject(copy);
    if (o.kind().isEmpty() || o.name().isEmpty()) {
      throw new IllegalArgumentException("a Kubernetes object needs kind and metadata.name");
    }
    return o;
  }

  /**
   * An object from a tree its caller made and gives up: not copied, so the caller must neither
   * change it nor hand it out afterwards.
   *
   * @throws IllegalArgumentException when it is not an object with a kind and metadata.name
   */
  public static KubeObject ofOwned(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("a Kubernetes object must be a JSON object");
    }
    KubeObject o = new KubeObject((ObjectNode) json);
    if (o.kind().isEmpty() || o.name().isEmpty()) {
      throw new IllegalArgumentException("a Kubernetes object needs kind and metadata.name");
    }
    return o;
  }

  /** An object from JSON text. */
  public static KubeObject parse(String json) {
    return of(JSON.readTree(json));
  }

  /** A new object with just apiVersion, kind, and metadata namespace and name. */
  public static KubeObject create(String apiVersion, String kind, String namespace, String name) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("apiVersion", apiVersion);
    n.put("kind", kind);
    ObjectNode meta = n.putObject("metadata");
    meta.put("name", name);
    if (!namespace.isEmpty()) {
      meta.put("namespace", namespace);
    }
    return new KubeObject(n);
  }

  private String text(JsonNode parent, String field) {
    JsonNode v = parent == null ? null : parent.get(field);
    return v != null && v.isString() ? v.stringValue() : "";
  }

  private JsonNode metadata() {
    return node.get("metadata");
  }

  public String apiVersion() {
    return text(node, "apiVersion");
  }

  public String kind() {
    return text(node, "kind");
  }

  /** The namespace, or "" for a cluster-scoped object (or one not yet placed in a namespace). */
  public String namespace() {
    return text(metadata(), "namespace");
  }

  public String name() {
    return text(metadata(), "name");
  }

  public ObjectRef ref() {
    return new ObjectRef(apiVersion(), kind(), namespace(), name());
  }

  /** metadata.resourceVersion, when the object came from a server or store. */
  public Optional<String> resourceVersion() {
    String v = text(metadata(), "resourceVersion");
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  /** metadata.generation, or 0 when absent. */
  public long generation() {
    JsonNode g = metadata() == null ? null : metadata().get("generation");
    return g != null && g.isNumber() ? g.longValue() : 0;
  }

  public SortedMap<String, String> labels() {
    return stringMap("labels");
  }

  public SortedMap<String, String> annotations() {
    return stringMap("annotations");
  }

  private SortedMap<String, String> stringMap(String field) {
    JsonNode m = metadata() == null ? null : metadata().get(field);
    SortedMap<String, String> out = new TreeMap<>();
    if (m != null && m.isObject()) {
      for (Map.Entry<String, JsonNode> e : m.properties()) {
        if (e.getValue().isString()) {
          out.put(e.getKey(), e.getValue().stringValue());
        }
      }
    }
    return Collections.unmodifiableSortedMap(out);
  }

  public List<String> finalizers() {
    JsonNode f = metadata() == null ? null : metadata().get("finalizers");
    List<String> out = new ArrayList<>();
    if (f != null && f.isArray()) {
      f.forEach(v -> out.add(v.asString()));
    }
    return List.copyOf(out);
  }

  /** metadata.deletionTimestamp: set once deletion was asked while finalizers remain. */
  public Optional<Instant> deletionTimestamp() {
    String t = text(metadata(), "deletionTimestamp");
    if (t.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(t));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Whether the object has a top-level field of that name (even a null one). */
  public boolean has(String field) {
    return node.has(field);
  }

  /**
   * Whether the value at a JSON pointer is equal as JSON ({@link #sameJson}) to {@code value}; a
   * missing value equals only a missing node. Compares in place: nothing is copied.
   */
  public boolean sameJsonAt(String pointer, JsonNode value) {
    return sameJson(node.at(pointer), value);
  }

  /** The value at a JSON pointer ("/spec/replicas"), or a missing node. */
  public JsonNode at(String pointer) {
    return node.at(pointer).deepCopy();
  }

  /** A copy of the whole tree. */
  public ObjectNode json() {
    return node.deepCopy();
  }

  /** A changed copy: {@code change} edits a copy of the tree, which becomes the new object. */
  public KubeObject edit(Consumer<ObjectNode> change) {
    ObjectNode copy = node.deepCopy();
    change.accept(copy);
    KubeObject edited = new KubeObject(copy);
    if (edited.kind().isEmpty() || edited.name().isEmpty()) {
      throw new IllegalArgumentException("a Kubernetes object needs kind and metadata.name");
    }
    return edited;
  }

  /**
   * A copy without the top-level {@code field} (a body: {@code spec}, {@code data}); copies only
   * the other fields.
   *
   * @throws IllegalArgumentException when the field is one every object needs (kind, metadata)
   */
  public KubeObject without(String field) {
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getKey().equals(field)) {
        copy.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    KubeObject without = new KubeObject(copy);
    if (without.kind().isEmpty() || without.name().isEmpty()) {
      throw new IllegalArgumentException("a Kubernetes object needs kind and metadata.name");
    }
    return without;
  }

  /**
   * A changed copy whose {@code change} edits only a copy of the metadata: the other fields are
   * shared with this object, not copied (no object's tree is ever changed once made).
   */
  public KubeObject editMetadata(Consumer<ObjectNode> change) {
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      copy.set(e.getKey(), e.getValue());
    }
    ObjectNode meta = copy.get("metadata") instanceof ObjectNode m ? m.deepCopy() : null;
    copy.set("metadata", meta == null ? JsonNodeFactory.instance.objectNode() : meta);
    change.accept((ObjectNode) copy.get("metadata"));
    KubeObject edited = new KubeObject(copy);
    if (edited.kind().isEmpty() || edited.name().isEmpty()) {
      throw new IllegalArgumentException("a Kubernetes object needs kind and metadata.name");
    }
    return edited;
  }

  /** A copy with a label set. */
  public KubeObject withLabel(String key, String value) {
    return editMetadata(m -> m.withObjectProperty("labels").put(key, value));
  }

  /** A copy with an annotation set. */
  public KubeObject withAnnotation(String key, String value) {
    return editMetadata(m -> m.withObjectProperty("annotations").put(key, value));
  }

  /** Compact JSON text. */
  public String toJson() {
    return JSON.writeValueAsString(node);
  }

  /**
   * Compact JSON in UTF-8 with every object's keys sorted: objects equal as JSON (numbers aside: 3
   * and 3.0 differ) give equal bytes, so it can be digested.
   */
  public byte[] canonicalJson() {
    return canonicalJson(node);
  }

  /** {@link #canonicalJson()} of any JSON value. */
  public static byte[] canonicalJson(JsonNode value) {
    return SORTED.writeValueAsBytes(value);
  }

  /** Compact JSON in UTF-8. */
  byte[] toJsonBytes() {
    return JSON.writeValueAsBytes(node);
  }

  /**
   * Whether this object's JSON reads back as this very tree, with the same node types and not only
   * equal values: true unless it holds a number of another kind than reading picks (a long or big
   * integer small enough for an int or a long, a float, a decimal, a non-finite double) or an
   * embedded value (binary, POJO).
   */
  boolean readsBackAsIs() {
    return readsBackAsIs(node);
  }

  private static boolean readsBackAsIs(JsonNode n) {
    switch (n.getNodeType()) {
      case OBJECT, ARRAY -> {
        for (JsonNode v : n.values()) {
          if (!readsBackAsIs(v)) {
            return false;
          }
        }
        return true;
      }
      case STRING, BOOLEAN, NULL -> {
        return true;
      }
      case NUMBER -> {
        if (n.isInt()) {
          return true;
        }
        if (n.isLong()) {
          return !n.canConvertToInt();
        }
        if (n.isBigInteger()) {
          return !n.canConvertToLong();
        }
        return n.isDouble() && Double.isFinite(n.doubleValue());
      }
      default -> {
        return false;
      }
    }
  }

  /** An object from JSON bytes this class wrote ({@link PackedObject}): parsed, not checked. */
  static KubeObject fromJsonBytes(byte[] json) {
    return new KubeObject((ObjectNode) JSON.readTree(json));
  }

  /** Packed: the compact JSON bytes, for holding many objects in little memory. */
  public PackedObject pack() {
    return PackedObject.of(this);
  }

  /**
   * Equal when the JSON is: the same fields with equal values in any order, numbers compared by
   * value (an int 3 equals a long 3, as they do once written and read back).
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof KubeObject k && (o == this || node.equals(SAME_NUMBER, k.node));
  }

  /** Whether two JSON trees are equal as JSON: numbers by value, fields in any order. */
  public static boolean sameJson(JsonNode a, JsonNode b) {
    return a == b || (a != null && b != null && a.equals(SAME_NUMBER, b));
  }

  /**
   * Whether this object and {@code other} are equal as JSON ({@link #equals}) once the top-level
   * {@code fields} are left out of both. Compares in place: nothing is copied.
   */
  public boolean sameJsonBut(KubeObject other, Set<String> fields) {
    return sameJsonBut(other.node, fields);
  }

  /** {@link #sameJsonBut(KubeObject, Set)} against a JSON tree: false when it is not an object. */
  public boolean sameJsonBut(JsonNode other, Set<String> fields) {
    if (other == null || !other.isObject()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!fields.contains(e.getKey()) && !sameJson(e.getValue(), other.get(e.getKey()))) {
        return false;
      }
    }
    for (String name : other.propertyNames()) {
      if (!fields.contains(name) && !node.has(name)) {
        return false;
      }
    }
    return true;
  }

  /** The hash of the identity (apiVersion, kind, namespace, name): equal objects share it. */
  @Override
  public int hashCode() {
    return Objects.hash(apiVersion(), kind(), namespace(), name());
  }

  /** Integral numbers by value, floating ones by value; anything else as Jackson compares it. */
  private static final Comparator<JsonNode> SAME_NUMBER =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          if (a.isIntegralNumber() && b.isIntegralNumber()) {
            return a.bigIntegerValue().compareTo(b.bigIntegerValue());
          }
          return Double.compare(a.doubleValue(), b.doubleValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  @Override
  public String toString() {
    return ref().toString();
  }
}
