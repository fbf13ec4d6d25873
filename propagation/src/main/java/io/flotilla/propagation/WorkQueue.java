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
 *
 * <p>Keys queued {@linkplain #addUrgent urgent} are handed out before every other queued key, in
 * the order they were queued: the Middleware controller puts there the passes a cluster's failure
 * starts, so that a failover's first steps are not queued behind the rollouts already under way;
 * the propagation engine the templates whose wanted state changed, ahead of those whose copies'
 * status did.
 */
public final class WorkQueue<K> implements AutoCloseable {
  /**
   * Keys in the order they were queued. A key moved to {@link #urgent} stays here too, and is
   * skipped when reached if it was handed out meanwhile (it is no longer in {@link #queued}).
   */
  private final ArrayDeque<K> ready = new ArrayDeque<>();

  private final ArrayDeque<K> urgent = new ArrayDeque<>();
  private final Set<K> queued = new HashSet<>();
  private final Set<K> queuedUrgent = new HashSet<>();
  private final Set<K> working = new HashSet<>();
  private final Set<K> requeue = new HashSet<>();
  private final Set<K> requeueUrgent = new HashSet<>();
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

  /**
   * Queues a key ahead of every key queued by {@link #add} (after the urgent ones queued before
   * it); a key already queued moves ahead, one being worked on is handed out again, ahead, after
   * {@link #done}.
   */
  public synchronized void addUrgent(K key) {
    if (closed) {
      return;
    }
    if (working.contains(key)) {
      requeue.add(key);
      requeueUrgent.add(key);
    } else if (queuedUrgent.add(key)) {
      queued.add(key);
      urgent.addLast(key);
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
    while (!closed) {
      K key = urgent.pollFirst();
      if (key != null) {
        queuedUrgent.remove(key);
      } else {
        key = ready.pollFirst();
      }
      if (key == null) {
        wait();
      } else if (queued.remove(key)) {
        working.add(key);
        return key;
      }
      // else an entry of a key that was handed out from the urgent lane: skipped
    }
    return null;
  }

  /** Ends the work on a key; queues it again if it was added meanwhile. */
  public synchronized void done(K key) {
    working.remove(key);
    boolean again = requeue.remove(key);
    if (requeueUrgent.remove(key)) {
      addUrgent(key);
    } else if (again && queued.add(key)) {
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
    return queued.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    timer.shutdownNow();
    notifyAll();
  }
}
