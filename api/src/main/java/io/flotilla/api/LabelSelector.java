package io.flotilla.api;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** A Kubernetes label selector: every matchLabels entry and every expression must match. */
public record LabelSelector(
    SortedMap<String, String> matchLabels, List<LabelSelectorRequirement> matchExpressions) {
  public LabelSelector {
    matchLabels = Collections.unmodifiableSortedMap(new TreeMap<>(matchLabels));
    matchExpressions = List.copyOf(matchExpressions);
  }

  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (LabelSelectorRequirement r : matchExpressions) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    matchLabels.forEach(
        (k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
    for (LabelSelectorRequirement r : matchExpressions) {
      b.append(b.length() == 0 ? "" : ",");
      switch (r.operator()) {
        case In ->
            b.append(r.key()).append(" in (").append(String.join(",", r.values())).append(')');
        case NotIn ->
            b.append(r.key()).append(" notin (").append(String.join(",", r.values())).append(')');
        case Exists -> b.append(r.key());
        case DoesNotExist -> b.append('!').append(r.key());
      }
    }
    return b.toString();
  }
}
