package io.flotilla.api.policy;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.Problem;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.ManifestReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads the policies of one kind from a file's text (YAML documents, JSON, or {@code kind: List}),
 * reporting every problem of every policy at once, each prefixed by where the policy is ({@code
 * document 2 (OverridePolicy dc2-mirror)}). Namespace and name pairs must be unique.
 */
public final class PolicyLoader {
  private PolicyLoader() {}

  /**
   * Loads PropagationPolicies.
   *
   * @throws InvalidInputException naming each bad policy, field and reason
   */
  public static List<PropagationPolicy> propagationPolicies(String source, String text) {
    return load(
        source,
        text,
        PropagationPolicy.KIND,
        PropagationPolicyReader::read,
        p -> p.namespace() + "/" + p.name());
  }

  /**
   * Loads OverridePolicies.
   *
   * @throws InvalidInputException naming each bad policy, field and reason
   */
  public static List<OverridePolicy> overridePolicies(String source, String text) {
    return load(
        source,
        text,
        OverridePolicy.KIND,
        OverridePolicyReader::read,
        p -> p.namespace() + "/" + p.name());
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
                String first = seen.putIfAbsent(identity.apply(v), m.location());
                if (first != null) {
                  problems.add(
                      new Problem(
                          where + ": metadata.name", "duplicate of the policy in " + first));
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
