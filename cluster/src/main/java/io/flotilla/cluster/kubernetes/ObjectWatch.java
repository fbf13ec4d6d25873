package io.flotilla.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flotilla.api.KubeObject;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.ProbeResult;
import io.flotilla.cluster.WatchHandler;
import io.flotilla.cluster.WatchHandler.Change;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member watch: lists the objects, hands them to the handler as ADDED, then watches from the
 * list's resourceVersion. Events reach the handler in order on one thread of the watch's own.
 *
 * <p>An ADDED event for an object already delivered at the same resourceVersion is dropped (a
 * server may replay current objects when a watch starts, as fabric8's mock server does); an ADDED
 * event for an object already delivered at another resourceVersion becomes MODIFIED. So the handler
 * sees each object ADDED once, then its changes.
 */
final class ObjectWatch implements MemberWatch, Watcher<GenericKubernetesResource> {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectWatch.class);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final String cluster;
  private final String what;
  private final String apiVersion;
  private final String kind;
  private final FilterWatchListDeletable<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      selection;
  private final KubernetesSerialization json;
  private final WatchHandler handler;
  private final Consumer<ObjectWatch> onClosed;
  private final Prober prober;
  private final ExecutorService events;

  /**
   * uid (or namespace/name) → resourceVersion last delivered; touched only on the events thread.
   */
  private final Map<String, String> delivered = new HashMap<>();

  private volatile boolean closed;
  private volatile Watch watch;

  ObjectWatch(
      String cluster,
      String what,
      String apiVersion,
      String kind,
      FilterWatchListDeletable<
              GenericKubernetesResource,
              GenericKubernetesResourceList,
              Resource<GenericKubernetesResource>>
          selection,
      KubernetesSerialization json,
      WatchHandler handler,
      Consumer<ObjectWatch> onClosed,
      Prober prober) {
    this.cluster = cluster;
    this.what = what;
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.selection = selection;
    this.json = json;
    this.handler = handler;
    this.onClosed = onClosed;
    this.prober = prober;
    this.events =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "flotilla-watch-" + cluster);
              t.setDaemon(true);
              return t;
            });
  }

  /** Lists, queues the current objects as ADDED, and starts watching. */
  void start() {
    GenericKubernetesResourceList list = selection.list();
    list.getItems().stream()
        .map(this::toKube)
        .sorted(Comparator.comparing(KubeObject::ref))
        .forEach(o -> enqueue(Change.ADDED, o));
    String resourceVersion =
        list.getMetadata() == null ? null : list.getMetadata().getResourceVersion();
    watch =
        selection.watch(
            new ListOptionsBuilder().withResourceVersion(resourceVersion).build(), this);
    if (closed) {
      watch.close();
    }
  }

  @Override
  public void eventReceived(Action action, GenericKubernetesResource resource) {
    Change change;
    switch (action) {
      case ADDED -> change = Change.ADDED;
      case MODIFIED -> change = Change.MODIFIED;
      case DELETED -> change = Change.DELETED;
      default -> {
        return; // BOOKMARK and ERROR are fabric8's business
      }
    }
    enqueue(change, toKube(resource));
  }

  @Override
  public void onClose(WatcherException cause) {
    if (closed) {
      return;
    }
    submit(
        () -> {
          if (!closed) {
            closed = true;
            MemberException failure = failure(cause);
            LOG.atWarn()
                .addKeyValue("cluster", cluster)
                .addKeyValue("watch", what)
                .addKeyValue("reason", failure.reason())
                .log("watch ended: {}", failure.getMessage());
            handler.onFailure(failure);
          }
        });
    events.shutdown();
    onClosed.accept(this);
  }

  /**
   * Why the watch ended. When fabric8 gave up reopening it, its exception no longer says why, so
   * one probe asks the member: its failure (refused, TLS, ...) is the reason.
   */
  private MemberException failure(WatcherException cause) {
    String action = "watch " + what;
    if (cause.isHttpGone()) {
      return new MemberException(
          FailureReason.ERROR,
          "member cluster "
              + cluster
              + ": "
              + action
              + ": the server no longer has the resourceVersion to resume from (410 Gone);"
              + " watch again",
          cause);
    }
    MemberException direct = Failures.of(cluster, action, cause.asClientException());
    if (direct.reason() != FailureReason.ERROR) {
      return direct;
    }
    ProbeResult probe = prober.probe(PROBE_TIMEOUT);
    if (probe.ok()) {
      return direct;
    }
    String probeSays = probe.message().replace("member cluster " + cluster + ": ", "");
    return new MemberException(
        probe.failure().get(), direct.getMessage() + "; " + probeSays, cause);
  }

  @Override
  public void onClose() {
    // closed by us: the handler is not told
  }

  @Override
  public void close() {
    closed = true;
    Watch w = watch;
    if (w != null) {
      w.close();
    }
    events.shutdown();
    onClosed.accept(this);
  }

  private void enqueue(Change change, KubeObject object) {
    submit(() -> deliver(change, object));
  }

  private void submit(Runnable task) {
    try {
      events.execute(task);
    } catch (RejectedExecutionException e) {
      // closed: events after close are dropped
    }
  }

  private void deliver(Change change, KubeObject object) {
    if (closed) {
      return;
    }
    String key = key(object);
    String version = object.resourceVersion().orElse("");
    Change effective = change;
    if (change == Change.ADDED && delivered.containsKey(key)) {
      if (delivered.get(key).equals(version)) {
        return;
      }
      effective = Change.MODIFIED;
    }
    if (effective == Change.DELETED) {
      delivered.remove(key);
    } else {
      delivered.put(key, version);
    }
    try {
      handler.onChange(effective, object);
    } catch (RuntimeException e) {
      LOG.atError()
          .addKeyValue("cluster", cluster)
          .addKeyValue("watch", what)
          .addKeyValue("object", object.ref())
          .setCause(e)
          .log("watch handler failed");
    }
  }

  private static String key(KubeObject o) {
    String uid = o.at("/metadata/uid").isString() ? o.at("/metadata/uid").stringValue() : "";
    return uid.isEmpty() ? o.namespace() + "/" + o.name() : uid;
  }

  private KubeObject toKube(GenericKubernetesResource r) {
    return Fabric8Json.toKube(json, r, apiVersion, kind);
  }
}
