package io.flotilla.middleware;

import java.util.Objects;

/**
 * What an adapter finds in a Middleware of its type: an error (the resource makes no sense, such as
 * Kafka without controllers) or a warning (it is only unwise, such as an even number of ZooKeeper
 * voters). Names the field and the rule.
 */
public record Finding(Severity severity, String path, String message) {
  /** Errors stop a resource; warnings become a condition on it. */
  public enum Severity {
    ERROR,
    WARNING
  }

  public Finding {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  public static Finding error(String path, String message) {
    return new Finding(Severity.ERROR, path, message);
  }

  public static Finding warning(String path, String message) {
    return new Finding(Severity.WARNING, path, message);
  }

  @Override
  public String toString() {
    return severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + path + ": " + message;
  }
}
