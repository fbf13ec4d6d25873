package io.flotilla.store.file;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.PackedObject;
import io.flotilla.store.GroupKind;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.ResourceVersions;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreException.Reason;
import io.flotilla.store.StoreHandler;
import io.flotilla.store.StoreHandler.Change;
import io.flotilla.store.StoreWatch;
import io.flotilla.store.file.Snapshots.Snapshot;
import io.flotilla.store.memory.InMemoryObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore.Recovered;
import io.flotilla.store.memory.StoreEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded mode's durable {@link ObjectStore}: objects in memory, every change appended to a
 * write-ahead log and forced to the disk before it is made, seen or acknowledged, and the log
 * compacted now and then into a snapshot. A {@code kill -9} (or a power cut) at any moment loses no
 * acknowledged write and leaves no torn object: reopening loads the latest snapshot, replays the
 * log after it and cuts off a torn last record (a write that never returned). Resource versions go
 * on from where they were; uids stay. One process at a time holds a data directory (an OS file
 * lock).
 *
 * <p>Watches from a version replay the changes kept in memory: after a reopen, those in the log
 * since the latest snapshot (at most {@link Settings#historySize}); older ones are GONE. The file
 * format and crash analysis are in docs/store.md.
 */
public final class FileObjectStore implements ObjectStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileObjectStore.class);

  private final DataDirectory dir;
  private final Settings settings;
  private final WriteAheadLog wal;
  private final Map<Key, PackedObject> objects;
  private final InMemoryObjectStore memory;
  private final ExecutorService compactor;
  private volatile boolean compacting;
  private StoreException failure;
  private boolean closed;

  /**
   * How a store keeps its data.
   *
   * @param historySize how many of the latest changes watches from a version can start within
   * @param compactAfterBytes the log segment size after which the store writes a snapshot and
   *     starts a new segment
   * @param uids gives each created object's metadata.uid
   */
  public record Settings(int historySize, long compactAfterBytes, Supplier<UUID> uids) {
    /** 10,000 changes of history, a snapshot every 64 MiB of log, random uids. */
    public static final Settings DEFAULT =
        new Settings(InMemoryObjectStore.DEFAULT_HISTORY, 64L << 20, UUID::randomUUID);

    public Settings {
      if (historySize < 0) {
        throw new IllegalArgumentException("a history keeps 0 or more changes, not " + historySize);
      }
      if (compactAfterBytes <= 0) {
        throw new IllegalArgumentException(
            "compactAfterBytes must be positive, not " + compactAfterBytes);
      }
      Objects.requireNonNull(uids, "uids");
    }

    public Settings withHistorySize(int changes) {
      return new Settings(changes, compactAfterBytes, uids);
    }

    public Settings withCompactAfterBytes(long bytes) {
      return new Settings(historySize, bytes, uids);
    }
  }

  private FileObjectStore(
      Clock clock, DataDirectory dir, Settings settings, Loaded loaded, WriteAheadLog wal) {
    this.dir = dir;
    this.settings = settings;
    this.wal = wal;
    this.objects = loaded.objects;
    this.compactor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "store-compactor-" + dir.path().getFileName());
              t.setDaemon(true);
              return t;
            });
    List<PackedObject> current = new ArrayList<>(objects.values());
    this.memory =
        new InMemoryObjectStore(
            clock,
            settings.historySize(),
            settings.uids(),
            new Recovered(loaded.version, current, loaded.historyFrom, loaded.history),
            this::journal);
  }

  /** Opens (creating it if needed) the store in {@code dataDir}, with {@link Settings#DEFAULT}. */
  public static FileObjectStore open(Path dataDir, Clock clock) {
    return open(dataDir, clock, Settings.DEFAULT);
  }

  /**
   * Opens (creating it if needed) the store in {@code dataDir}: locks the directory, loads the
   * latest snapshot, replays the log after it and cuts off a torn last record.
   *
   * @throws StoreException IO naming the directory when another process holds it, and naming the
   *     file and offset when a file is damaged (anything but a torn last record)
   */
  public static FileObjectStore open(Path dataDir, Clock clock, Settings settings) {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(settings, "settings");
    DataDirectory dir = DataDirectory.lock(dataDir);
    try {
      dir.removeTemporaryFiles();
      Loaded loaded = load(dir);
      WriteAheadLog wal =
          loaded.lastSegment == null
              ? WriteAheadLog.start(dir, loaded.version + 1)
              : WriteAheadLog.resume(dir, loaded.lastSegment, loaded.lastSegmentEnd);
      LOG.atInfo()
          .addKeyValue("dataDir", dir.path())
          .addKeyValue("resourceVersion", loaded.version)
          .addKeyValue("objects", loaded.objects.size())
          .addKeyValue("replayed", loaded.history.size())
          .log("opened the store");
      return new FileObjectStore(clock, dir, settings, loaded, wal);
    } catch (RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  /** The data directory, absolute. */
  public Path dataDirectory() {
    return dir.path();
  }

  @Override
  public KubeObject create(KubeObject object) {
    return memory.create(object);
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    return memory.get(ref);
  }

  @Override
  public Optional<String> version(ObjectRef ref) {
    return memory.version(ref);
  }

  @Override
  public List<KubeObject> list(String apiVersion, String kind, String namespace) {
    return memory.list(apiVersion, kind, namespace);
  }

  /** Objects are held in this process: reads do no I/O. */
  @Override
  public boolean readsAreLocal() {
    return true;
  }

  @Override
  public List<ObjectRef> refs(String apiVersion, String kind, String namespace) {
    return memory.refs(apiVersion, kind, namespace);
  }

  @Override
  public Map<ObjectRef, String> versions(String apiVersion, String kind, String namespace) {
    return memory.versions(apiVersion, kind, namespace);
  }

  @Override
  public KubeObject update(KubeObject object) {
    return memory.update(object);
  }

  @Override
  public KubeObject updateStatus(KubeObject object) {
    return memory.updateStatus(object);
  }

  @Override
  public Optional<KubeObject> delete(ObjectRef ref) {
    return memory.delete(ref);
  }

  @Override
  public StoreWatch watch(
      String apiVersion, String kind, String fromResourceVersion, StoreHandler handler) {
    return memory.watch(apiVersion, kind, fromResourceVersion, handler);
  }

  @Override
  public String resourceVersion() {
    return memory.resourceVersion();
  }

  /**
   * Closes every watch, lets a snapshot being written finish, closes the log and releases the data
   * directory; may be called more than once.
   */
  @Override
  public void close() {
    memory.close();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    compactor.shutdown();
    try {
      if (!compactor.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.atWarn()
            .addKeyValue("dataDir", dir.path())
            .log("a snapshot was still being written when the store closed; it is redone later");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    wal.close();
    dir.close();
  }

  /**
   * Called by the in-memory store under its lock before each change is made: the change is forced
   * to the log, or the write fails and the store refuses every later write (after a failed write or
   * fsync, what is on the disk is unknown; reopening finds out).
   */
  private void journal(StoreEvent event) {
    if (failure != null) {
      throw new StoreException(
          Reason.IO,
          event.packed().ref(),
          "the store in "
              + dir.path()
              + " stopped taking writes after an earlier one failed ("
              + failure.getMessage()
              + "); close and reopen it",
          failure);
    }
    try {
      wal.append(event);
    } catch (IOException e) {
      failure =
          new StoreException(
              Reason.IO,
              event.packed().ref(),
              "cannot write "
                  + event.packed().ref()
                  + " to the log "
                  + wal.segmentPath()
                  + ": "
                  + e,
              e);
      throw failure;
    }
    Key key = Key.of(event.packed().ref());
    if (event.change() == Change.DELETED) {
      objects.remove(key);
    } else {
      objects.put(key, event.packed());
    }
    if (wal.size() >= settings.compactAfterBytes() && !compacting) {
      try {
        startCompaction(event.version());
      } catch (RuntimeException e) {
        // The change is durable: it must be made and acknowledged whatever compaction does.
        LOG.atWarn()
            .addKeyValue("dataDir", dir.path())
            .addKeyValue("resourceVersion", event.version())
            .setCause(e)
            .log("cannot start a compaction; it is retried at the next write");
      }
    }
  }

  /**
   * Continues the log in a new segment and writes a snapshot at {@code version} in the background;
   * once it is durable, the segments and snapshots before it go.
   */
  private void startCompaction(long version) {
    try {
      wal.rotate(version + 1);
    } catch (StoreException e) {
      LOG.atWarn()
          .addKeyValue("dataDir", dir.path())
          .addKeyValue("resourceVersion", version)
          .setCause(e)
          .log("cannot start a new log segment; the log keeps growing and compaction is retried");
      return;
    }
    List<PackedObject> state = new ArrayList<>(objects.values());
    state.sort(Comparator.comparingLong(FileObjectStore::versionOf));
    Snapshot snapshot = new Snapshot(version, state);
    compacting = true;
    compactor.execute(
        () -> {
          try {
            Snapshots.write(dir, snapshot);
            removeBefore(version);
            LOG.atInfo()
                .addKeyValue("dataDir", dir.path())
                .addKeyValue("resourceVersion", version)
                .addKeyValue("objects", state.size())
                .log("wrote a snapshot and removed the log before it");
          } catch (RuntimeException e) {
            LOG.atWarn()
                .addKeyValue("dataDir", dir.path())
                .addKeyValue("resourceVersion", version)
                .setCause(e)
                .log("cannot write a snapshot; the log is kept and compaction is retried");
          } finally {
            compacting = false;
          }
        });
  }

  /** Removes what a durable snapshot at {@code version} replaced. */
  private void removeBefore(long version) {
    try {
      for (long first : dir.segments()) {
        if (first <= version) {
          Files.deleteIfExists(dir.segment(first));
        }
      }
      for (long older : dir.snapshots()) {
        if (older < version) {
          Files.deleteIfExists(dir.snapshot(older));
        }
      }
    } catch (IOException e) {
      throw DataDirectory.io("cannot remove files replaced by the snapshot at " + version, e);
    }
    dir.force();
  }

  private static long versionOf(PackedObject o) {
    return ResourceVersions.parse(o.resourceVersion().orElseThrow());
  }

  // ---------------------------------------------------------------- recovery

  /** What the files hold: the objects, the version, the changes since the snapshot. */
  private static final class Loaded {
    final Map<Key, PackedObject> objects = new HashMap<>();
    final List<StoreEvent> history = new ArrayList<>();
    long version;
    long historyFrom;
    Path lastSegment;
    long lastSegmentEnd;
  }

  private static Loaded load(DataDirectory dir) {
    Loaded loaded = new Loaded();
    Optional<Long> snapshotVersion = dir.latestSnapshot();
    if (snapshotVersion.isPresent()) {
      Snapshot snapshot = Snapshots.read(dir.snapshot(snapshotVersion.get()));
      snapshot.objects().forEach(o -> loaded.objects.put(Key.of(o.ref()), o));
      loaded.version = snapshot.version();
      loaded.historyFrom = snapshot.version();
    }
    List<Long> segments = dir.segments();
    long previous = 0;
    for (int i = 0; i < segments.size(); i++) {
      Path path = dir.segment(segments.get(i));
      boolean last = i == segments.size() - 1;
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(path);
      } catch (IOException e) {
        throw DataDirectory.io("cannot read the log segment " + path, e);
      }
      Frames.Read read = Frames.read(path, bytes, WriteAheadLog.MAGIC, last);
      for (byte[] payload : read.records()) {
        StoreEvent event = Entries.decode(path, payload);
        if (event.version() <= previous) {
          throw Frames.corrupt(
              path, 0, "version " + event.version() + " follows version " + previous);
        }
        previous = event.version();
        if (event.version() <= loaded.historyFrom) {
          continue;
        }
        if (event.version() != loaded.version + 1) {
          throw Frames.corrupt(
              path,
              0,
              "the changes after version "
                  + loaded.version
                  + " are missing (the next one kept is "
                  + event.version()
                  + ")");
        }
        Key key = Key.of(event.packed().ref());
        if (event.change() == Change.DELETED) {
          loaded.objects.remove(key);
        } else {
          loaded.objects.put(key, event.packed());
        }
        loaded.version = event.version();
        loaded.history.add(event);
      }
      if (last) {
        if (read.torn()) {
          LOG.atWarn()
              .addKeyValue("file", path)
              .addKeyValue("validBytes", read.validEnd())
              .addKeyValue("tornBytes", bytes.length - read.validEnd())
              .log("cutting off a torn last record (a write that was never acknowledged)");
        }
        loaded.lastSegment = path;
        loaded.lastSegmentEnd = read.validEnd();
      }
    }
    return loaded;
  }

  /** An object's identity within the store: kind and group, namespace, name. */
  private record Key(GroupKind kind, String namespace, String name) {
    static Key of(ObjectRef ref) {
      return new Key(GroupKind.of(ref), ref.namespace(), ref.name());
    }
  }
}
