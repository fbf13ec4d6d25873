package io.flotilla.api;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kubernetes' name rules. Each check returns the reason a name is invalid, or empty when it is
 * valid.
 */
public final class Names {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private Names() {}

  /** RFC 1123 label: lower-case alphanumerics and '-', at most 63 characters. */
  public static Optional<String> checkDnsLabel(String name) {
    if (name.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (name.length() > 63) {
      return Optional.of("must be at most 63 characters, got " + name.length());
    }
    if (!DNS_LABEL.matcher(name).matches()) {
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
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty() || !DNS_LABEL.matcher(part).matches()) {
        return Optional.of(
            "\""
                + name
                + "\" is not a DNS subdomain: use lower-case letters, digits, '-' and '.',"
                + " starting and ending with a letter or digit");
      }
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
    if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
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
    if (value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
      return Optional.of(
          "\""
              + value
              + "\" is not a valid label value: at most 63 letters, digits, '-', '_' or '.',"
              + " starting and ending with a letter or digit");
    }
    return Optional.empty();
  }
}
