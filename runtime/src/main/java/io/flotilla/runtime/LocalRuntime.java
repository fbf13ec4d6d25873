package io.flotilla.runtime;

import io.flotilla.middleware.LocalLaunch;
import io.flotilla.middleware.LocalLaunch.Program;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs middleware instances as local processes, as their adapters describe ({@link LocalLaunch}):
 * native servers found on PATH, or server distributions in child JVMs with their own classpath.
 * Each instance runs in its own directory with its output in {@code instance.log}, in a minimal
 * environment. Every process still running when the JVM exits is killed.
 */
public final class LocalRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(LocalRuntime.class);
  private static final Set<RunningInstance> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(RunningInstance::kill), "local-runtime-reaper"));
  }

  private final Distributions distributions;

  public LocalRuntime(Distributions distributions) {
    this.distributions = distributions;
  }

  public Distributions distributions() {
    return distributions;
  }

  /**
   * Writes the instance's files (configuration always, seed files only when absent) and starts it.
   * Does not wait for it to be ready: see {@link RunningInstance#awaitReady()}.
   *
   * @throws LocalRuntimeException when a file cannot be written or the program cannot start (naming
   *     what to install when a native server is missing)
   */
  public RunningInstance start(String name, LocalLaunch launch, Path directory) {
    try {
      Files.createDirectories(directory);
      write(directory, launch.files(), true);
      write(directory, launch.seedFiles(), false);
    } catch (IOException e) {
      throw new LocalRuntimeException(
          name + ": cannot write its files under " + directory + ": " + e.getMessage(), e);
    }
    List<String> command = command(name, launch);
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    Path log = directory.resolve("instance.log");
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = pb.environment();
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.clear();
    env.put("PATH", path);
    env.put("LANG", "C.UTF-8");
    env.put("HOME", directory.toString());
    env.putAll(launch.environment());
    try {
      long logStart = Files.exists(log) ? Files.size(log) : 0;
      Process p = pb.start();
      RunningInstance instance =
          new RunningInstance(name, launch, directory, log, logStart, p, LIVE::remove);
      LIVE.add(instance);
      LOG.atInfo()
          .addKeyValue("instance", name)
          .addKeyValue("pid", p.pid())
          .addKeyValue("directory", directory)
          .log("started");
      return instance;
    } catch (IOException e) {
      throw new LocalRuntimeException(
          name + ": cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path directory, Map<String, String> files, boolean overwrite)
      throws IOException {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path target = directory.resolve(f.getKey()).normalize();
      if (!target.startsWith(directory)) {
        throw new IOException("file " + f.getKey() + " would be outside the instance's directory");
      }
      if (!overwrite && Files.exists(target)) {
        continue;
      }
      Files.createDirectories(target.getParent());
      Files.writeString(target, f.getValue(), StandardCharsets.UTF_8);
    }
  }

  private List<String> command(String name, LocalLaunch launch) {
    List<String> command = new ArrayList<>();
    if (launch.program() instanceof Program.Native n) {
      command.add(
          onPath(n)
              .orElseThrow(
                  () ->
                      new LocalRuntimeException(
                          name
                              + ": "
                              + n.executable()
                              + " is not installed: apt-get install -y "
                              + n.debianPackage())));
    } else {
      Program.Jvm jvm = (Program.Jvm) launch.program();
      command.add(Distributions.java().toString());
      command.addAll(jvm.jvmOptions());
      command.add("-cp");
      command.add(
          distributions.classpath(jvm.distribution()).stream()
              .map(Path::toString)
              .collect(Collectors.joining(File.pathSeparator)));
      command.add(jvm.mainClass());
    }
    command.addAll(launch.args());
    return command;
  }

  /** Where a native program is on PATH (also /usr/sbin, where Debian puts some servers). */
  static java.util.Optional<String> onPath(Program.Native n) {
    String path =
        System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/usr/bin:/sbin";
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, n.executable());
      if (Files.isExecutable(candidate)) {
        return java.util.Optional.of(candidate.toString());
      }
    }
    return java.util.Optional.empty();
  }
}
