package io.flotilla.propagation;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A queue of keys to reconcile, as Kubernetes controllers use: a key queued several times before it
 * is taken is reconciled once; a key is never handed to two workers at once, and one queued again
 * while being worked on is handed out again after {@link #done}. Keys can be queued after a delay
 * (retries with backoff).
 */
public final class WorkQueue<K> implements AutoCloseable {
  private final ArrayDeque<K> ready = new ArrayDeque<>();
  private final Set<K> queued = new HashSet<>();
  private final Set<K> working = new HashSet<>();
  private final Set<K> requeue = new HashSet<>();
  private final ScheduledExecutorService timer;
  private boolean closed;

  public WorkQueue(String name) {
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name + "-delays");
              t.setDaemon(true);
              return t;
            });
  }

  /** Queues a key now. */
  public synchronized void add(K key) {
    if (closed) {
      return;
    }
    if (working.contains(key)) {
      requeue.add(key);
    } else if (queued.add(key)) {
      ready.addLast(key);
      notifyAll();
    }
  }

  /** Queues a key after a delay. */
  public void addAfter(K key, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    timer.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next key to work on; blocks until there is one. Null once closed. */
  public synchronized K take() throws InterruptedException {
    while (ready.isEmpty() && !closed) {
      wait();
    }
    if (closed) {
      return null;
    }
    K key = ready.removeFirst();
    queued.remove(key);
    working.add(key);
    return key;
  }

  /** Ends the work on a key; queues it again if it was added meanwhile. */
  public synchronized void done(K key) {
    working.remove(key);
    if (requeue.remove(key) && queued.add(key)) {
      ready.addLast(key);
      notifyAll();
    }
  }

  /**
   * Serves the queue on the calling thread: takes each key, hands it to {@code pass}, and ends the
   * work on it ({@link #done}) whatever the pass does; returns once the queue is closed or the
   * thread interrupted. Several threads may serve one queue.
   */
  public void serve(java.util.function.Consumer<K> pass) {
    while (true) {
      K key;
      try {
        key = take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (key == null) {
        return;
      }
      try {
        pass.accept(key);
      } finally {
        done(key);
      }
    }
  }

  /** The wait before attempt {@code attempt} (1 for the first retry): doubling, capped. */
  public static Duration backoff(Duration first, Duration last, int attempt) {
    Duration wait = first.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
    return wait.compareTo(last) > 0 ? last : wait;
  }

  /** Keys waiting to be worked on (not counting those in progress or delayed). */
  public synchronized int depth() {
    return ready.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    timer.shutdownNow();
    notifyAll();
  }
}
