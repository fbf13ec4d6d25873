package io.flotilla.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.KubeObject;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreException.Reason;
import io.flotilla.store.file.FileObjectStore.Settings;
import io.flotilla.store.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a crash (or a damaged disk) leaves in a data directory, made by hand, and what opening it
 * does: a torn last record (a write that never returned) is cut off and the store opens with the
 * state before it; damage to anything acknowledged refuses to open, naming the file and offset.
 */
class FileObjectStoreRecoveryTest {
  private static final String FLOTILLA = "flotilla.io/v1alpha1";
  private static final String SEGMENT = "wal-00000000000000000001.log";

  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:15:30Z"));
  @TempDir Path temp;

  /** The store's objects before the last write, its version then, and the segment's bytes. */
  private List<KubeObject> before;

  private String versionBefore;
  private int lastRecordStart;
  private byte[] segment;

  private static KubeObject middleware(String name, int replicas) {
    return KubeObject.parse(
        """
        {"apiVersion": "flotilla.io/v1alpha1", "kind": "Middleware",
         "metadata": {"namespace": "payments", "name": "%s"},
         "spec": {"type": "zookeeper", "replicas": %d}}
        """
            .formatted(name, replicas));
  }

  private static KubeObject withReplicas(KubeObject o, int replicas) {
    return o.edit(n -> n.withObjectProperty("spec").put("replicas", replicas));
  }

  /** Three writes, then a last one (an update of b), each record's bytes known. */
  @BeforeEach
  void writeALog() throws IOException {
    Path dir = temp.resolve("original");
    try (FileObjectStore s = FileObjectStore.open(dir, clock)) {
      KubeObject a = s.create(middleware("a", 3));
      s.update(withReplicas(a, 5));
      s.create(middleware("b", 3));
      before = s.list(FLOTILLA, "Middleware", "");
      versionBefore = s.resourceVersion();
    }
    lastRecordStart = (int) Files.size(dir.resolve(SEGMENT));
    try (FileObjectStore s = FileObjectStore.open(dir, clock)) {
      KubeObject b = s.get(before.get(1).ref()).orElseThrow();
      s.update(withReplicas(b, 9));
    }
    segment = Files.readAllBytes(dir.resolve(SEGMENT));
    assertThat(segment.length).isGreaterThan(lastRecordStart + Frames.HEADER);
  }

  private Path directoryWith(String name, byte[] segmentBytes) throws IOException {
    Path dir = Files.createDirectories(temp.resolve(name));
    Files.write(dir.resolve(SEGMENT), segmentBytes);
    return dir;
  }

  /** Opens the directory: it holds the state before the last write, and takes new writes. */
  private void assertOpensAsBeforeTheLastWrite(Path dir) {
    KubeObject c;
    try (FileObjectStore s = FileObjectStore.open(dir, clock)) {
      assertThat(s.list(FLOTILLA, "Middleware", "")).isEqualTo(before);
      assertThat(s.resourceVersion()).isEqualTo(versionBefore);
      c = s.create(middleware("c", 1));
      assertThat(Long.parseLong(c.resourceVersion().orElseThrow()))
          .isEqualTo(Long.parseLong(versionBefore) + 1);
    }
    try (FileObjectStore s = FileObjectStore.open(dir, clock)) {
      assertThat(s.list(FLOTILLA, "Middleware", ""))
          .containsExactly(before.get(0), before.get(1), c);
    }
  }

  @Test
  void theLogCutAtEveryByteOfItsLastRecordOpensWithTheStateBeforeIt() throws IOException {
    for (int cut = lastRecordStart; cut < segment.length; cut++) {
      Path dir = directoryWith("cut-" + cut, Arrays.copyOf(segment, cut));
      assertOpensAsBeforeTheLastWrite(dir);
    }
  }

  @Test
  void theWholeLogOpensWithTheLastWrite() throws IOException {
    Path dir = directoryWith("whole", segment);
    try (FileObjectStore s = FileObjectStore.open(dir, clock)) {
      assertThat(s.get(before.get(1).ref()).orElseThrow().at("/spec/replicas").asInt())
          .isEqualTo(9);
    }
  }

  /** Damage done to the log, given its bytes and where its last record starts. */
  private interface Damage extends BiFunction<byte[], Integer, byte[]> {}

  static Stream<Arguments> tornTails() {
    return Stream.of(
        Arguments.of(
            "a flipped byte in the last record's payload",
            (Damage)
                (log, last) -> {
                  byte[] out = log.clone();
                  out[out.length - 3] ^= 0x20;
                  return out;
                }),
        Arguments.of(
            "the last record's payload zeroed (its size reached the disk, its data did not)",
            (Damage)
                (log, last) -> {
                  byte[] out = log.clone();
                  Arrays.fill(out, last + Frames.HEADER, out.length, (byte) 0);
                  return out;
                }),
        Arguments.of(
            "zeros instead of the last record",
            (Damage)
                (log, last) -> {
                  byte[] out = log.clone();
                  Arrays.fill(out, last, out.length, (byte) 0);
                  return out;
                }));
  }

