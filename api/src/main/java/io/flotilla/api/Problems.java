package io.flotilla.api;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem found in an input, so that all of them are reported at once. */
public final class Problems {
  private final List<Problem> list = new ArrayList<>();

  public void add(String path, String message) {
    list.add(new Problem(path, message));
  }

  public void addAll(List<Problem> problems) {
    list.addAll(problems);
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public List<Problem> list() {
    return List.copyOf(list);
  }
}
