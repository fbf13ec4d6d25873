package io.flotilla.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What is known of a member cluster: its conditions and its resource summary. */
public record MemberClusterStatus(
    List<Condition> conditions, Optional<ResourceSummary> resourceSummary) {
  public static final String READY = "Ready";

  public MemberClusterStatus {
    conditions = List.copyOf(conditions);
    Objects.requireNonNull(resourceSummary, "resourceSummary");
  }

  public static MemberClusterStatus empty() {
    return new MemberClusterStatus(List.of(), Optional.empty());
  }

  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
  }
}
