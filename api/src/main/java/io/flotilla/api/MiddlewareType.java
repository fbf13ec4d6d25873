package io.flotilla.api;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The middleware Flotilla runs, with the roles each knows. Voter roles are those whose members vote
 * for a quorum (DESIGN.md §4): losing a majority of them stops the service.
 */
public enum MiddlewareType {
  REDIS(
      "redis",
      List.of(
          RoleSpec.voter("master"),
          RoleSpec.member("slave"),
          RoleSpec.member("replica"),
          RoleSpec.voter("sentinel"))),
  ELASTICSEARCH(
      "elasticsearch",
      List.of(
          RoleSpec.voter("master"),
          RoleSpec.member("data"),
          RoleSpec.member("ingest"),
          RoleSpec.member("coordinating"))),
  KAFKA(
      "kafka",
      List.of(RoleSpec.voter("controller"), RoleSpec.member("broker"), RoleSpec.voter("combined"))),
  ROCKETMQ(
      "rocketmq",
      List.of(
          RoleSpec.member("nameserver"),
          RoleSpec.voter("controller"),
          RoleSpec.member("master"),
          RoleSpec.member("slave"))),
  ZOOKEEPER("zookeeper", List.of(RoleSpec.voter("participant"), RoleSpec.member("observer")));

  /** A role a type knows, and whether its members vote. */
  public record RoleSpec(String name, boolean voter) {
    static RoleSpec voter(String name) {
      return new RoleSpec(name, true);
    }

    static RoleSpec member(String name) {
      return new RoleSpec(name, false);
    }
  }

  private final String id;
  private final List<RoleSpec> roles;

  MiddlewareType(String id, List<RoleSpec> roles) {
    this.id = id;
    this.roles = roles;
  }

  /** The name used in manifests: "redis", "zookeeper", ... */
  public String id() {
    return id;
  }

  public List<RoleSpec> roles() {
    return roles;
  }

  public Optional<RoleSpec> role(String name) {
    return roles.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  public String roleNames() {
    return roles.stream().map(RoleSpec::name).collect(Collectors.joining(", "));
  }

  public static Optional<MiddlewareType> fromId(String id) {
    return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
  }

  public static String ids() {
    return Arrays.stream(values()).map(MiddlewareType::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
