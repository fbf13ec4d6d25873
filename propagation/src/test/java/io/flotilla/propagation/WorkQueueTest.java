package io.flotilla.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The reconcile queue: dedup, one worker per key, requeue after done, delays. */
class WorkQueueTest {
  @Test
  void aKeyQueuedTwiceBeforeItIsTakenIsHandedOutOnce() throws InterruptedException {
    try (WorkQueue<String> q = new WorkQueue<>("t")) {
      q.add("a");
      q.add("b");
      q.add("a");
      assertThat(q.depth()).isEqualTo(2);
      assertThat(q.take()).isEqualTo("a");
      assertThat(q.take()).isEqualTo("b");
      assertThat(q.depth()).isZero();
    }
  }

  @Test
  void aKeyAddedWhileBeingWorkedOnIsHandedOutAgainOnlyAfterDone() throws InterruptedException {
    try (WorkQueue<String> q = new WorkQueue<>("t")) {
      q.add("a");
      assertThat(q.take()).isEqualTo("a");
      q.add("a");
      assertThat(q.depth()).as("not handed to a second worker while in progress").isZero();
      q.done("a");
      assertThat(q.depth()).isEqualTo(1);
      assertThat(q.take()).isEqualTo("a");
    }
  }

  @Test
  void urgentKeysAreHandedOutFirstInTheOrderTheyWereQueued() throws InterruptedException {
    try (WorkQueue<String> q = new WorkQueue<>("t")) {
      q.add("a");
      q.add("b");
      q.addUrgent("x");
      q.addUrgent("y");
      q.addUrgent("x");
      assertThat(q.depth()).isEqualTo(4);
      assertThat(List.of(q.take(), q.take(), q.take(), q.take()))
          .containsExactly("x", "y", "a", "b");
      assertThat(q.depth()).isZero();
    }
  }

  @Test
  void aQueuedKeyMadeUrgentMovesAheadAndIsHandedOutOnce() throws InterruptedException {
    try (WorkQueue<String> q = new WorkQueue<>("t")) {
      q.add("a");
      q.add("b");
      q.addUrgent("b");
      q.add("b");
      assertThat(q.depth()).isEqualTo(2);
      assertThat(q.take()).isEqualTo("b");
      q.done("b");
      assertThat(q.take()).isEqualTo("a");
      assertThat(q.depth()).as("b's place in the ordinary lane is left behind").isZero();
      q.add("c");
      assertThat(q.take()).isEqualTo("c");
    }
  }

  @Test
  void aKeyMadeUrgentWhileBeingWorkedOnIsHandedOutAheadAfterDone() throws InterruptedException {
    try (WorkQueue<String> q = new WorkQueue<>("t")) {
      q.add("a");
      assertThat(q.take()).isEqualTo("a");
      q.add("b");
      q.addUrgent("a");
      assertThat(q.depth()).as("not handed to a second worker while in progress").isEqualTo(1);
      q.done("a");
      assertThat(q.take()).isEqualTo("a");
      assertThat(q.take()).isEqualTo("b");
    }
  }

  @Test
  void aDelayedKeyArrivesAfterItsDelay() {
    try (WorkQueue<String> q = new WorkQueue<>("t")) {
      long start = System.nanoTime();
      q.addAfter("late", Duration.ofMillis(100));
      assertThat(q.depth()).isZero();
      await().atMost(Duration.ofSeconds(5)).until(() -> q.depth() == 1);
      assertThat(System.nanoTime() - start)
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  @Test
  void manyWorkersNeverHoldTheSameKeyAtOnce() throws Exception {
    AtomicInteger overlaps = new AtomicInteger();
    List<String> holding = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger handled = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (WorkQueue<String> q = new WorkQueue<>("t")) {
      for (int w = 0; w < 4; w++) {
        pool.execute(
            () -> {
              try {
                for (String k = q.take(); k != null; k = q.take()) {
                  if (holding.contains(k)) {
                    overlaps.incrementAndGet();
                  }
                  holding.add(k);
                  Thread.sleep(1); // hold the key while others may ask for it
                  holding.remove(k);
                  handled.incrementAndGet();
                  q.done(k);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
      for (int i = 0; i < 2000; i++) {
        q.add("k" + (i % 5));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> q.depth() == 0 && holding.isEmpty());
    } finally {
      pool.shutdownNow();
    }
    assertThat(overlaps.get()).isZero();
    assertThat(handled.get()).isBetween(5, 2000);
  }

  @Test
  void takeReturnsNullOnceClosed() throws InterruptedException {
    WorkQueue<String> q = new WorkQueue<>("t");
    q.close();
    assertThat(q.take()).isNull();
    q.add("ignored");
    assertThat(q.depth()).isZero();
  }

  @Test
  void retriesWaitDoublingFromTheFirstDelayUpToTheLast() {
    java.time.Duration first = java.time.Duration.ofMillis(200);
    java.time.Duration last = java.time.Duration.ofSeconds(30);
    assertThat(
            java.util.stream.IntStream.of(1, 2, 3, 8, 9, 64)
                .mapToObj(n -> WorkQueue.backoff(first, last, n).toMillis())
                .toList())
        .containsExactly(200L, 400L, 800L, 25_600L, 30_000L, 30_000L);
  }

  @Test
  void serveHandsEveryKeyToThePassAndEndsItsWorkEvenWhenThePassThrows() throws Exception {
    WorkQueue<String> q = new WorkQueue<>("test");
    java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread worker =
        new Thread(
            () ->
                q.serve(
                    k -> {
                      seen.add(k);
                      if (k.equals("a")) {
                        throw new IllegalStateException("a pass that fails");
                      }
                    }));
    worker.setUncaughtExceptionHandler((t, e) -> {});
    q.add("a");
    worker.start();
    worker.join(5000);
    // the pass's exception ended serve on that thread; "a" was marked done, so it can be taken
    // again
    q.add("a");
    assertThat(q.depth()).as("queued again, not held as in progress").isEqualTo(1);
    assertThat(q.take()).isEqualTo("a");
    assertThat(seen).containsExactly("a");
    q.close();
  }
}
