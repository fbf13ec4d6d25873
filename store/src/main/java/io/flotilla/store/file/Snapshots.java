package io.flotilla.store.file;

import io.flotilla.api.PackedObject;
import io.flotilla.store.GroupKind;
import io.flotilla.store.ResourceVersions;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreHandler.Change;
import io.flotilla.store.memory.StoreEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshots: every object of the store at one version, so that the log before it can go. A snapshot
 * file is the magic {@code FLSNAP01}, a record of the version (8 bytes) and the object count (4
 * bytes), then one record per object (as a log entry: its version, ADDED, its JSON). Written to a
 * temporary file, forced, renamed over its final name atomically, then the directory forced: a
 * snapshot under its final name is always whole.
 */
final class Snapshots {
  static final byte[] MAGIC = "FLSNAP01".getBytes(StandardCharsets.US_ASCII);

  private Snapshots() {}

  /** The store at a version. */
  record Snapshot(long version, List<PackedObject> objects) {}

  /** Writes a snapshot durably (temporary file, force, atomic rename, directory force). */
  static void write(DataDirectory dir, Snapshot snapshot) {
    Path target = dir.snapshot(snapshot.version());
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(out, ByteBuffer.wrap(MAGIC));
      writeFully(
          out,
          Frames.frame(
              ByteBuffer.allocate(12)
                  .putLong(snapshot.version())
                  .putInt(snapshot.objects().size())
                  .array()));
      for (PackedObject o : snapshot.objects()) {
        long version = ResourceVersions.parse(o.resourceVersion().orElseThrow());
        writeFully(
            out,
            Frames.frame(
                Entries.encode(new StoreEvent(version, GroupKind.of(o.ref()), Change.ADDED, o))));
      }
      out.force(true);
    } catch (IOException e) {
      throw DataDirectory.io("cannot write the snapshot " + tmp, e);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw DataDirectory.io("cannot rename the snapshot " + tmp + " to " + target, e);
    }
    dir.force();
  }

  /**
   * Reads a snapshot; it must be whole.
   *
   * @throws StoreException IO naming the file when it is damaged
   */
  static Snapshot read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw DataDirectory.io("cannot read the snapshot " + file, e);
    }
    List<byte[]> records = Frames.read(file, bytes, MAGIC, false).records();
    if (records.isEmpty() || records.get(0).length != 12) {
      throw Frames.corrupt(file, MAGIC.length, "no snapshot header");
    }
    ByteBuffer header = ByteBuffer.wrap(records.get(0));
    long version = header.getLong();
    int count = header.getInt();
    if (count != records.size() - 1) {
      throw Frames.corrupt(
          file,
          MAGIC.length,
          "the header counts " + count + " objects, the file holds " + (records.size() - 1));
    }
    List<PackedObject> objects = new ArrayList<>(count);
    for (byte[] r : records.subList(1, records.size())) {
      StoreEvent e = Entries.decode(file, r);
      if (e.version() > version) {
        throw Frames.corrupt(
            file, 0, e.packed().ref() + " is at version " + e.version() + ", after " + version);
      }
      objects.add(e.packed());
    }
    return new Snapshot(version, objects);
  }

  static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }
}
