package io.flotilla.api;

import java.util.Optional;

/**
 * Kubernetes' name rules. Each check returns the reason a name is invalid, or empty when it is
 * valid.
 */
public final class Names {
  private Names() {}

  /** An ASCII letter (either case) or digit. */
  public static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /**
   * Whether {@code s[from, to)} is lower-case letters, digits and '-', starting and ending with a
   * letter or digit ({@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}).
   */
  private static boolean isDnsLabel(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean lowerOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!lowerOrDigit && (c != '-' || i == from || i == to - 1)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code s} is letters, digits, '-', '_' and '.', starting and ending with a letter or
   * digit ({@code ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]}).
   */
  private static boolean isLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    int last = s.length() - 1;
    for (int i = 0; i <= last; i++) {
      char c = s.charAt(i);
      if (!isAsciiLetterOrDigit(c) && ((c != '-' && c != '_' && c != '.') || i == 0 || i == last)) {
        return false;
      }
    }
    return true;
  }

  /** RFC 1123 label: lower-case alphanumerics and '-', at most 63 characters. */
  public static Optional<String> checkDnsLabel(String name) {
    if (name.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (name.length() > 63) {
      return Optional.of("must be at most 63 characters, got " + name.length());
    }
    if (!isDnsLabel(name, 0, name.length())) {
      return Optional.of(
          "\""
              + name
              + "\" is not a DNS label: use lower-case letters, digits and '-', starting and"
              + " ending with a letter or digit");
    }
    return Optional.empty();
  }

  /**
   * RFC 1123 subdomain as Kubernetes checks it: dot-separated parts of lower-case alphanumerics and
   * '-', at most 253 characters in all.
   */
  public static Optional<String> checkDnsSubdomain(String name) {
    if (name.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (name.length() > 253) {
      return Optional.of("must be at most 253 characters, got " + name.length());
    }
    int from = 0;
    while (from <= name.length()) {
      int dot = name.indexOf('.', from);
      int to = dot < 0 ? name.length() : dot;
      if (!isDnsLabel(name, from, to)) {
        return Optional.of(
            "\""
                + name
                + "\" is not a DNS subdomain: use lower-case letters, digits, '-' and '.',"
                + " starting and ending with a letter or digit");
      }
      from = to + 1;
    }
    return Optional.empty();
  }

  /** A label or taint key: an optional DNS-subdomain prefix and '/', then a name. */
  public static Optional<String> checkQualifiedName(String key) {
    if (key.isEmpty()) {
      return Optional.of("must not be empty");
    }
    int slash = key.indexOf('/');
    String name = key;
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      Optional<String> p = checkDnsSubdomain(prefix);
      if (p.isPresent()) {
        return Optional.of("prefix of \"" + key + "\" " + p.get());
      }
    }
    if (name.length() > 63 || !isLabelName(name)) {
      return Optional.of(
          "\""
              + key
              + "\" is not a valid key: a name of at most 63 letters, digits, '-', '_' or '.',"
              + " optionally prefixed by a DNS subdomain and '/'");
    }
    return Optional.empty();
  }

  /** A label value: empty, or at most 63 letters, digits, '-', '_' or '.'. */
  public static Optional<String> checkLabelValue(String value) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.length() > 63 || !isLabelName(value)) {
      return Optional.of(
          "\""
              + value
              + "\" is not a valid label value: at most 63 letters, digits, '-', '_' or '.',"
              + " starting and ending with a letter or digit");
    }
    return Optional.empty();
  }
}
