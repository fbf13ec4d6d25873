package io.flotilla.servers.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * One Kafka node in KRaft mode, run by Flotilla in a child JVM: formats its storage as {@code
 * kafka-storage format} does, on first start only, then runs the server in this JVM.
 *
 * <pre>
 * KafkaNode --config FILE FORMAT-OPTION...
 * </pre>
 *
 * The format options are {@code kafka-storage format}'s: {@code --cluster-id ID} and, for a node
 * that founds the quorum, {@code --initial-controllers id@host:port:directory,...}, or, for a node
 * that joins an existing quorum, {@code --no-initial-controllers}. Storage counts as formatted when
 * the metadata log directory holds {@code meta.properties}: a restarted node is never formatted
 * again (formatting twice could let a voter forget what it had acknowledged). Exits 1 when
 * formatting fails, 2 on bad usage.
 */
public final class KafkaNode {
  private KafkaNode() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || !args[0].equals("--config")) {
      System.err.println("usage: KafkaNode --config FILE [kafka-storage format options]");
      System.exit(2);
    }
    Path config = Path.of(args[1]);
    List<String> formatOptions = Arrays.asList(args).subList(2, args.length);
    Properties props = load(config);
    Set<String> dirs = logDirectories(props);
    String metadataDir = props.getProperty("metadata.log.dir", dirs.iterator().next()).strip();
    List<String> unformatted =
        dirs.stream().filter(d -> !Files.exists(Path.of(d, "meta.properties"))).toList();
    if (!unformatted.contains(metadataDir)) {
      System.err.println("KafkaNode: storage in " + metadataDir + " is formatted; not again");
      if (!unformatted.isEmpty()) {
        // a new, empty data directory: format it alone (the metadata directory is skipped)
        format(config, formatOptions, true);
      }
    } else {
      format(config, formatOptions, false);
    }
    kafka.Kafka.main(new String[] {config.toString()});
  }

  private static void format(Path config, List<String> options, boolean ignoreFormatted) {
    List<String> command = new ArrayList<>(List.of("format", "--config", config.toString()));
    command.addAll(options);
    if (ignoreFormatted) {
      command.add("--ignore-formatted");
    }
    System.err.println("KafkaNode: kafka-storage " + String.join(" ", command));
    int code;
    try {
      code = kafka.tools.StorageTool.execute(command.toArray(String[]::new), System.err);
    } catch (RuntimeException e) {
      System.err.println("KafkaNode: formatting the storage failed: " + e.getMessage());
      code = 1;
    }
    if (code != 0) {
      System.exit(1);
    }
  }

  private static Properties load(Path config) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return p;
  }

  /** {@code log.dirs} (or {@code log.dir}) and {@code metadata.log.dir}, in that order. */
  private static Set<String> logDirectories(Properties p) {
    Set<String> dirs = new LinkedHashSet<>();
    String logDirs = p.getProperty("log.dirs", p.getProperty("log.dir", "/tmp/kafka-logs"));
    for (String d : logDirs.split(",")) {
      if (!d.isBlank()) {
        dirs.add(d.strip());
      }
    }
    String metadata = p.getProperty("metadata.log.dir");
    if (metadata != null && !metadata.isBlank()) {
      dirs.add(metadata.strip());
    }
    return dirs;
  }
}
