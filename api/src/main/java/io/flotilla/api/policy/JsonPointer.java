package io.flotilla.api.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A JSON pointer (RFC 6901) such as {@code /spec/template/spec/containers/0/image}: the path of a
 * plaintext override or of an image predicate. Held as its decoded reference tokens; {@link
 * #toString()} writes it back with {@code ~} escaped as {@code ~0} and {@code /} as {@code ~1}.
 */
public record JsonPointer(List<String> tokens) {
  /** The whole document (the pointer {@code ""}). */
  public static final JsonPointer ROOT = new JsonPointer(List.of());

  public JsonPointer {
    tokens = List.copyOf(tokens);
  }

  /** A pointer from its decoded tokens: {@code of("metadata", "labels", "app/name")}. */
  public static JsonPointer of(String... tokens) {
    return new JsonPointer(List.of(tokens));
  }

  /**
   * Parses pointer text.
   *
   * @throws IllegalArgumentException with the reason when it is no JSON pointer
   */
  public static JsonPointer parse(String text) {
    if (text.isEmpty()) {
      return ROOT;
    }
    if (text.charAt(0) != '/') {
      throw new IllegalArgumentException(
          "must be a JSON pointer starting with \"/\", got \"" + text + "\"");
    }
    List<String> out = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '/') {
        out.add(token.toString());
        token.setLength(0);
      } else if (c == '~') {
        char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
        if (next != '0' && next != '1') {
          throw new IllegalArgumentException(
              "\""
                  + text
                  + "\" has a \"~\" not followed by 0 or 1 at position "
                  + i
                  + ": write \"~\" as ~0 and \"/\" as ~1");
        }
        token.append(next == '0' ? '~' : '/');
        i++;
      } else {
        token.append(c);
      }
    }
    out.add(token.toString());
    return new JsonPointer(out);
  }

  /** The reason {@code text} is no JSON pointer, or empty when it is one. */
  public static Optional<String> check(String text) {
    try {
      parse(text);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  public boolean isRoot() {
    return tokens.isEmpty();
  }

  /** This pointer with one more token. */
  public JsonPointer append(String token) {
    List<String> t = new ArrayList<>(tokens);
    t.add(token);
    return new JsonPointer(t);
  }

  /** This pointer with an array index appended. */
  public JsonPointer append(int index) {
    return append(Integer.toString(index));
  }

  /** The pointer to the parent of what this one points at; the root has none. */
  public JsonPointer parent() {
    if (isRoot()) {
      throw new IllegalStateException("the root pointer has no parent");
    }
    return new JsonPointer(tokens.subList(0, tokens.size() - 1));
  }

  /** The last token; the root has none. */
  public String last() {
    if (isRoot()) {
      throw new IllegalStateException("the root pointer has no last token");
    }
    return tokens.get(tokens.size() - 1);
  }

  /** The pointer text, escaped: {@code /metadata/labels/app~1name}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (String t : tokens) {
      b.append('/').append(t.replace("~", "~0").replace("/", "~1"));
    }
    return b.toString();
  }
}
