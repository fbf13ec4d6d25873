package io.flotilla.api;

import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The part of Kubernetes object metadata Flotilla reads. {@code namespace} is empty when none. */
public record ObjectMeta(
    String name,
    Optional<String> namespace,
    SortedMap<String, String> labels,
    SortedMap<String, String> annotations) {
  public ObjectMeta {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    annotations = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }

  public static ObjectMeta named(String name) {
    return new ObjectMeta(name, Optional.empty(), new TreeMap<>(), new TreeMap<>());
  }

  public ObjectMeta withLabels(SortedMap<String, String> newLabels) {
    return new ObjectMeta(name, namespace, newLabels, annotations);
  }
}
