package io.flotilla.store.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.flotilla.api.KubeObject;
import io.flotilla.store.StoreHandler;
import io.flotilla.store.StoreHandler.Change;
import io.flotilla.store.StoreWatch;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One store watch on the API server: fabric8's watch from a resource version, feeding an unbounded
 * queue that a thread of this watch's own hands to the handler, so that a slow handler holds up
 * only itself.
 *
 * <p>Two rules let it work with servers that replay the current objects as ADDED when a watch opens
 * (fabric8's mock server does; a real API server never does, so they change nothing there): an
 * ADDED at or before the version the watch started from is not a change after it and is dropped; an
 * ADDED for an object the handler already holds is dropped at the same resourceVersion and is a
 * MODIFIED at another.
 *
 * <p>When the server ends the watch (its history compacted past the last version seen: HTTP 410),
 * the watch lists again and hands over the difference with what the handler holds (ADDED, MODIFIED,
 * DELETED with the last state it saw) before watching on from the new list: the handler's view
 * stays right, though changes in between are seen merged.
 */
final class KubeWatch implements StoreWatch, Watcher<GenericKubernetesResource> {
  private static final Logger LOG = LoggerFactory.getLogger(KubeWatch.class);
  private static final Object STOP = new Object();

  private record Event(Change change, KubeObject object) {}

  private final String name;
  private final MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      ops;
  private final Function<GenericKubernetesResource, KubeObject> toKube;
  private final StoreHandler handler;
  private final Consumer<KubeWatch> onClose;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  /** Key → the object as last queued; touched under this watch's lock. */
  private final Map<String, KubeObject> held = new HashMap<>();

  private long startVersion;
  private volatile Watch watch;
  private volatile boolean closed;

  KubeWatch(
      String name,
      MixedOperation<
              GenericKubernetesResource,
              GenericKubernetesResourceList,
              Resource<GenericKubernetesResource>>
          ops,
      Function<GenericKubernetesResource, KubeObject> toKube,
      StoreHandler handler,
      Consumer<KubeWatch> onClose) {
    this.name = name;
    this.ops = ops;
    this.toKube = toKube;
    this.handler = handler;
    this.onClose = onClose;
    this.thread = new Thread(this::deliver, name);
    this.thread.setDaemon(true);
  }

  /** Lists (when {@code from} is empty) and starts watching; then starts handing over. */
  void start(String from) {
    if (from.isEmpty()) {
      listAndWatch();
    } else {
      synchronized (this) {
        startVersion = Long.parseLong(from);
      }
      watchFrom(from);
    }
    thread.start();
  }

  private void listAndWatch() {
    GenericKubernetesResourceList list = ops.inAnyNamespace().list();
    String listVersion = list.getMetadata().getResourceVersion();
    List<KubeObject> current =
        list.getItems().stream()
            .map(toKube)
            .sorted(Comparator.comparingLong(KubeWatch::version))
            .toList();
    synchronized (this) {
      Map<String, KubeObject> gone = new HashMap<>(held);
      for (KubeObject o : current) {
        KubeObject before = gone.remove(key(o));
        if (before == null) {
          queue(Change.ADDED, o);
        } else if (!before.resourceVersion().equals(o.resourceVersion())) {
          queue(Change.MODIFIED, o);
        }
      }
      gone.values().forEach(o -> queue(Change.DELETED, o));
      startVersion = Long.parseLong(listVersion);
    }
    watchFrom(listVersion);
  }

  private void watchFrom(String version) {
    Watch w =
        ops.inAnyNamespace()
            .watch(new ListOptionsBuilder().withResourceVersion(version).build(), this);
    watch = w;
    if (closed) {
      w.close();
    }
  }

  @Override
  public void eventReceived(Action action, GenericKubernetesResource resource) {
    KubeObject o = toKube.apply(resource);
    synchronized (this) {
      switch (action) {
        case ADDED -> {
          KubeObject before = held.get(key(o));
          if (before == null) {
            if (version(o) > startVersion) {
              queue(Change.ADDED, o);
            }
          } else if (!before.resourceVersion().equals(o.resourceVersion())) {
            queue(Change.MODIFIED, o);
          }
        }
        case MODIFIED -> queue(Change.MODIFIED, o);
        case DELETED -> queue(Change.DELETED, o);
        default -> {
          // BOOKMARK and ERROR are fabric8's business
        }
      }
    }
  }

  @Override
  public void onClose(WatcherException cause) {
    if (closed) {
      return;
    }
    LOG.atWarn()
        .addKeyValue("watch", name)
        .addKeyValue("gone", cause.isHttpGone())
        .log("the API server ended the watch; listing again: {}", cause.getMessage());
    try {
      listAndWatch();
    } catch (RuntimeException e) {
      LOG.atError()
          .addKeyValue("watch", name)
          .setCause(e)
          .log("the watch could not be restarted; it delivers nothing more");
    }
  }

  private void queue(Change change, KubeObject o) {
    if (change == Change.DELETED) {
      held.remove(key(o));
    } else {
      held.put(key(o), o);
    }
    if (!closed) {
      queue.add(new Event(change, o));
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
      Event event = (Event) next;
      try {
        handler.onChange(event.change(), event.object());
      } catch (RuntimeException e) {
        LOG.atWarn()
            .addKeyValue("watch", name)
            .addKeyValue("change", event.change())
            .addKeyValue("object", event.object().ref())
            .setCause(e)
            .log("the handler failed; the watch goes on with the next change");
      }
    }
  }

  private static String key(KubeObject o) {
    return o.namespace() + "/" + o.name();
  }

  private static long version(KubeObject o) {
    return o.resourceVersion().map(Long::parseLong).orElse(0L);
  }

  /** Stops without waiting for the handler: a call under way finishes, no other starts. */
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
    Watch w = watch;
    if (w != null) {
      w.close();
    }
    onClose.accept(this);
  }
}
