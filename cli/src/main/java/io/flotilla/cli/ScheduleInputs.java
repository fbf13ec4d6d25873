package io.flotilla.cli;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.Middleware;
import io.flotilla.api.Problem;
import io.flotilla.api.io.ObjectLoader;
import io.flotilla.middleware.Adapters;
import io.flotilla.middleware.Finding;
import io.flotilla.scheduler.PreviousPlacement;
import java.io.InputStream;
import java.util.List;

/**
 * What {@code schedule} and {@code render} read: the member clusters, one Middleware (checked
 * against its type's rules) and optionally the placement before.
 *
 * @param warnings what the type's rules call unwise
 */
record ScheduleInputs(
    List<MemberCluster> clusters,
    Middleware middleware,
    PreviousPlacement previous,
    List<Finding> warnings) {

  /**
   * @throws InvalidInputException naming the file, the field and the reason, for unreadable or
   *     invalid input and for a Middleware that breaks its type's rules
   */
  static ScheduleInputs read(
      String clustersFile, String middlewareFile, String previousFile, InputStream stdin) {
    if ("-".equals(clustersFile) && "-".equals(middlewareFile)) {
      throw new InvalidInputException(
          "--clusters and --middleware",
          List.of(new Problem("", "only one of them may read standard input")));
    }
    List<MemberCluster> clusters =
        ObjectLoader.memberClusters(clustersFile, InputFiles.read(clustersFile, stdin));
    List<Middleware> all =
        ObjectLoader.middlewares(middlewareFile, InputFiles.read(middlewareFile, stdin));
    if (all.size() != 1) {
      throw new InvalidInputException(
          middlewareFile,
          List.of(new Problem("", "must hold exactly one Middleware, found " + all.size())));
    }
    Middleware middleware = all.get(0);
    List<Finding> findings = Adapters.check(middleware);
    List<Problem> errors =
        findings.stream()
            .filter(f -> f.severity() == Finding.Severity.ERROR)
            .map(f -> new Problem(where(middleware) + f.path(), f.message()))
            .toList();
    if (!errors.isEmpty()) {
      throw new InvalidInputException(middlewareFile, errors);
    }
    PreviousPlacement previous = PreviousPlacement.NONE;
    if (previousFile != null) {
      previous = PreviousPlacementReader.read(previousFile, InputFiles.read(previousFile, stdin));
    }
    return new ScheduleInputs(
        clusters,
        middleware,
        previous,
        findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).toList());
  }

  private static String where(Middleware mw) {
    return "Middleware "
        + mw.metadata().namespace().map(n -> n + "/").orElse("")
        + mw.name()
        + ": ";
  }

  /** Prints the warnings, one per line, naming the Middleware and the field. */
  void printWarnings(java.io.PrintWriter err) {
    for (Finding f : warnings) {
      err.println("flotilla: warning: " + where(middleware) + f.path() + ": " + f.message());
    }
  }
}
