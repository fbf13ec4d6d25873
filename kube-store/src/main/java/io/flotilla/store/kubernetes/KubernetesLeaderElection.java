package io.flotilla.store.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.store.LeaderElection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease, as client-go's leader election does
 * it: every replica tries every retry period to take or renew the Lease with a compare-and-swap on
 * its resourceVersion (the API server settles races with a conflict). A Lease held by another is
 * free once it has not changed for its lease duration, measured on this replica's own clock from
 * when it saw the change (so the replicas' clocks need not agree). A leader that could not renew
 * for the renew deadline stops leading before its lease can expire for the others. Closing gives
 * the Lease up (holder cleared), so a standby takes over at its next try rather than after the
 * lease duration.
 *
 * <p>Time comes from the injected clock; {@link #tryAcquireOrRenew} is one try, which the
 * background thread started by {@link #start} repeats.
 */
public final class KubernetesLeaderElection implements LeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesLeaderElection.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private final LeaseTimings timings;
  private final Clock clock;

  private ScheduledExecutorService loop;
  private Runnable onLead = () -> {};
  private Runnable onLoss = () -> {};
  private boolean leading;
  private Instant lastRenewed = Instant.MIN;
  private String observedVersion;
  private Instant observedAt = Instant.MIN;
  private String lastHolder = "";
  private boolean closed;

  /**
   * @param namespace where the Lease is (the control plane's namespace, e.g. flotilla-system)
   * @param name the Lease's name, the same for every replica
   * @param identity this replica's identity (its pod name), different for every replica
   */
  public KubernetesLeaderElection(
      KubernetesClient client,
      String namespace,
      String name,
      String identity,
      LeaseTimings timings,
      Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.name = Objects.requireNonNull(name, "name");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.timings = Objects.requireNonNull(timings, "timings");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (identity.isEmpty()) {
      throw new IllegalArgumentException("a leader election needs a non-empty identity");
    }
  }

  @Override
  public synchronized void start(Runnable onLead, Runnable onLoss) {
    if (closed || loop != null) {
      throw new IllegalStateException("leader election " + name + " was already started");
    }
    listen(onLead, onLoss);
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "flotilla-leader-election-" + name);
              t.setDaemon(true);
              return t;
            });
    loop.scheduleWithFixedDelay(
        this::tryAcquireOrRenew, 0, timings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sets the callbacks without starting the background tries (tests try by hand). */
  synchronized void listen(Runnable onLead, Runnable onLoss) {
    this.onLead = Objects.requireNonNull(onLead, "onLead");
    this.onLoss = Objects.requireNonNull(onLoss, "onLoss");
  }

  /**
   * One try: takes the Lease when it is free, renews it when held; calls onLead when this replica
   * starts leading and onLoss when it stops (another holds the Lease, or no renewal for the renew
   * deadline). Returns whether this replica leads after the try.
   */
  public synchronized boolean tryAcquireOrRenew() {
    if (closed) {
      return false;
    }
    Instant now = clock.instant();
    boolean renewed;
    try {
      renewed = acquireOrRenew(now);
    } catch (KubernetesClientException e) {
      LOG.atWarn()
          .addKeyValue("lease", namespace + "/" + name)
          .addKeyValue("identity", identity)
          .addKeyValue("code", e.getCode())
          .log("could not read or write the lease: {}", e.getMessage());
      renewed = false;
    }
    if (renewed) {
      lastRenewed = now;
      if (!leading) {
        leading = true;
        LOG.atInfo()
            .addKeyValue("lease", namespace + "/" + name)
            .addKeyValue("identity", identity)
            .log("leading");
        onLead.run();
      }
    } else if (leading
        && (heldByAnother() || !now.isBefore(lastRenewed.plus(timings.renewDeadline())))) {
      stopLeading("the lease was lost or not renewed in time");
    }
    return leading;
  }

  private boolean heldByAnother() {
    return !lastHolder.isEmpty() && !lastHolder.equals(identity);
  }

  private boolean acquireOrRenew(Instant now) {
    var leases = client.leases().inNamespace(namespace);
    Lease current = leases.withName(name).get();
    if (current == null) {
      Lease created =
          new LeaseBuilder()
              .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build())
              .withSpec(spec(now, now, 0))
              .build();
      try {
        leases.resource(created).create();
        lastHolder = identity;
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          return false; // another replica created it first
        }
        throw e;
      }
    }
    String version = current.getMetadata().getResourceVersion();
    if (!Objects.equals(version, observedVersion)) {
      observedVersion = version;
      observedAt = now;
    }
    LeaseSpec spec = current.getSpec() == null ? new LeaseSpec() : current.getSpec();
    String holder = spec.getHolderIdentity() == null ? "" : spec.getHolderIdentity();
    lastHolder = holder;
    Duration held =
        spec.getLeaseDurationSeconds() == null
            ? timings.leaseDuration()
            : Duration.ofSeconds(spec.getLeaseDurationSeconds());
    boolean mine = holder.equals(identity);
    if (!holder.isEmpty() && !mine && now.isBefore(observedAt.plus(held))) {
      return false;
    }
    int transitions = spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions();
    Instant acquired =
        mine && spec.getAcquireTime() != null ? spec.getAcquireTime().toInstant() : now;
    current.setSpec(spec(acquired, now, mine ? transitions : transitions + 1));
    try {
      Lease written = leases.resource(current).update();
      observedVersion = written.getMetadata().getResourceVersion();
      observedAt = now;
      lastHolder = identity;
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false; // another replica wrote it since it was read
      }
      throw e;
    }
  }

  private LeaseSpec spec(Instant acquired, Instant renewed, int transitions) {
    LeaseSpec s = new LeaseSpec();
    s.setHolderIdentity(identity);
    s.setLeaseDurationSeconds((int) timings.leaseDuration().toSeconds());
    s.setAcquireTime(acquired.atZone(ZoneOffset.UTC));
    s.setRenewTime(renewed.atZone(ZoneOffset.UTC));
    s.setLeaseTransitions(transitions);
    return s;
  }

  private void stopLeading(String why) {
    leading = false;
    LOG.atWarn()
        .addKeyValue("lease", namespace + "/" + name)
        .addKeyValue("identity", identity)
        .log("stopped leading: {}", why);
    onLoss.run();
  }

  @Override
  public synchronized boolean isLeader() {
    return leading && clock.instant().isBefore(lastRenewed.plus(timings.leaseDuration()));
  }

  @Override
  public String identity() {
    return identity;
  }

  /** Stops trying and, when leading, gives the Lease up (holder cleared) and calls onLoss. */
  @Override
  public void close() {
    ScheduledExecutorService l;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      l = loop;
    }
    if (l != null) {
      l.shutdownNow();
    }
    synchronized (this) {
      if (leading) {
        release();
        stopLeading("closed");
      }
    }
  }

  private void release() {
    try {
      var lease = client.leases().inNamespace(namespace).withName(name);
      Lease current = lease.get();
      if (current != null
          && current.getSpec() != null
          && identity.equals(current.getSpec().getHolderIdentity())) {
        current.getSpec().setHolderIdentity(null);
        client.leases().inNamespace(namespace).resource(current).update();
      }
    } catch (KubernetesClientException e) {
      LOG.atWarn()
          .addKeyValue("lease", namespace + "/" + name)
          .addKeyValue("identity", identity)
          .log("could not give the lease up; the others wait for it to expire: {}", e.getMessage());
    }
  }
}
