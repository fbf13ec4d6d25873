package io.flotilla.api.io;

import io.flotilla.api.Problem;
import java.util.List;
import java.util.Optional;

/** The result of reading one object: the object when it is valid, and every problem found. */
public record Decoded<T>(Optional<T> value, List<Problem> problems) {
  public Decoded {
    problems = List.copyOf(problems);
    if (value.isPresent() && !problems.isEmpty()) {
      throw new IllegalArgumentException("a decoded value must have no problems");
    }
  }

  public boolean isValid() {
    return value.isPresent();
  }
}
