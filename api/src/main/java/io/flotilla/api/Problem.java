package io.flotilla.api;

import java.util.Objects;

/**
 * One thing wrong with an input: the field it is in ({@code spec.replicaRequirements[1].maxSkew})
 * and why ({@code must be >= 1}).
 */
public record Problem(String path, String message) {
  public Problem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
