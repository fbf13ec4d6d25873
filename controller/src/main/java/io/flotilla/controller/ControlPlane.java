package io.flotilla.controller;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.health.HealthSettings;
import io.flotilla.propagation.MemberFactory;
import io.flotilla.propagation.PropagationEngine;
import io.flotilla.propagation.PropagationSettings;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.server.ControlPlaneView;
import io.flotilla.server.Relocation;
import io.flotilla.server.UnavailableException;
import io.flotilla.store.LeaderElection;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.StoreHandler;
import io.flotilla.store.StoreWatch;
import io.flotilla.store.events.EventLog;
import io.flotilla.traffic.GlobalEndpointsController;
import io.flotilla.traffic.dns.DnsConfig;
import io.flotilla.traffic.dns.DomainRegistrar;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The control plane of one replica: it campaigns for the lead and, while it leads, runs the
 * propagation engine (with its health monitor) and the Middleware controller over the store. Only
 * the leader opens the store for writing and reconciles; a replica that loses the lead stops both
 * at once and campaigns again. Starting and stopping run on one lifecycle thread, off the
 * election's thread, so that a slow store opening never delays a lease renewal.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  /** Where desired state lives and how member clusters are reached, for one mode. */
  public interface Backend {
    /**
     * Opens the store, now that this replica leads.
     *
     * @throws RuntimeException when it cannot be opened yet (the lifecycle retries while leading)
     */
    ObjectStore openStore();

    /** Connects member clusters as their MemberCluster objects in {@code store} say. */
    MemberFactory members(ObjectStore store);

    /**
     * How the controller renders for these members: Kubernetes' pod DNS names and the adapters as
     * they are, unless the members are the sandbox's local clusters.
     */
    default Rendering rendering() {
      return Rendering.kubernetes();
    }

    /** Whether {@link #openStore} returns a store this replica must close on losing the lead. */
    default boolean closesStore() {
      return true;
    }
  }

  /**
   * How the control plane runs.
   *
   * @param workers Middleware controller workers
   * @param resync how often every Middleware is reconciled even when nothing changed
   * @param poll how soon a rollout waiting on a cluster's readiness looks again
   * @param openRetry how long to wait before trying to open the store again
   */
  public record Settings(
      PropagationSettings propagation,
      HealthSettings health,
      int workers,
      Duration resync,
      Duration poll,
      Duration openRetry) {
    public Settings {
      Objects.requireNonNull(propagation, "propagation");
      Objects.requireNonNull(health, "health");
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1, got " + workers);
      }
    }

    /** Four workers, a resync every 5 minutes, readiness looked at every second. */
    public static Settings defaults() {
      return new Settings(
          PropagationSettings.DEFAULTS,
          HealthSettings.defaults(),
          4,
          Duration.ofMinutes(5),
          Duration.ofSeconds(1),
          Duration.ofMillis(500));
    }
  }

  private record Running(
      ObjectStore store,
      PropagationEngine engine,
      MiddlewareController controller,
      GlobalEndpointsController endpoints,
      Optional<DomainRegistrar> registrar,
      ControllerView view,
      ClusterEvents clusterEvents) {}

  private final LeaderElection election;
  private final Backend backend;
  private final Settings settings;
  private final MembershipHook membership;
  private final Supplier<String> secrets;
  private final Optional<DnsConfig> dns;
  private final Clock clock;
  private final ExecutorService lifecycle =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "control-plane-lifecycle");
            t.setDaemon(true);
            return t;
          });
  private volatile Running running;
  private final EventLog events;
  private final AtomicLong term = new AtomicLong();
  private final ControlPlaneMetrics metrics;

  public ControlPlane(
      LeaderElection election,
      Backend backend,
      Settings settings,
      MembershipHook membership,
      Supplier<String> secrets,
      Clock clock) {
    this(election, backend, settings, membership, secrets, Optional.empty(), clock);
  }

  /**
   * @param dns the domain registrar's configuration, when records are kept in data centres' DNS
   */
  public ControlPlane(
      LeaderElection election,
      Backend backend,
      Settings settings,
      MembershipHook membership,
      Supplier<String> secrets,
      Optional<DnsConfig> dns,
      Clock clock) {
    this.dns = Objects.requireNonNull(dns, "dns");
    this.election = Objects.requireNonNull(election, "election");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.membership = Objects.requireNonNull(membership, "membership");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = new ControlPlaneMetrics(clock, this::leading);
    this.events = new EventLog(clock);
  }

  /**
   * The events this replica recorded on objects while it led (served at {@code /api/v1/events}):
   * kept across its terms, in memory only.
   */
  public EventLog events() {
    return events;
  }

  /** Starts campaigning; the control plane runs whenever this replica leads. */
  public void start() {
    election.start(
        () -> {
          long t = term.incrementAndGet();
          submit(() -> lead(t));
        },
        () -> {
          term.incrementAndGet();
          submit(this::stepDown);
        });
  }

  private void submit(Runnable task) {
    try {
      lifecycle.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.atDebug().log("the control plane is closed; lifecycle task dropped");
    }
  }

  /** Whether this replica leads and its controller runs: what {@code /readyz} reports. */
  public boolean ready() {
    return running != null && election.isLeader();
  }

  /**
   * This replica's metrics (served at {@code /metrics}): kept across its terms; what only the
   * leader has is read while it leads.
   */
  public ControlPlaneMetrics metrics() {
    return metrics;
  }

  private Optional<ControlPlaneMetrics.Leading> leading() {
    Running r = running;
    return r == null
        ? Optional.empty()
        : Optional.of(
            new ControlPlaneMetrics.Leading(
                r.store(), r.controller()::queueDepth, r.engine()::queueDepth));
  }

  /** This replica's identity in the election. */
  public String identity() {
    return election.identity();
  }

  /** The store while this replica leads. */
  public Optional<ObjectStore> store() {
    Running r = running;
    return r == null ? Optional.empty() : Optional.of(r.store());
  }

  /**
   * The store as the API serves it: the leader's store, or, on a standby, a refusal ({@link
   * NotLeaderException}, answered {@code 503}). Closing it does nothing: the lead owns the store.
   */
  public ObjectStore apiStore() {
    return new ObjectStore() {
      @Override
      public KubeObject create(KubeObject object) {
        return current().store().create(object);
      }

      @Override
      public Optional<KubeObject> get(ObjectRef ref) {
        return current().store().get(ref);
      }

      @Override
      public List<KubeObject> list(String apiVersion, String kind, String namespace) {
        return current().store().list(apiVersion, kind, namespace);
      }

      @Override
      public boolean readsAreLocal() {
        return current().store().readsAreLocal();
      }

      @Override
      public List<ObjectRef> refs(String apiVersion, String kind, String namespace) {
        return current().store().refs(apiVersion, kind, namespace);
      }

      @Override
      public java.util.Map<ObjectRef, String> versions(
          String apiVersion, String kind, String namespace) {
        return current().store().versions(apiVersion, kind, namespace);
      }

      @Override
      public KubeObject update(KubeObject object) {
        return current().store().update(object);
      }

      @Override
      public KubeObject updateStatus(KubeObject object) {
        return current().store().updateStatus(object);
      }

      @Override
      public Optional<KubeObject> delete(ObjectRef ref) {
        return current().store().delete(ref);
      }

      @Override
      public StoreWatch watch(
          String apiVersion, String kind, String fromResourceVersion, StoreHandler handler) {
        return current().store().watch(apiVersion, kind, fromResourceVersion, handler);
      }

      @Override
      public String resourceVersion() {
        return current().store().resourceVersion();
      }

      @Override
      public void close() {}
    };
  }

  /** The global view and drill what-if, answered by the leader's live state. */
  public ControlPlaneView view() {
    return new ControlPlaneView() {
      @Override
      public JsonNode globalView() {
        return current().view().globalView();
      }

      @Override
      public JsonNode drill(String cluster) {
        return current().view().drill(cluster);
      }

      @Override
      public JsonNode relocate(
          String namespace, String name, Relocation relocation, boolean dryRun) {
        return current().view().relocate(namespace, name, relocation, dryRun);
      }
    };
  }

  private Running current() {
    Running r = running;
    if (r == null) {
      throw new NotLeaderException(election.identity());
    }
    return r;
  }

  private void lead(long t) {
    ObjectStore store = null;
    while (term.get() == t && store == null) {
      try {
        store = backend.openStore();
      } catch (RuntimeException e) {
        LOG.atWarn()
            .addKeyValue("replica", election.identity())
            .addKeyValue("retryInMs", settings.openRetry().toMillis())
            .setCause(e)
            .log("cannot open the store yet");
        if (!pause(settings.openRetry())) {
          return;
        }
      }
    }
    if (term.get() != t) {
      closeStore(store);
      return;
    }
    PropagationEngine engine =
        new PropagationEngine(
            store,
            backend.members(store),
            settings.propagation(),
            settings.health(),
            clock,
            metrics);
    engine.start();
    Function<String, Optional<Member>> connected =
        name -> engine.members().stream().filter(m -> m.name().equals(name)).findFirst();
    MiddlewareReconciler reconciler =
        new MiddlewareReconciler(
                store,
                Scheduler.withDefaultPlugins(),
                new MemberShareReadiness(store, connected),
                membership,
                backend.rendering(),
                secrets,
                StepHook.NONE,
                clock,
                settings.poll(),
                events)
            .observedBy(metrics);
    MiddlewareController controller =
        new MiddlewareController(
            store, reconciler, settings.workers(), settings.resync(), clock, metrics);
    controller.start();
    GlobalEndpointsController endpoints =
        new GlobalEndpointsController(
            store, connected, GlobalEndpointsController.Settings.DEFAULTS);
    endpoints.start();
    ObjectStore opened = store;
    Optional<DomainRegistrar> registrar =
        dns.map(
            d -> new DomainRegistrar(opened, connected, d.settings(), d.targets(), clock, metrics));
    registrar.ifPresent(DomainRegistrar::start);
    ControllerView view =
        new ControllerView(
            store,
            Scheduler.withDefaultPlugins(),
            backend.rendering().addressing(),
            connected,
            clock);
    ClusterEvents clusterEvents = new ClusterEvents(store, events);
    clusterEvents.start();
    running = new Running(store, engine, controller, endpoints, registrar, view, clusterEvents);
    LOG.atInfo().addKeyValue("replica", election.identity()).log("leading: control plane started");
  }

  private void stepDown() {
    Running r = running;
    running = null;
    if (r == null) {
      return;
    }
    r.clusterEvents().close();
    r.registrar().ifPresent(DomainRegistrar::close);
    r.endpoints().close();
    r.controller().close();
    r.engine().close();
    closeStore(r.store());
    LOG.atInfo()
        .addKeyValue("replica", election.identity())
        .log("not leading: control plane stopped");
  }

  private void closeStore(ObjectStore store) {
    if (store != null && backend.closesStore()) {
      store.close();
    }
  }

  private static boolean pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Gives up the lead (stopping the controller and closing the store) and stops campaigning. */
  @Override
  public void close() {
    term.incrementAndGet();
    election.close();
    submit(this::stepDown);
    lifecycle.shutdown();
    try {
      if (!lifecycle.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.atWarn().log("the control plane did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Thrown when a request needs the leader's state and this replica does not lead. */
  public static final class NotLeaderException extends UnavailableException {
    private static final long serialVersionUID = 1L;

    NotLeaderException(String identity) {
      super("replica " + identity + " is a standby: the leader serves this request");
    }
  }
}
