package io.flotilla.api.io;

import io.flotilla.api.Names;
import io.flotilla.api.Problems;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Reads the fields of one JSON/YAML object, recording a {@link io.flotilla.api.Problem} with the
 * field's full path for every value of the wrong shape instead of stopping at the first. Absent and
 * {@code null} values read as absent. {@link #rejectUnknown()} reports the keys nobody asked for,
 * suggesting the nearest known one ("did you mean maxSkew?").
 */
public final class Fields {

  private final JsonNode node;
  private final String path;
  private final Problems problems;
  private final Set<String> asked = new LinkedHashSet<>();

  private Fields(JsonNode node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /** Reads {@code node} as the object at {@code path}; reports a problem if it is no object. */
  public static Optional<Fields> of(JsonNode node, String path, Problems problems) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      problems.add(path, "must be an object, got " + describe(node));
      return Optional.empty();
    }
    return Optional.of(new Fields(node, path, problems));
  }

  public String path() {
    return path;
  }

  public Problems problems() {
    return problems;
  }

  /** The full path of a key of this object. */
  public String path(String key) {
    return child(path, key);
  }

  /** The full path of a key under {@code parent}, quoting keys that are not plain words. */
  public static String child(String parent, String key) {
    String k = plain(key) ? key : "[\"" + key + "\"]";
    if (parent.isEmpty()) {
      return k;
    }
    return k.startsWith("[") ? parent + k : parent + "." + k;
  }

  /** A key written as it is in a path: letters, digits, '_' and '-' (at least one). */
  private static boolean plain(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(Names.isAsciiLetterOrDigit(c) || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  public static String index(String parent, int i) {
    return parent + "[" + i + "]";
  }

  public boolean has(String key) {
    asked.add(key);
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  private JsonNode get(String key) {
    asked.add(key);
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  /** A string; numbers and booleans are refused. */
  public Optional<String> string(String key) {
    JsonNode v = get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isString()) {
      problems.add(path(key), "must be a string, got " + describe(v));
      return Optional.empty();
    }
    return Optional.of(v.stringValue());
  }

  /** A string, or a number or boolean taken as its text (for fields such as a version). */
  public Optional<String> scalarText(String key) {
    JsonNode v = get(key);
    if (v == null) {
      return Optional.empty();
    }
    return scalarText(v, path(key), problems);
  }

  static Optional<String> scalarText(JsonNode v, String path, Problems problems) {
    if (v.isString()) {
      return Optional.of(v.stringValue());
    }
    if (v.isNumber() && !isFinite(v)) {
      problems.add(path, "must be a finite number, got " + describe(v));
      return Optional.empty();
    }
    if (v.isNumber()) {
      return Optional.of(v.isIntegralNumber() ? v.bigIntegerValue().toString() : plain(v));
    }
    if (v.isBoolean()) {
      return Optional.of(Boolean.toString(v.booleanValue()));
    }
    problems.add(path, "must be a string or a number, got " + describe(v));
    return Optional.empty();
  }

  /** False for YAML's .inf, -.inf and .nan, which have no exact decimal value. */
  private static boolean isFinite(JsonNode v) {
    return !(v.isDouble() || v.isFloat()) || Double.isFinite(v.doubleValue());
  }

  /** A number as written: "3.0" stays "3.0", "1e3" becomes "1000". */
  private static String plain(JsonNode v) {
    if (!isFinite(v)) {
      double d = v.doubleValue();
      return Double.isNaN(d) ? ".nan" : d > 0 ? ".inf" : "-.inf";
    }
    return v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.decimalValue().toPlainString();
  }

  /** A required string: reports "required" when absent or empty. */
  public Optional<String> requiredString(String key) {
    if (!has(key)) {
      problems.add(path(key), "required");
      return Optional.empty();
    }
    Optional<String> s = string(key);
    if (s.isPresent() && s.get().isEmpty()) {
      problems.add(path(key), "required, got an empty string");
      return Optional.empty();
    }
    return s;
  }

  /** An integer; "3" (a string) and 3.5 are refused. */
  public OptionalInt integer(String key) {
    JsonNode v = get(key);
    if (v == null) {
      return OptionalInt.empty();
    }
    if (!v.isIntegralNumber()) {
      problems.add(path(key), "must be an integer, got " + describe(v));
      return OptionalInt.empty();
    }
    if (!v.canConvertToInt()) {
      problems.add(path(key), "is out of range: " + v.bigIntegerValue());
      return OptionalInt.empty();
    }
    return OptionalInt.of(v.intValue());
  }

  public Optional<Boolean> bool(String key) {
    JsonNode v = get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      problems.add(path(key), "must be true or false, got " + describe(v));
      return Optional.empty();
    }
    return Optional.of(v.booleanValue());
  }

  public Optional<Fields> object(String key) {
    JsonNode v = get(key);
    return v == null ? Optional.empty() : of(v, path(key), problems);
  }

  /** The raw value of a key, for readers with their own rules (quantities, shorthand forms). */
  public Optional<JsonNode> raw(String key) {
    return Optional.ofNullable(get(key));
  }

  /** A list of objects; elements that are not objects are reported and skipped. */
  public List<Fields> objectList(String key) {
    List<Fields> out = new ArrayList<>();
    for (Element e : list(key)) {
      of(e.node(), e.path(), problems).ifPresent(out::add);
      if (e.node().isNull()) {
        problems.add(e.path(), "must be an object, got null");
      }
    }
    return out;
  }

  /** A list of strings; elements that are not strings are reported and skipped. */
  public List<String> stringList(String key) {
    List<String> out = new ArrayList<>();
    for (Element e : list(key)) {
      if (e.node().isString()) {
        out.add(e.node().stringValue());
      } else {
        problems.add(e.path(), "must be a string, got " + describe(e.node()));
      }
    }
    return out;
  }

  /** One element of a list with its path ({@code spec.tolerations[2]}). */
  public record Element(JsonNode node, String path) {}

  public List<Element> list(String key) {
    JsonNode v = get(key);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      problems.add(path(key), "must be a list, got " + describe(v));
      return List.of();
    }
    List<Element> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      out.add(new Element(v.get(i), index(path(key), i)));
    }
    return out;
  }

  /** A map of string to string, sorted by key; numbers and booleans are taken as their text. */
  public SortedMap<String, String> stringMap(String key) {
    SortedMap<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : entries(key)) {
      String p = child(path(key), e.getKey());
      if (e.getValue().isContainer()) {
        problems.add(p, "must be a string, got " + describe(e.getValue()));
      } else if (!e.getValue().isNull()) {
        scalarText(e.getValue(), p, problems).ifPresent(s -> out.put(e.getKey(), s));
      }
    }
    return out;
  }

  /** The entries of an object-valued key, in document order. */
  public List<Map.Entry<String, JsonNode>> entries(String key) {
    JsonNode v = get(key);
    if (v == null) {
      return List.of();
    }
    if (!v.isObject()) {
      problems.add(path(key), "must be an object, got " + describe(v));
      return List.of();
    }
    return new ArrayList<>(v.properties());
  }

  /** Marks keys as known without reading them (server-set metadata, say). */
  public void ignore(String... keys) {
    Collections.addAll(asked, keys);
  }

  /** Reports every key that no accessor asked for. */
  public void rejectUnknown() {
    for (String key : node.propertyNames()) {
      if (!asked.contains(key)) {
        String hint = Suggest.nearest(key, asked).map(s -> "; did you mean " + s + "?").orElse("");
        problems.add(path(key), "unknown field" + hint);
      }
    }
  }

  /** A short description of a value for messages: {@code string "abc"}, {@code a list}. */
  public static String describe(JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isString()) {
      return "string \"" + v.stringValue() + "\"";
    }
    if (v.isNumber()) {
      return "number " + plain(v);
    }
    if (v.isBoolean()) {
      return "boolean " + v.booleanValue();
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isObject()) {
      return "an object";
    }
    return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}