  @ParameterizedTest(name = "{0} is cut off as a torn tail")
  @MethodSource("tornTails")
  void aGarbledLastRecordIsCutOffAsATornTail(String name, Damage damage) throws IOException {
    assertOpensAsBeforeTheLastWrite(directoryWith("torn", damage.apply(segment, lastRecordStart)));
  }

  @Test
  void aDamagedRecordBeforeTheLastRefusesToOpenNamingTheFileAndOffset() throws IOException {
    byte[] bytes = segment.clone();
    int inFirstRecord = WriteAheadLog.MAGIC.length + Frames.HEADER + 20;
    bytes[inFirstRecord] ^= 0x01;
    Path dir = directoryWith("damaged", bytes);

    assertThatThrownBy(() -> FileObjectStore.open(dir, clock))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.IO);
              assertThat(e.getMessage())
                  .contains(dir.resolve(SEGMENT).toAbsolutePath().toString())
                  .contains("at byte " + WriteAheadLog.MAGIC.length)
                  .contains("CRC32C");
            });
    try (FileObjectStore s = FileObjectStore.open(directoryWith("undamaged", segment), clock)) {
      assertThat(s.list(FLOTILLA, "Middleware", "")).hasSize(2);
    }
  }

  @Test
  void aLogWhoseHeaderWasCutShortIsBegunAnew() throws IOException {
    for (int cut = 0; cut < WriteAheadLog.MAGIC.length; cut++) {
      Path dir = directoryWith("header-" + cut, Arrays.copyOf(segment, cut));
      try (FileObjectStore s = FileObjectStore.open(dir, clock)) {
        assertThat(s.resourceVersion()).isEqualTo("0");
        s.create(middleware("a", 1));
      }
      try (FileObjectStore s = FileObjectStore.open(dir, clock)) {
        assertThat(s.list(FLOTILLA, "Middleware", "")).hasSize(1);
      }
    }
  }

  @Test
  void aFileThatIsNotALogRefusesToOpen() throws IOException {
    Path dir = directoryWith("foreign", "not a flotilla log at all".getBytes());

    assertThatThrownBy(() -> FileObjectStore.open(dir, clock))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.getMessage()).contains(SEGMENT).contains("FLWAL001"));
  }

  /** A directory compacted at least once, its files as they were, and its final objects. */
  private record Compacted(Path dir, List<KubeObject> objects, String version) {}

  private Compacted compacted() {
    Path dir = temp.resolve("compacted");
    Settings small = Settings.DEFAULT.withCompactAfterBytes(2048);
    try (FileObjectStore s = FileObjectStore.open(dir, clock, small)) {
      for (int i = 0; i < 40; i++) {
        s.create(middleware("m-" + i, i));
      }
      return new Compacted(dir, s.list(FLOTILLA, "Middleware", ""), s.resourceVersion());
    }
  }

  private static List<Path> files(Path dir, String prefix) throws IOException {
    try (var list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    }
  }

  private void assertOpensTo(Compacted c) {
    try (FileObjectStore s = FileObjectStore.open(c.dir(), clock)) {
      assertThat(s.list(FLOTILLA, "Middleware", "")).isEqualTo(c.objects());
      assertThat(s.resourceVersion()).isEqualTo(c.version());
    }
  }

  @Test
  void aSnapshotHalfWrittenWhenTheProcessDiedIsIgnoredAndRemoved() throws IOException {
    Compacted c = compacted();
    Path snapshot = files(c.dir(), "snapshot-").get(0);
    Path tmp = c.dir().resolve("snapshot-99999999999999999999.snap.tmp");
    byte[] whole = Files.readAllBytes(snapshot);
    Files.write(tmp, Arrays.copyOf(whole, whole.length / 2));

    assertOpensTo(c);
    assertThat(tmp).doesNotExist();
  }

  @Test
  void aCrashAfterTheSnapshotsRenameBeforeTheOldLogWasRemovedLosesNothing() throws IOException {
    Compacted c = compacted();
    List<Path> snapshots = files(c.dir(), "snapshot-");
    assertThat(snapshots).hasSize(1);
    // Put back a segment the snapshot replaced: replay skips what the snapshot already holds.
    Path first = c.dir().resolve(SEGMENT);
    assertThat(first).doesNotExist();
    Path replay = temp.resolve("replay");
    try (FileObjectStore s = FileObjectStore.open(replay, clock)) {
      for (int i = 0; i < 3; i++) {
        s.create(middleware("m-" + i, i));
      }
    }
    Files.copy(replay.resolve(SEGMENT), first);
    // The uids differ in the copy: the snapshot's objects must win, as they are later.
    assertOpensTo(c);
  }

  @Test
  void aDamagedSnapshotRefusesToOpenNamingIt() throws IOException {
    Compacted c = compacted();
    Path snapshot = files(c.dir(), "snapshot-").get(0);
    byte[] bytes = Files.readAllBytes(snapshot);
    bytes[bytes.length - 2] ^= 0x10;
    Files.write(snapshot, bytes);

    assertThatThrownBy(() -> FileObjectStore.open(c.dir(), clock))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.getMessage()).contains(snapshot.getFileName().toString()));
  }
}
