package io.flotilla.propagation.render;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** What rendering needs to know of a member cluster: its name and its labels. */
public record ClusterInfo(String name, SortedMap<String, String> labels) {
  public ClusterInfo {
    Objects.requireNonNull(name, "name");
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
  }

  public static ClusterInfo of(String name, Map<String, String> labels) {
    return new ClusterInfo(name, new TreeMap<>(labels));
  }

  public static ClusterInfo named(String name) {
    return new ClusterInfo(name, new TreeMap<>());
  }
}
