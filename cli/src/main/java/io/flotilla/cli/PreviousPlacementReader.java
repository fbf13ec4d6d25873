package io.flotilla.cli;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.Names;
import io.flotilla.api.Placement;
import io.flotilla.api.Problem;
import io.flotilla.api.Problems;
import io.flotilla.api.ShardPlacement;
import io.flotilla.api.io.Fields;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.scheduler.PreviousPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Reads a previous placement: the output of an earlier {@code flotilla schedule -o json} (or yaml).
 * Only {@code placement} and {@code shards} are read; the other keys of that output are allowed and
 * ignored.
 */
final class PreviousPlacementReader {
  private static final String[] OUTPUT_KEYS = {
    "scheduled",
    "unschedulable",
    "survivability",
    "skewExceeded",
    "displaced",
    "filtered",
    "headroom",
    "warnings",
    "middleware"
  };

  private PreviousPlacementReader() {}

  static PreviousPlacement read(String source, String text) {
    List<Manifest> docs = ManifestReader.read(source, text);
    if (docs.size() != 1) {
      throw new InvalidInputException(
          source, List.of(new Problem("", "must hold one placement object, found " + docs.size())));
    }
    Problems problems = new Problems();
    Fields root = Fields.of(docs.get(0).node(), "", problems).orElseThrow();
    Placement placement = placement(root);
    List<ShardPlacement> shards = shards(root);
    root.ignore(OUTPUT_KEYS);
    root.rejectUnknown();
    if (!root.has("placement") && problems.isEmpty()) {
      problems.add("placement", "required: role → cluster → count, as printed by schedule -o json");
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(source, problems.list());
    }
    return new PreviousPlacement(placement, shards);
  }

  private static Placement placement(Fields root) {
    Placement.Builder b = Placement.builder();
    for (Map.Entry<String, JsonNode> role : root.entries("placement")) {
      String rolePath = Fields.child(root.path("placement"), role.getKey());
      Optional<Fields> counts = Fields.of(role.getValue(), rolePath, root.problems());
      Map<String, Integer> m = new TreeMap<>();
      counts.ifPresent(
          f -> {
            for (String cluster : role.getValue().propertyNames()) {
              String p = Fields.child(rolePath, cluster);
              Names.checkDnsSubdomain(cluster).ifPresent(r -> root.problems().add(p, r));
              OptionalInt n = f.integer(cluster);
              if (n.isPresent() && n.getAsInt() < 0) {
                root.problems().add(p, "must be >= 0, got " + n.getAsInt());
              } else {
                n.ifPresent(v -> m.put(cluster, v));
              }
            }
          });
      b.role(role.getKey(), m);
    }
    return b.build();
  }

  private static List<ShardPlacement> shards(Fields root) {
    List<ShardPlacement> out = new ArrayList<>();
    for (Fields s : root.objectList("shards")) {
      OptionalInt shard = s.integer("shard");
      if (!s.has("shard")) {
        s.problems().add(s.path("shard"), "required");
      } else if (shard.isPresent() && shard.getAsInt() < 0) {
        s.problems().add(s.path("shard"), "must be >= 0, got " + shard.getAsInt());
      }
      Optional<String> primary = s.requiredString("primary");
      List<String> replicas = s.stringList("replicas");
      s.rejectUnknown();
      if (shard.isPresent() && primary.isPresent()) {
        out.add(new ShardPlacement(shard.getAsInt(), primary.get(), replicas));
      }
    }
    return out;
  }
}
