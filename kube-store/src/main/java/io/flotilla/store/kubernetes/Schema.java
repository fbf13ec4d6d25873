package io.flotilla.store.kubernetes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A structural OpenAPI v3 schema, as a CustomResourceDefinition holds one: every node has a type
 * (or is int-or-string, or keeps unknown fields), objects either list their properties or give one
 * schema for every value (a map), never both. Immutable; {@link #toJson} writes it in a fixed order
 * so that generated files do not change from run to run.
 */
public final class Schema {
  private final String type;
  private final String description;
  private final Map<String, Schema> properties;
  private final List<String> required;
  private final Schema items;
  private final Schema values;
  private final List<String> enumValues;
  private final boolean intOrString;
  private final boolean preserveUnknown;
  private final Long minimum;

  private Schema(
      String type,
      String description,
      Map<String, Schema> properties,
      List<String> required,
      Schema items,
      Schema values,
      List<String> enumValues,
      boolean intOrString,
      boolean preserveUnknown,
      Long minimum) {
    this.type = type;
    this.description = description;
    this.properties = properties;
    this.required = List.copyOf(required);
    this.items = items;
    this.values = values;
    this.enumValues = List.copyOf(enumValues);
    this.intOrString = intOrString;
    this.preserveUnknown = preserveUnknown;
    this.minimum = minimum;
  }

  private static Schema of(String type) {
    return new Schema(type, null, null, List.of(), null, null, List.of(), false, false, null);
  }

  public static Schema string() {
    return of("string");
  }

  public static Schema integer() {
    return of("integer");
  }

  public static Schema bool() {
    return of("boolean");
  }

  /** One of the given strings. */
  public static Schema oneOf(List<String> values) {
    Schema s = string();
    return new Schema(s.type, null, null, List.of(), null, null, values, false, false, null);
  }

  /** A Kubernetes quantity or a scalar written as a number or a string ("2", 2, "500m"). */
  public static Schema intOrString() {
    return new Schema(null, null, null, List.of(), null, null, List.of(), true, false, null);
  }

  /** An object of the given fields, in the given order. */
  public static Schema object(Map<String, Schema> fields) {
    return new Schema(
        "object",
        null,
        new LinkedHashMap<>(fields),
        List.of(),
        null,
        null,
        List.of(),
        false,
        false,
        null);
  }

  /** A map from names to values of one schema ({@code additionalProperties}). */
  public static Schema mapOf(Schema value) {
    return new Schema("object", null, null, List.of(), null, value, List.of(), false, false, null);
  }

  /** An object whose content the schema does not describe ({@code preserve-unknown-fields}). */
  public static Schema anyObject() {
    return new Schema("object", null, null, List.of(), null, null, List.of(), false, true, null);
  }

  /** Any JSON value at all (a node with no type that keeps what it is given). */
  public static Schema anyValue() {
    return new Schema(null, null, null, List.of(), null, null, List.of(), false, true, null);
  }

  public static Schema listOf(Schema item) {
    return new Schema("array", null, null, List.of(), item, null, List.of(), false, false, null);
  }

  public Schema describedAs(String text) {
    return new Schema(
        type,
        text,
        properties,
        required,
        items,
        values,
        enumValues,
        intOrString,
        preserveUnknown,
        minimum);
  }

  public Schema requiring(String... fields) {
    return new Schema(
        type,
        description,
        properties,
        List.of(fields),
        items,
        values,
        enumValues,
        intOrString,
        preserveUnknown,
        minimum);
  }

  public Schema atLeast(long min) {
    return new Schema(
        type,
        description,
        properties,
        required,
        items,
        values,
        enumValues,
        intOrString,
        preserveUnknown,
        min);
  }

  /** As written into {@code openAPIV3Schema}. */
  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (description != null) {
      n.put("description", description);
    }
    if (type != null) {
      n.put("type", type);
    }
    if (!enumValues.isEmpty()) {
      enumValues.forEach(n.putArray("enum")::add);
    }
    if (minimum != null) {
      n.put("minimum", minimum);
    }
    if (properties != null) {
      ObjectNode p = n.putObject("properties");
      properties.forEach((k, v) -> p.set(k, v.toJson()));
    }
    if (!required.isEmpty()) {
      required.forEach(n.putArray("required")::add);
    }
    if (items != null) {
      n.set("items", items.toJson());
    }
    if (values != null) {
      n.set("additionalProperties", values.toJson());
    }
    if (intOrString) {
      n.put("x-kubernetes-int-or-string", true);
    }
    if (preserveUnknown) {
      n.put("x-kubernetes-preserve-unknown-fields", true);
    }
    return n;
  }
}
