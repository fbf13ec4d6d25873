package io.flotilla.store.kubernetes;

import java.util.List;
import java.util.Objects;

/**
 * One flotilla.io kind as a CustomResourceDefinition names and shows it.
 *
 * @param spec the schema of {@code spec}, from what the kind's reader accepts
 * @param columns what {@code kubectl get} shows besides the name (and the namespace); Age is added
 */
public record FlotillaKind(
    String kind,
    String plural,
    String singular,
    List<String> shortNames,
    boolean namespaced,
    Schema spec,
    List<Column> columns) {
  public static final String GROUP = "flotilla.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** A printer column: a header, a JSON path into the object, and its OpenAPI type. */
  public record Column(String name, String type, String jsonPath, String description) {
    public Column {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(jsonPath, "jsonPath");
      Objects.requireNonNull(description, "description");
    }

    /** The status of the condition of the given type ("True", "False", "Unknown"). */
    public static Column condition(String type, String description) {
      return new Column(
          type, "string", ".status.conditions[?(@.type==\"" + type + "\")].status", description);
    }
  }

  public FlotillaKind {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
    Objects.requireNonNull(singular, "singular");
    shortNames = List.copyOf(shortNames);
    Objects.requireNonNull(spec, "spec");
    columns = List.copyOf(columns);
  }

  /** The CustomResourceDefinition's name: {@code <plural>.flotilla.io}. */
  public String crdName() {
    return plural + "." + GROUP;
  }
}
