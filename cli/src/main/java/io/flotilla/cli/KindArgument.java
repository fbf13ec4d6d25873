package io.flotilla.cli;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.Problem;
import io.flotilla.server.ApiResource;
import java.util.List;

/** The kind a user names on the command line ("middleware", "mw", "memberclusters", ...). */
final class KindArgument {
  private KindArgument() {}

  static ApiResource resolve(String name) {
    return ApiResource.byUserName(name)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "KIND",
                    List.of(
                        new Problem(
                            "",
                            "\""
                                + name
                                + "\" is not a kind the server serves; use one of "
                                + ApiResource.userNames()))));
  }
}
