package io.flotilla.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes a sandbox started, one file per process ({@code <dir>/<pid>} holding its start
 * time), so that a sandbox started after a crash of the last one (a {@code kill -9}, a power cut)
 * kills what the last one left running before it starts anything. A pid is only killed when its
 * process still has the recorded start time: a reused pid is left alone.
 */
public final class PidFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PidFiles.class);

  private final Path dir;

  public PidFiles(Path dir) {
    this.dir = dir;
  }

  /** Records a process this sandbox started. */
  public void started(ProcessHandle p) {
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve(Long.toString(p.pid())), startOf(p).map(Instant::toString).orElse(""));
    } catch (IOException e) {
      LOG.atWarn()
          .addKeyValue("pid", p.pid())
          .log("cannot record a started process: {}", e.toString());
    }
  }

  /** Forgets a process that has ended. */
  public void ended(long pid) {
    try {
      Files.deleteIfExists(dir.resolve(Long.toString(pid)));
    } catch (IOException e) {
      LOG.atDebug().addKeyValue("pid", pid).log("cannot forget a process: {}", e.toString());
    }
  }

  /**
   * Kills (SIGKILL, with their descendants) the recorded processes still running, and forgets them
   * all.
   *
   * @return how many were killed
   */
  public int reap() {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int killed = 0;
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + dir, e);
    }
    for (Path f : files) {
      long pid;
      try {
        pid = Long.parseLong(f.getFileName().toString());
      } catch (NumberFormatException e) {
        continue;
      }
      String recorded;
      try {
        recorded = Files.readString(f).strip();
      } catch (IOException e) {
        recorded = "";
      }
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      if (p.isPresent()
          && p.get().isAlive()
          && !recorded.isEmpty()
          && startOf(p.get()).map(Instant::toString).orElse("").equals(recorded)) {
        p.get().descendants().forEach(ProcessHandle::destroyForcibly);
        p.get().destroyForcibly();
        killed++;
        LOG.atWarn()
            .addKeyValue("pid", pid)
            .log("killed a process a previous sandbox left running");
      }
      ended(pid);
    }
    return killed;
  }

  private static Optional<Instant> startOf(ProcessHandle p) {
    return p.info().startInstant();
  }
}
