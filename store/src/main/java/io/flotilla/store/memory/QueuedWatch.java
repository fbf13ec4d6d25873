package io.flotilla.store.memory;

import io.flotilla.store.StoreHandler;
import io.flotilla.store.StoreWatch;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: its own unbounded queue and its own thread calling the handler, so that a slow handler
 * holds up only itself, never writers or other watches. Writers enqueue under the store's lock, so
 * every watch's queue is in version order.
 */
final class QueuedWatch implements StoreWatch {
  private static final Logger LOG = LoggerFactory.getLogger(QueuedWatch.class);
  private static final Object STOP = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final StoreHandler handler;
  private final Consumer<QueuedWatch> onClose;
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param onClose run once when the watch closes (the store forgets it)
   */
  QueuedWatch(String name, StoreHandler handler, Consumer<QueuedWatch> onClose) {
    this.handler = handler;
    this.onClose = onClose;
    this.thread = new Thread(this::deliver, name);
    this.thread.setDaemon(true);
  }

  void start(List<StoreEvent> first) {
    queue.addAll(first);
    thread.start();
  }

  void offer(StoreEvent event) {
    if (!closed) {
      queue.add(event);
    }
  }

  private void deliver() {
    while (true) {
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (next == STOP || closed) {
        return;
      }
      StoreEvent event = (StoreEvent) next;
      try {
        handler.onChange(event.change(), event.object());
      } catch (RuntimeException e) {
        LOG.warn(
            "{} failed on {} {} at resourceVersion {}; the watch goes on with the next change",
            thread.getName(),
            event.change(),
            event.object(),
            event.version(),
            e);
      }
    }
  }

  /**
   * Stops delivery without waiting for the handler: a call already under way finishes, no other
   * starts, queued changes are dropped. Safe from any thread, the handler's included, and twice.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    queue.clear();
    queue.add(STOP);
    onClose.accept(this);
  }
}
