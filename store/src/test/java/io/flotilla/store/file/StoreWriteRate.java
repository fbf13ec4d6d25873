package io.flotilla.store.file;

import io.flotilla.api.KubeObject;
import io.flotilla.store.file.FileObjectStore.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The figures in docs/store.md: acknowledged (fsynced) writes per second of {@link FileObjectStore}
 * on this machine, one writer and several, objects of about 1 KiB and 16 KiB, and the time to
 * reopen a store of many objects. Run: see docs/store.md.
 *
 * <p>Arguments: a scratch directory (default: a new temporary one), writes per run (default 2000).
 */
public final class StoreWriteRate {
  private StoreWriteRate() {}

  public static void main(String[] args) throws Exception {
    Path root = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("store-rate");
    int writes = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    rate(root.resolve("warmup"), 1, writes / 4, 1024);
    for (int size : new int[] {1024, 16 * 1024}) {
      for (int threads : new int[] {1, 4}) {
        double perSecond = rate(root.resolve("w" + size + "-" + threads), threads, writes, size);
        System.out.printf(
            "%d writer(s), %5d-byte objects: %6.0f acknowledged writes/s (%d writes)%n",
            threads, size, perSecond, writes);
      }
    }
    Path big = root.resolve("reopen");
    try (FileObjectStore s = FileObjectStore.open(big, Clock.systemUTC())) {
      for (int i = 0; i < 10_000; i++) {
        s.create(object("m-" + i, 1024));
      }
    }
    long start = System.nanoTime();
    try (FileObjectStore s = FileObjectStore.open(big, Clock.systemUTC(), Settings.DEFAULT)) {
      System.out.printf(
          "reopen of 10000 objects (log replay, no snapshot): %d ms, version %s%n",
          (System.nanoTime() - start) / 1_000_000, s.resourceVersion());
    }
  }

  private static KubeObject object(String name, int size) {
    return KubeObject.parse(
            """
            {"apiVersion": "flotilla.io/v1alpha1", "kind": "Middleware",
             "metadata": {"namespace": "bench", "name": "%s"}, "spec": {}}
            """
                .formatted(name))
        .edit(n -> n.withObjectProperty("spec").put("blob", "x".repeat(size)));
  }

  /** Creates then updates objects from {@code threads} writers: acknowledged writes per second. */
  private static double rate(Path dir, int threads, int writes, int size) throws Exception {
    try (FileObjectStore store = FileObjectStore.open(dir, Clock.systemUTC())) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int writer = t;
        done.add(
            pool.submit(
                () -> {
                  KubeObject o = store.create(object("w-" + writer, size));
                  for (int i = 1; i < writes / threads; i++) {
                    int n = i;
                    o = store.update(o.edit(x -> x.withObjectProperty("spec").put("n", n)));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      return writes / ((System.nanoTime() - start) / 1e9);
    }
  }
}
