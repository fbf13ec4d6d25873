package io.flotilla.server;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.Middleware;
import io.flotilla.api.Problem;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.MemberClusterReader;
import io.flotilla.api.io.MiddlewareReader;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.OverridePolicyReader;
import io.flotilla.api.policy.PropagationPolicy;
import io.flotilla.api.policy.PropagationPolicyReader;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The kinds the API serves, with their URL names, scope, whether clients may write them, and the
 * reader that validates a written object. Shared by the server (routing) and its clients (paths and
 * the names users type).
 */
public enum ApiResource {
  MIDDLEWARES(
      "middlewares",
      Middleware.KIND,
      Scope.NAMESPACED,
      true,
      List.of("middleware", "mw"),
      m -> MiddlewareReader.read(m).problems()),
  MEMBERCLUSTERS(
      "memberclusters",
      MemberCluster.KIND,
      Scope.CLUSTER,
      true,
      List.of("membercluster", "mc", "cluster", "clusters"),
      m -> MemberClusterReader.read(m).problems()),
  PROPAGATIONPOLICIES(
      "propagationpolicies",
      PropagationPolicy.KIND,
      Scope.NAMESPACED,
      true,
      List.of("propagationpolicy", "pp"),
      m -> PropagationPolicyReader.read(m).problems()),
  OVERRIDEPOLICIES(
      "overridepolicies",
      OverridePolicy.KIND,
      Scope.NAMESPACED,
      true,
      List.of("overridepolicy", "op"),
      m -> OverridePolicyReader.read(m).problems()),
  /** Written by the propagation engine only; read-only through the API. */
  RESOURCEBINDINGS(
      "resourcebindings",
      "ResourceBinding",
      Scope.NAMESPACED,
      false,
      List.of("resourcebinding", "rb"),
      m -> List.of());

  /** Where an object of a kind lives. */
  public enum Scope {
    NAMESPACED,
    CLUSTER
  }

  /** The path every resource is under. */
  public static final String PREFIX = "/apis/" + ApiVersion.API_VERSION;

  private final String plural;
  private final String kind;
  private final Scope scope;
  private final boolean writable;
  private final List<String> aliases;
  private final Function<Manifest, List<Problem>> validator;

  ApiResource(
      String plural,
      String kind,
      Scope scope,
      boolean writable,
      List<String> aliases,
      Function<Manifest, List<Problem>> validator) {
    this.plural = plural;
    this.kind = kind;
    this.scope = scope;
    this.writable = writable;
    this.aliases = aliases;
    this.validator = validator;
  }

  public String plural() {
    return plural;
  }

  public String kind() {
    return kind;
  }

  public boolean namespaced() {
    return scope == Scope.NAMESPACED;
  }

  /** Whether clients may create, update and delete objects of this kind. */
  public boolean writable() {
    return writable;
  }

  /** "middleware.flotilla.io", as kubectl names a kind in its messages. */
  public String qualifiedName() {
    return kind.toLowerCase(Locale.ROOT) + "." + ApiVersion.GROUP;
  }

  /** The resource of a URL name ("middlewares"). */
  public static Optional<ApiResource> byPlural(String plural) {
    return Arrays.stream(values()).filter(r -> r.plural.equals(plural)).findFirst();
  }

  /** The resource of a kind ("Middleware"). */
  public static Optional<ApiResource> byKind(String kind) {
    return Arrays.stream(values()).filter(r -> r.kind.equals(kind)).findFirst();
  }

  /**
   * The resource a user means by a name, case-insensitively: the plural, the singular, the kind, or
   * a short name ("mw", "mc", "pp", "op", "rb").
   */
  public static Optional<ApiResource> byUserName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(
            r ->
                r.plural.equals(n)
                    || r.kind.toLowerCase(Locale.ROOT).equals(n)
                    || r.qualifiedName().equals(n)
                    || r.aliases.contains(n))
        .findFirst();
  }

  /** The names {@link #byUserName} accepts, for messages. */
  public static String userNames() {
    return String.join(
        ", ",
        Arrays.stream(values())
            .map(r -> r.aliases.get(0) + " (" + r.aliases.get(1) + ")")
            .toList());
  }

  /**
   * The path of the collection: in {@code namespace}, or of every namespace when it is empty (and
   * always for a cluster-scoped kind).
   */
  public String collectionPath(String namespace) {
    return namespaced() && !namespace.isEmpty()
        ? PREFIX + "/namespaces/" + namespace + "/" + plural
        : PREFIX + "/" + plural;
  }

  /** The path of one object. */
  public String objectPath(String namespace, String name) {
    return collectionPath(namespace) + "/" + name;
  }

  /**
   * Every problem of {@code object} as this kind's reader finds them, each naming its field; empty
   * when the object is valid.
   */
  public List<Problem> validate(JsonNode object, String where) {
    return validator.apply(new Manifest("request", where, object));
  }
}
