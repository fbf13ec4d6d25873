package io.flotilla.server;

import io.flotilla.api.Problem;
import java.util.List;

/**
 * A request the API refuses: the HTTP status, a short machine-readable reason, a message naming the
 * object, and every problem found, each naming its field. Written as the error body of {@code
 * docs/api.md}.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;
  private final transient List<Problem> problems;

  ApiException(int status, String reason, String message, List<Problem> problems) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.problems = List.copyOf(problems);
  }

  static ApiException badRequest(String field, String message) {
    return new ApiException(
        400, "BadRequest", field + ": " + message, List.of(new Problem(field, message)));
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "NotFound", message, List.of());
  }

  int status() {
    return status;
  }

  String reason() {
    return reason;
  }

  List<Problem> problems() {
    return problems;
  }
}
