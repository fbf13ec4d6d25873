package io.flotilla.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.KubeObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compares rendered objects with golden files under {@code src/test/resources/golden}: one JSON
 * file per cluster holding the cluster's objects in order. Run the tests with {@code
 * -Dgolden.update=true} to write the files from the current output (then review the diff).
 */
public final class GoldenFiles {
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final Path ROOT = Path.of("src/test/resources/golden");

  private GoldenFiles() {}

  /** Checks (or, with -Dgolden.update=true, writes) {@code golden/<dir>/<cluster>.json}. */
  public static void check(String dir, Map<String, List<KubeObject>> byCluster) throws IOException {
    Path d = ROOT.resolve(dir);
    boolean update = Boolean.getBoolean("golden.update");
    if (update) {
      Files.createDirectories(d);
    }
    for (Map.Entry<String, List<KubeObject>> e : byCluster.entrySet()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (KubeObject o : e.getValue()) {
        ObjectNode json = o.json();
        array.add(json);
      }
      String actual = JSON.writeValueAsString(array) + "\n";
      Path file = d.resolve(e.getKey() + ".json");
      if (update) {
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      } else {
        assertThat(file)
            .as("golden file " + file + " (write it with -Dgolden.update=true)")
            .exists();
        assertThat(actual)
            .as(file.toString())
            .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    if (!update) {
      try (var files = Files.list(d)) {
        assertThat(
                files.map(p -> p.getFileName().toString().replace(".json", "")).sorted().toList())
            .as("clusters with golden files in " + d)
            .containsExactlyElementsOf(byCluster.keySet().stream().sorted().toList());
      }
    }
  }
}
