package io.flotilla.controller;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.Condition;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.MemberClusterStatus;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.MemberClusterReader;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.StoreHandler;
import io.flotilla.store.StoreWatch;
import io.flotilla.store.events.EventLog;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records the events of member clusters from their objects' changes: Ready turning False ({@code
 * ClusterNotReady}, Warning, with the health monitor's message) or True ({@code ClusterReady}), and
 * taints added or removed ({@code Cordoned}, {@code Draining}, {@code Uncordoned}, {@code
 * Undrained}, else {@code TaintAdded} / {@code TaintRemoved}). What a cluster was when this replica
 * first saw it is not an event: only changes seen are.
 */
final class ClusterEvents implements AutoCloseable {
  static final String CORDONED = "flotilla.io/cordoned";
  static final String DRAINED = "flotilla.io/drained";

  private record Seen(Optional<Boolean> ready, Set<String> taints) {}

  private final ObjectStore store;
  private final EventLog events;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private StoreWatch watch;

  ClusterEvents(ObjectStore store, EventLog events) {
    this.store = Objects.requireNonNull(store, "store");
    this.events = Objects.requireNonNull(events, "events");
  }

  synchronized void start() {
    if (watch == null) {
      watch = store.watch(ApiVersion.API_VERSION, MemberCluster.KIND, "", this::onChange);
    }
  }

  void onChange(StoreHandler.Change change, KubeObject o) {
    if (change == StoreHandler.Change.DELETED) {
      seen.remove(o.name());
      return;
    }
    Optional<MemberCluster> decoded =
        MemberClusterReader.read(new Manifest("store", o.ref().toString(), o.json())).value();
    if (decoded.isEmpty()) {
      return; // invalid: the API refused it on write, and the controller leaves it out too
    }
    Optional<Condition> readyCondition =
        decoded.get().status().condition(MemberClusterStatus.READY);
    Optional<Boolean> ready = readyCondition.map(Condition::isTrue);
    String message = readyCondition.map(Condition::message).orElse("");
    Set<String> taints = new TreeSet<>();
    decoded.get().spec().taints().forEach(t -> taints.add(t.toString()));
    Seen now = new Seen(ready, taints);
    Seen before = seen.put(o.name(), now);
    if (before == null) {
      return;
    }
    if (ready.isPresent() && before.ready().isPresent() && !ready.equals(before.ready())) {
      if (ready.get()) {
        events.normal(o.ref(), "health", "ClusterReady", message.isEmpty() ? "Ready" : message);
      } else {
        events.warning(
            o.ref(), "health", "ClusterNotReady", message.isEmpty() ? "not Ready" : message);
      }
    }
    for (String t : taints) {
      if (!before.taints().contains(t)) {
        taintEvent(o, t, true);
      }
    }
    for (String t : before.taints()) {
      if (!taints.contains(t)) {
        taintEvent(o, t, false);
      }
    }
  }

  private void taintEvent(KubeObject o, String taint, boolean added) {
    if (taint.startsWith(CORDONED + ":")) {
      events.normal(
          o.ref(),
          "controller",
          added ? "Cordoned" : "Uncordoned",
          added
              ? "no new replicas are placed here; what runs here stays"
              : "replicas may be placed here again");
    } else if (taint.startsWith(DRAINED + ":")) {
      events.normal(
          o.ref(),
          "controller",
          added ? "Draining" : "Undrained",
          added
              ? "every share moves off this cluster, rolling as in a failover"
              : "shares may be placed here again");
    } else {
      events.normal(o.ref(), "controller", added ? "TaintAdded" : "TaintRemoved", taint);
    }
  }

  @Override
  public synchronized void close() {
    if (watch != null) {
      watch.close();
      watch = null;
    }
  }
}
