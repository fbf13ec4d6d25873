package io.flotilla.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the server distributions are: {@code <home>/servers/<name>/target/lib/*.jar}, built by
 * {@code mvn -pl servers/<name> -am package}. The home is the system property {@code
 * flotilla.home}, else the nearest directory at or above the working directory that holds {@code
 * servers/pom.xml}.
 */
public final class Distributions {
  private final Path home;

  private Distributions(Path home) {
    this.home = home;
  }

  public static Distributions at(Path home) {
    return new Distributions(home.toAbsolutePath().normalize());
  }

  /**
   * @throws IllegalStateException when no Flotilla checkout can be found
   */
  public static Distributions locate() {
    String property = System.getProperty("flotilla.home");
    if (property != null) {
      return at(Path.of(property));
    }
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("servers/pom.xml"))) {
        return at(d);
      }
    }
    throw new IllegalStateException(
        "cannot find the Flotilla checkout (a directory holding servers/pom.xml) at or above "
            + dir
            + "; set -Dflotilla.home");
  }

  public Path home() {
    return home;
  }

  /**
   * The jars of a distribution, sorted.
   *
   * @throws IllegalStateException naming the command that builds it when it is not built
   */
  public List<Path> classpath(String name) {
    Path lib = home.resolve("servers").resolve(name).resolve("target/lib");
    List<Path> jars = List.of();
    if (Files.isDirectory(lib)) {
      try (Stream<Path> s = Files.list(lib)) {
        jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + lib + ": " + e.getMessage(), e);
      }
    }
    if (jars.isEmpty()) {
      throw new IllegalStateException(
          "the "
              + name
              + " distribution is not built: run mvn -q -pl servers/"
              + name
              + " -am package -f "
              + home.resolve("pom.xml"));
    }
    return jars;
  }

  /** The java launcher of the running JVM. */
  public static Path java() {
    Optional<String> command = ProcessHandle.current().info().command();
    if (command.isPresent()) {
      return Path.of(command.get());
    }
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }
}
