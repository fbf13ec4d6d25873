package io.flotilla.api.policy;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference {@code [registry/]repository[:tag][@digest]}, with the grammar of the
 * Docker distribution project's {@code reference} package, which Karmada's image overrider uses.
 * The first path component is the registry when it holds a {@code .} or a {@code :} or is {@code
 * localhost} ({@code registry.k8s.io/pause}, {@code localhost:5000/app}); otherwise the whole name
 * is the repository ({@code library/nginx}). Absent parts are empty strings.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  private static final int MAX_NAME_LENGTH = 255;
  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern DOMAIN_NAME =
      Pattern.compile(
          "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
              + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*");
  private static final Pattern IPV6 = Pattern.compile("\\[[a-fA-F0-9:]+\\]");
  private static final Pattern PORT = Pattern.compile("[0-9]+");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})");

  public ImageReference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
  }

  /**
   * Parses an image reference.
   *
   * @throws IllegalArgumentException saying why {@code image} is no valid reference
   */
  public static ImageReference parse(String image) {
    Objects.requireNonNull(image, "image");
    String name = image;
    String digest = "";
    int at = name.indexOf('@');
    if (at >= 0) {
      digest = name.substring(at + 1);
      name = name.substring(0, at);
      fail(image, checkDigest(digest));
    }
    String tag = "";
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      tag = name.substring(colon + 1);
      name = name.substring(0, colon);
      fail(image, checkTag(tag));
    }
    if (name.isEmpty()) {
      fail(image, Optional.of("it has no repository"));
    }
    if (name.length() > MAX_NAME_LENGTH) {
      fail(
          image,
          Optional.of(
              "its name is longer than "
                  + MAX_NAME_LENGTH
                  + " characters ("
                  + name.length()
                  + ")"));
    }
    String registry = "";
    String repository = name;
    int slash = name.indexOf('/');
    if (slash >= 0 && isRegistry(name.substring(0, slash))) {
      registry = name.substring(0, slash);
      repository = name.substring(slash + 1);
      fail(image, checkRegistry(registry));
    }
    fail(image, checkRepository(repository));
    return new ImageReference(registry, repository, tag, digest);
  }

  /** The reason {@code image} is no valid reference, or empty when it is one. */
  public static Optional<String> check(String image) {
    try {
      parse(image);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static void fail(String image, Optional<String> reason) {
    if (reason.isPresent()) {
      throw new IllegalArgumentException(
          "\"" + image + "\" is not a valid image reference: " + reason.get());
    }
  }

  /** Docker's rule: a first component with a '.' or ':', or "localhost", names a registry. */
  private static boolean isRegistry(String first) {
    return first.contains(".") || first.contains(":") || first.equals("localhost");
  }

  /** A registry: a host name, or an IPv6 address in brackets, with an optional port. */
  public static Optional<String> checkRegistry(String registry) {
    if (registry.isEmpty()) {
      return Optional.of("the registry is empty");
    }
    String host = registry;
    int colon = registry.lastIndexOf(':');
    if (colon >= 0 && colon > registry.lastIndexOf(']')) {
      String port = registry.substring(colon + 1);
      host = registry.substring(0, colon);
      if (!PORT.matcher(port).matches()) {
        return Optional.of("the registry \"" + registry + "\" has no valid port number");
      }
    }
    if (!DOMAIN_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
      return Optional.of(
          "the registry \""
              + registry
              + "\" is not a host name (letters, digits, '-' and '.') with an optional :port");
    }
    return Optional.empty();
  }

  /** A repository: lower-case path components separated by '/' ({@code karmada/controller}). */
  public static Optional<String> checkRepository(String repository) {
    if (repository.isEmpty()) {
      return Optional.of("the repository is empty");
    }
    for (String component : repository.split("/", -1)) {
      if (component.isEmpty()) {
        return Optional.of("the repository \"" + repository + "\" has an empty path component");
      }
      if (!PATH_COMPONENT.matcher(component).matches()) {
        boolean upper = PATH_COMPONENT.matcher(component.toLowerCase(Locale.ROOT)).matches();
        return Optional.of(
            upper
                ? "the repository \"" + repository + "\" must be lower case"
                : "the repository \""
                    + repository
                    + "\" has the invalid component \""
                    + component
                    + "\" (lower-case letters and digits, separated by '.', '_', '__' or '-')");
      }
    }
    return Optional.empty();
  }

  /** A tag: a word character, then up to 127 word characters, '.' or '-'. */
  public static Optional<String> checkTag(String tag) {
    if (TAG.matcher(tag).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        "the tag \""
            + tag
            + "\" is not a tag (up to 128 letters, digits, '_', '.' and '-', not starting with"
            + " '.' or '-')");
  }

  /** A digest such as {@code sha256:<64 hex digits>} (sha256, sha384 or sha512). */
  public static Optional<String> checkDigest(String digest) {
    var m = DIGEST.matcher(digest);
    if (!m.matches()) {
      return Optional.of(
          "the digest \"" + digest + "\" is not a digest such as sha256:<64 hex digits>");
    }
    String algorithm = m.group(1);
    String hex = m.group(2);
    int length =
        switch (algorithm) {
          case "sha256" -> 64;
          case "sha384" -> 96;
          case "sha512" -> 128;
          default -> -1;
        };
    if (length < 0) {
      return Optional.of(
          "the digest \""
              + digest
              + "\" uses the unsupported algorithm \""
              + algorithm
              + "\" (sha256, sha384 or sha512)");
    }
    if (hex.length() != length || !hex.equals(hex.toLowerCase(Locale.ROOT))) {
      return Optional.of(
          "the digest \""
              + digest
              + "\" must have "
              + length
              + " lower-case hex digits after \""
              + algorithm
              + ":\"");
    }
    return Optional.empty();
  }

  public static boolean isTag(String s) {
    return checkTag(s).isEmpty();
  }

  public static boolean isDigest(String s) {
    return checkDigest(s).isEmpty();
  }

  /** The reason {@code s} is neither a tag nor a digest, or empty when it is one of them. */
  public static Optional<String> checkTagOrDigest(String s) {
    if (isTag(s) || isDigest(s)) {
      return Optional.empty();
    }
    return Optional.of(
        "\""
            + s
            + "\" is neither a tag (such as v1.2.3) nor a digest (such as sha256:<64 hex"
            + " digits>)");
  }

  public ImageReference withRegistry(String r) {
    return new ImageReference(r, repository, tag, digest);
  }

  public ImageReference withRepository(String r) {
    return new ImageReference(registry, r, tag, digest);
  }

  public ImageReference withTag(String t) {
    return new ImageReference(registry, repository, t, digest);
  }

  public ImageReference withDigest(String d) {
    return new ImageReference(registry, repository, tag, d);
  }

  /** {@code [registry/]repository[:tag][@digest]}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    if (!registry.isEmpty()) {
      b.append(registry).append('/');
    }
    b.append(repository);
    if (!tag.isEmpty()) {
      b.append(':').append(tag);
    }
    if (!digest.isEmpty()) {
      b.append('@').append(digest);
    }
    return b.toString();
  }
}
