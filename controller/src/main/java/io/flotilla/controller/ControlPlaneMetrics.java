package io.flotilla.controller;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.Condition;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.MemberClusterStatus;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.MemberClusterReader;
import io.flotilla.propagation.ApplyObserver;
import io.flotilla.server.MetricsSource;
import io.flotilla.store.ObjectStore;
import io.flotilla.traffic.dns.SyncObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's Prometheus metrics (docs/observability.md), one registry per {@link
 * ControlPlane}, kept across its terms as leader. Events are told to it by the controller ({@link
 * ControllerObserver}), the propagation engine ({@link ApplyObserver}) and the domain registrar
 * ({@link SyncObserver}); queue depths, member heartbeats and readiness are read when scraped, from
 * what the leader runs ({@link Leading}). Durations come from the injected {@link Clock}s.
 */
public final class ControlPlaneMetrics
    implements ControllerObserver, ApplyObserver, SyncObserver, MetricsSource {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneMetrics.class);

  /**
   * What only the leader has, read when scraped.
   *
   * @param store the leader's store (MemberClusters)
   * @param controllerQueue Middleware waiting for a pass
   * @param propagationQueue templates waiting for the propagation engine
   */
  public record Leading(
      ObjectStore store, IntSupplier controllerQueue, IntSupplier propagationQueue) {
    public Leading {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(controllerQueue, "controllerQueue");
      Objects.requireNonNull(propagationQueue, "propagationQueue");
    }
  }

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Clock clock;
  private final Supplier<Optional<Leading>> leading;
  private final Histogram scheduling;
  private final Histogram reconcile;
  private final Counter failovers;
  private final Histogram failoverDuration;
  private final Histogram dnsLag;
  private final Counter applyErrors;

  /** Middleware failing over → since when (their FailingOver condition turned True). */
  private final Map<ObjectRef, Instant> failingOverSince = new ConcurrentHashMap<>();

  /**
   * @param clock the control plane's clock: heartbeat ages, and failovers whose conditions carry no
   *     time
   * @param leading what the leader runs, or empty on a standby
   */
  public ControlPlaneMetrics(Clock clock, Supplier<Optional<Leading>> leading) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.leading = Objects.requireNonNull(leading, "leading");
    scheduling =
        Histogram.builder()
            .name("flotilla_scheduling_latency_seconds")
            .help("Time of each call of the federation scheduler by the Middleware controller.")
            .classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .withoutExemplars()
            .register(registry);
    reconcile =
        Histogram.builder()
            .name("flotilla_reconcile_duration_seconds")
            .help(
                "Time of each pass of the Middleware controller over one Middleware, by outcome"
                    + " (done, requeued, error).")
            .labelNames("outcome")
            .classicOnly()
            .classicUpperBounds(
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .withoutExemplars()
            .register(registry);
    failovers =
        Counter.builder()
            .name("flotilla_failovers_total")
            .help(
                "Failovers started: a Middleware's FailingOver condition turned True (a cluster"
                    + " holding a share was lost).")
            .withoutExemplars()
            .register(registry);
    failoverDuration =
        Histogram.builder()
            .name("flotilla_failover_duration_seconds")
            .help(
                "From a cluster loss detected for a Middleware (FailingOver turned True) until it"
                    + " is Available again.")
            .classicOnly()
            .classicUpperBounds(1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800)
            .withoutExemplars()
            .register(registry);
    dnsLag =
        Histogram.builder()
            .name("flotilla_dns_sync_lag_seconds")
            .help(
                "From a change the domain registrar sees (a published Service or Ingress, a node"
                    + " address, a cluster's readiness) to the changed records written in a data"
                    + " centre's DNS, by data centre.")
            .labelNames("data_centre")
            .classicOnly()
            .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .withoutExemplars()
            .register(registry);
    applyErrors =
        Counter.builder()
            .name("flotilla_apply_errors_total")
            .help(
                "Applies of a template's copy to a member cluster that failed (refused or"
                    + " unreachable), by cluster.")
            .labelNames("cluster")
            .withoutExemplars()
            .register(registry);
    GaugeWithCallback.builder()
        .name("flotilla_work_queue_depth")
        .help(
            "Keys waiting in a work queue of the leader: controller (Middleware), propagation"
                + " (templates).")
        .labelNames("queue")
        .callback(
            cb ->
                leading()
                    .ifPresent(
                        l -> {
                          cb.call(l.controllerQueue().getAsInt(), "controller");
                          cb.call(l.propagationQueue().getAsInt(), "propagation");
                        }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("flotilla_member_heartbeat_age_seconds")
        .help(
            "Seconds since each member cluster's last heartbeat (its Ready condition's"
                + " lastHeartbeatTime); absent for a cluster never heard from.")
        .labelNames("cluster")
        .callback(
            cb -> {
              Instant now = clock.instant();
              members()
                  .forEach(
                      (name, status) ->
                          status
                              .condition(MemberClusterStatus.READY)
                              .flatMap(Condition::lastHeartbeatTime)
                              .ifPresent(
                                  beat ->
                                      cb.call(
                                          Math.max(0, seconds(Duration.between(beat, now))),
                                          name)));
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("flotilla_member_ready")
        .help("1 when a member cluster's Ready condition is True, else 0.")
        .labelNames("cluster")
        .callback(
            cb ->
                members()
                    .forEach(
                        (name, status) ->
                            cb.call(
                                status
                                        .condition(MemberClusterStatus.READY)
                                        .map(Condition::isTrue)
                                        .orElse(false)
                                    ? 1
                                    : 0,
                                name)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("flotilla_leader")
        .help("1 when this replica leads and runs the controller, else 0 (a standby).")
        .callback(cb -> cb.call(leading().isPresent() ? 1 : 0))
        .register(registry);
  }

  private Optional<Leading> leading() {
    try {
      return leading.get();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Every MemberCluster's status, by name, as the leader's store holds them now. */
  private Map<String, MemberClusterStatus> members() {
    Map<String, MemberClusterStatus> out = new TreeMap<>();
    Optional<Leading> l = leading();
    if (l.isEmpty()) {
      return out;
    }
    try {
      for (KubeObject o : l.get().store().list(ApiVersion.API_VERSION, MemberCluster.KIND, "")) {
        MemberClusterReader.read(new Manifest("store", o.ref().toString(), o.json()))
            .value()
            .ifPresent(c -> out.put(c.name(), c.status()));
      }
    } catch (RuntimeException e) {
      // the lead was lost while scraping (the store is closing): no member samples this time
      LOG.atDebug().addKeyValue("reason", e.toString()).log("member metrics skipped");
    }
    return out;
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  @Override
  public void scheduled(Duration took) {
    scheduling.observe(seconds(took));
  }

  @Override
  public void reconciled(PassOutcome outcome, Duration took) {
    reconcile.labelValues(outcome.label()).observe(seconds(took));
  }

  /**
   * A failover starts when a Middleware's FailingOver condition turns True, at that condition's
   * transition time; it ends when the Middleware is Available again (no longer failing over), at
   * the Available condition's transition time. A replica that starts leading in the middle of a
   * failover counts it and measures it from the transition its status records.
   */
  @Override
  public void middleware(ObjectRef ref, Optional<MiddlewareStatus> status) {
    if (status.isEmpty()) {
      failingOverSince.remove(ref);
      return;
    }
    MiddlewareStatus s = status.get();
    Optional<Condition> failingOver = s.condition(MiddlewareReconciler.FAILING_OVER);
    if (failingOver.map(Condition::isTrue).orElse(false)) {
      Instant since = failingOver.get().lastTransitionTime().orElseGet(clock::instant);
      if (failingOverSince.putIfAbsent(ref, since) == null) {
        failovers.inc();
      }
      return;
    }
    Optional<Condition> available = s.condition(MiddlewareReconciler.AVAILABLE);
    if (!available.map(Condition::isTrue).orElse(false)) {
      return;
    }
    Instant since = failingOverSince.remove(ref);
    if (since != null) {
      Instant until =
          available
              .get()
              .lastTransitionTime()
              .filter(t -> !t.isBefore(since))
              .orElseGet(clock::instant);
      failoverDuration.observe(Math.max(0, seconds(Duration.between(since, until))));
    }
  }

  @Override
  public void applyFailed(String cluster, ObjectRef template) {
    applyErrors.labelValues(cluster).inc();
  }

  @Override
  public void synced(String dataCentre, Duration lag) {
    dnsLag.labelValues(dataCentre).observe(seconds(lag));
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
