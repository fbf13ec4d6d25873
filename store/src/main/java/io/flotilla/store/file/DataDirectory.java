package io.flotilla.store.file;

import io.flotilla.store.StoreException;
import io.flotilla.store.StoreException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A store's data directory, held by one process at a time through an OS lock on its {@code
 * store.lock} file (released by the OS when the process dies, however it dies). Names its files:
 * log segments {@code wal-<first version>.log} and snapshots {@code snapshot-<version>.snap}, the
 * versions zero-padded to 20 digits so that names sort as numbers; {@code *.tmp} files are
 * snapshots being written.
 */
final class DataDirectory implements AutoCloseable {
  static final String LOCK_FILE = "store.lock";
  private static final Pattern SEGMENT = Pattern.compile("wal-(\\d{20})\\.log");
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{20})\\.snap");

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Creates the directory if needed and locks it.
   *
   * @throws StoreException IO naming the directory when another process (or another store in this
   *     one) holds it, or it cannot be created
   */
  static DataDirectory lock(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    Path lockFile = absolute.resolve(LOCK_FILE);
    FileChannel channel = null;
    try {
      Files.createDirectories(absolute);
      channel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameProcess) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new StoreException(
            Reason.IO,
            null,
            "the data directory "
                + absolute
                + " is in use: another process (or another store in this process) holds its lock"
                + " file "
                + lockFile
                + "; stop it, or give this one another --data-dir");
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
      return new DataDirectory(absolute, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw io("cannot open the data directory " + absolute, e);
    }
  }

  Path path() {
    return dir;
  }

  Path segment(long firstVersion) {
    return dir.resolve("wal-%020d.log".formatted(firstVersion));
  }

  Path snapshot(long version) {
    return dir.resolve("snapshot-%020d.snap".formatted(version));
  }

  /** The log segments' first versions, in order. */
  List<Long> segments() {
    return versions(SEGMENT);
  }

  /** The snapshots' versions, in order. */
  List<Long> snapshots() {
    return versions(SNAPSHOT);
  }

  Optional<Long> latestSnapshot() {
    List<Long> all = snapshots();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Removes snapshots a crash left half-written. */
  void removeTemporaryFiles() {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw io("cannot list the data directory " + dir, e);
    }
  }

  /**
   * Makes the directory's entries (files created, renamed, removed) durable: without it a file's
   * name can be lost in a power cut though its contents were forced.
   */
  void force() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      throw io("cannot sync the data directory " + dir, e);
    }
  }

  private List<Long> versions(Pattern pattern) {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(
          p -> {
            Matcher m = pattern.matcher(p.getFileName().toString());
            if (m.matches()) {
              out.add(Long.parseLong(m.group(1)));
            }
          });
    } catch (IOException e) {
      throw io("cannot list the data directory " + dir, e);
    }
    out.sort(null);
    return out;
  }

  /** Releases the lock. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // the channel's close below releases it too
    }
    closeQuietly(lockChannel);
  }

  static StoreException io(String message, IOException cause) {
    return new StoreException(Reason.IO, null, message + ": " + cause, cause);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }
}
