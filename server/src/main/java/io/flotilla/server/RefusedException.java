package io.flotilla.server;

import io.flotilla.api.Problem;
import java.util.List;

/**
 * A change the control plane will not make as asked, with every reason, each naming the request's
 * field it is about (a relocation the scheduler would not accept, say). The API answers 422 {@code
 * Invalid} with these problems.
 */
public final class RefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public RefusedException(String message, List<Problem> problems) {
    super(message);
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
