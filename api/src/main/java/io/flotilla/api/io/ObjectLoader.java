package io.flotilla.api.io;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.Middleware;
import io.flotilla.api.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads the objects of one kind from a file's text, reporting every problem of every object at
 * once, each prefixed by where the object is ({@code document 2 (MemberCluster c3)}).
 */
public final class ObjectLoader {
  private ObjectLoader() {}

  /**
   * Loads MemberClusters; names must be unique.
   *
   * @throws InvalidInputException naming each bad object, field and reason
   */
  public static List<MemberCluster> memberClusters(String source, String text) {
    return load(source, text, MemberCluster.KIND, MemberClusterReader::read, MemberCluster::name);
  }

  /**
   * Loads Middleware objects; namespace/name pairs must be unique.
   *
   * @throws InvalidInputException naming each bad object, field and reason
   */
  public static List<Middleware> middlewares(String source, String text) {
    return load(
        source,
        text,
        Middleware.KIND,
        MiddlewareReader::read,
        m -> m.metadata().namespace().orElse("") + "/" + m.name());
  }

  private static <T> List<T> load(
      String source,
      String text,
      String kind,
      Function<Manifest, Decoded<T>> reader,
      Function<T, String> identity) {
    List<Manifest> manifests = ManifestReader.read(source, text);
    List<Problem> problems = new ArrayList<>();
    List<T> out = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (Manifest m : manifests) {
      String ownKind = m.kind().isEmpty() ? kind : m.kind();
      String where =
          m.location() + (m.name().isEmpty() ? "" : " (" + ownKind + " " + m.name() + ")");
      if (!m.kind().equals(kind)) {
        String got = m.kind().isEmpty() ? "no kind" : "kind " + m.kind();
        problems.add(new Problem(where + ": kind", "expected " + kind + ", got " + got));
        continue;
      }
      Decoded<T> d = reader.apply(m);
      for (Problem p : d.problems()) {
        problems.add(
            new Problem(p.path().isEmpty() ? where : where + ": " + p.path(), p.message()));
      }
      d.value()
          .ifPresent(
              v -> {
                String id = identity.apply(v);
                String first = seen.putIfAbsent(id, m.location());
                if (first != null) {
                  problems.add(
                      new Problem(
                          where + ": metadata.name", "duplicate of the object in " + first));
                } else {
                  out.add(v);
                }
              });
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(source, problems);
    }
    if (out.isEmpty()) {
      throw new InvalidInputException(
          source, List.of(new Problem("", "holds no " + kind + " object")));
    }
    return out;
  }
}
