package io.flotilla.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.KubeObject;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.ObjectStoreContract;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreException.Reason;
import io.flotilla.store.file.FileObjectStore.Settings;
import io.flotilla.store.testing.RecordingHandler;
import io.flotilla.store.testing.RecordingHandler.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store: the whole contract, reopening included, plus what only a durable store promises:
 * one process per data directory, versions and uids across restarts, compaction into snapshots.
 * What a crash leaves behind is in {@link FileObjectStoreRecoveryTest} and {@link
 * FileObjectStoreKillTest}.
 */
class FileObjectStoreTest extends ObjectStoreContract {
  private static final String FLOTILLA = "flotilla.io/v1alpha1";

  @TempDir Path temp;
  private final AtomicInteger dirs = new AtomicInteger();

  private Path newDir() {
    return temp.resolve("store-" + dirs.incrementAndGet());
  }

  @Override
  protected ObjectStore newStore(Clock clock) {
    return FileObjectStore.open(newDir(), clock);
  }

  @Override
  protected ObjectStore reopen(ObjectStore old) {
    Path dir = ((FileObjectStore) old).dataDirectory();
    old.close();
    return FileObjectStore.open(dir, clock);
  }

  @Override
  protected ObjectStore newStoreKeepingHistory(Clock clock, int changes) {
    return FileObjectStore.open(newDir(), clock, Settings.DEFAULT.withHistorySize(changes));
  }

  private FileObjectStore fileStore() {
    return (FileObjectStore) store;
  }

  @Test
  void aSecondOpenOfTheSameDirectoryFailsNamingItUntilTheFirstStoreCloses() {
    Path dir = fileStore().dataDirectory();

    assertThatThrownBy(() -> FileObjectStore.open(dir, clock))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.IO);
              assertThat(e.getMessage()).contains(dir.toString()).contains("in use");
            });

    KubeObject zk = store.create(middleware("payments", "zk"));
    store.close();
    try (ObjectStore again = FileObjectStore.open(dir, clock)) {
      assertThat(again.get(zk.ref())).contains(zk);
    }
  }

  @Test
  void aWatchFromAVersionBeforeTheReopenResumesFromTheLog() {
    KubeObject a = store.create(middleware("payments", "a"));
    String from = a.resourceVersion().orElseThrow();
    KubeObject a2 = store.update(withReplicas(a, 5));
    store.delete(a2.ref());

    store = reopen(store);
    RecordingHandler watch = new RecordingHandler();
    try (var w = store.watch(FLOTILLA, "Middleware", from, watch)) {
      assertThat(watch.awaitEvents(2))
          .extracting(Event::summary)
          .containsExactly("MODIFIED Middleware payments/a", "DELETED Middleware payments/a");
    } finally {
      store.close();
    }
  }

  @Test
  void compactionWritesASnapshotRemovesTheLogBeforeItAndLosesNothing() throws IOException {
    Path dir = newDir();
    Settings small = Settings.DEFAULT.withCompactAfterBytes(4096).withHistorySize(5);
    List<KubeObject> written = new ArrayList<>();
    try (FileObjectStore s = FileObjectStore.open(dir, clock, small)) {
      for (int i = 0; i < 60; i++) {
        KubeObject o = s.create(middleware("payments", "zk-" + i));
        written.add(i % 3 == 0 ? s.update(withReplicas(o, 7)) : o);
        if (i % 5 == 4) {
          s.delete(written.remove(written.size() - 1).ref());
        }
      }
    }
    try (FileObjectStore s = FileObjectStore.open(dir, clock, small)) {
      assertThat(s.list(FLOTILLA, "Middleware", "")).containsExactlyInAnyOrderElementsOf(written);
      assertThat(Long.parseLong(s.resourceVersion())).isEqualTo(60 + 20 + 12);
    }

    List<String> files;
    try (var list = Files.list(dir)) {
      files = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(files.stream().filter(f -> f.startsWith("snapshot-"))).hasSize(1);
    assertThat(files.stream().filter(f -> f.startsWith("wal-")).count()).isLessThanOrEqualTo(2);
    assertThat(files).noneMatch(f -> f.endsWith(".tmp"));
  }

  @Test
  void versionsAndUidsGoOnAcrossManyReopens() {
    KubeObject zk = store.create(middleware("payments", "zk"));
    String uid = zk.at("/metadata/uid").asString();
    long last = Long.parseLong(zk.resourceVersion().orElseThrow());
    for (int i = 0; i < 5; i++) {
      store = reopen(store);
      zk = store.update(withReplicas(store.get(zk.ref()).orElseThrow(), 10 + i));
      long now = Long.parseLong(zk.resourceVersion().orElseThrow());
      assertThat(now).isGreaterThan(last);
      assertThat(zk.at("/metadata/uid").asString()).isEqualTo(uid);
      last = now;
    }
    store.close();
  }
}
