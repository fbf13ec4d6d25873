package io.flotilla.store.file;

import io.flotilla.store.memory.StoreEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The log the store appends every change to before acknowledging it: segment files of records (see
 * {@link Entries}), each file starting with the magic {@code FLWAL001}. {@link #append} writes one
 * record and forces it to the disk ({@code fdatasync}) before it returns. {@link #rotate} starts a
 * new segment, so that a snapshot can replace the ones before it. Not thread-safe: the store's lock
 * guards it.
 */
final class WriteAheadLog implements AutoCloseable {
  static final byte[] MAGIC = "FLWAL001".getBytes(StandardCharsets.US_ASCII);

  private final DataDirectory dir;
  private FileChannel segment;
  private Path segmentPath;
  private long size;

  private WriteAheadLog(DataDirectory dir, Path segmentPath, FileChannel segment, long size) {
    this.dir = dir;
    this.segmentPath = segmentPath;
    this.segment = segment;
    this.size = size;
  }

  /**
   * Continues the segment {@code path}, whose valid part ends at {@code validEnd}: anything after
   * it (a torn tail) is cut off and the cut forced before anything is appended; a segment whose
   * very magic was cut short is written anew.
   */
  static WriteAheadLog resume(DataDirectory dir, Path path, long validEnd) {
    try {
      FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE);
      try {
        if (channel.size() != validEnd || validEnd == 0) {
          channel.truncate(validEnd);
          if (validEnd == 0) {
            Snapshots.writeFully(channel, ByteBuffer.wrap(MAGIC));
          }
          channel.force(true);
        }
        channel.position(channel.size());
        return new WriteAheadLog(dir, path, channel, channel.size());
      } catch (IOException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      throw DataDirectory.io("cannot open the log segment " + path, e);
    }
  }

  /** Starts a new, empty log whose first change will be {@code firstVersion}. */
  static WriteAheadLog start(DataDirectory dir, long firstVersion) {
    Path path = dir.segment(firstVersion);
    return new WriteAheadLog(dir, path, create(dir, path), MAGIC.length);
  }

  /** Appends a change and forces it to the disk; when this returns, the change survives a crash. */
  void append(StoreEvent event) throws IOException {
    ByteBuffer record = Frames.frame(Entries.encode(event));
    int length = record.remaining();
    Snapshots.writeFully(segment, record);
    segment.force(false);
    size += length;
  }

  /** Bytes in the current segment. */
  long size() {
    return size;
  }

  Path segmentPath() {
    return segmentPath;
  }

  /**
   * Closes the current segment (every record in it already forced) and continues in a new one whose
   * first change will be {@code firstVersion}; the new file and its name are durable before this
   * returns.
   */
  void rotate(long firstVersion) {
    Path next = dir.segment(firstVersion);
    FileChannel created = create(dir, next);
    FileChannel old = segment;
    segment = created;
    segmentPath = next;
    size = MAGIC.length;
    try {
      old.close();
    } catch (IOException e) {
      // every record in it was forced when it was written
    }
  }

  private static FileChannel create(DataDirectory dir, Path path) {
    try {
      FileChannel channel =
          FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Snapshots.writeFully(channel, ByteBuffer.wrap(MAGIC));
        channel.force(true);
      } catch (IOException e) {
        channel.close();
        Files.deleteIfExists(path);
        throw e;
      }
      dir.force();
      return channel;
    } catch (IOException e) {
      throw DataDirectory.io("cannot create the log segment " + path, e);
    }
  }

  @Override
  public void close() {
    try {
      segment.close();
    } catch (IOException e) {
      // every record was forced when it was written
    }
  }
}
