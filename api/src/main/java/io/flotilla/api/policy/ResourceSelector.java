package io.flotilla.api.policy;

import io.flotilla.api.LabelSelector;
import java.util.Objects;
import java.util.Optional;

/**
 * Selects resource templates for a policy, as Karmada's {@code ResourceSelector}: by {@code
 * apiVersion} and {@code kind} (both required), and optionally by {@code namespace}, {@code name}
 * and {@code labelSelector}. An empty {@code namespace} or {@code name}, or an absent {@code
 * labelSelector}, matches any. Every field given must match; a present but empty label selector
 * ({@code labelSelector: {}}) matches every object, as a Kubernetes selector does.
 */
public record ResourceSelector(
    String apiVersion,
    String kind,
    String namespace,
    String name,
    Optional<LabelSelector> labelSelector) {
  public ResourceSelector {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(labelSelector, "labelSelector");
  }

  /** A selector of every object of one kind. */
  public static ResourceSelector ofKind(String apiVersion, String kind) {
    return new ResourceSelector(apiVersion, kind, "", "", Optional.empty());
  }

  /** A selector of one object by name. */
  public static ResourceSelector named(String apiVersion, String kind, String name) {
    return new ResourceSelector(apiVersion, kind, "", name, Optional.empty());
  }

  /** A selector of the objects of one kind whose labels match. */
  public static ResourceSelector labelled(
      String apiVersion, String kind, LabelSelector labelSelector) {
    return new ResourceSelector(apiVersion, kind, "", "", Optional.of(labelSelector));
  }
}
