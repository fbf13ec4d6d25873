package io.flotilla.propagation;

import io.flotilla.api.Condition;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberClusterStatus;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.ResourceUsage;
import io.flotilla.cluster.health.HealthListener;
import io.flotilla.cluster.health.HealthMonitor;
import io.flotilla.cluster.health.HealthMonitorDriver;
import io.flotilla.cluster.health.HealthSettings;
import io.flotilla.cluster.health.MemberHealth;
import io.flotilla.cluster.status.MemberClusterStatusWriter;
import io.flotilla.store.ObjectStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Keeps every connected member cluster under a {@link HealthMonitor} and writes what it finds into
 * the MemberCluster objects: Ready condition, the {@code flotilla.io/unreachable} NoExecute taint,
 * and the resource summary. A member that cannot even be connected to (its kubeconfig is missing or
 * invalid) is marked not ready at once, with the reason.
 */
final class MemberHealthService implements HealthListener, AutoCloseable {
  private final MemberRegistry registry;
  private final MemberHealthWriter writer;
  private final Clock clock;
  private final ExecutorService probes;
  private final HealthMonitor monitor;
  private final HealthMonitorDriver driver;
  private final Map<String, Member> watched = new java.util.HashMap<>();

  MemberHealthService(
      MemberRegistry registry, ObjectStore store, HealthSettings settings, Clock clock) {
    this.registry = registry;
    this.writer = new MemberHealthWriter(store);
    this.clock = clock;
    this.probes =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "member-probe");
              t.setDaemon(true);
              return t;
            });
    this.monitor = new HealthMonitor(settings, clock, probes, this);
    this.driver = HealthMonitorDriver.start(monitor);
    registry.addListener(this::onMemberChanged);
  }

  @Override
  public void onHealthChanged(String member, MemberHealth health) {
    writer.onHealthChanged(member, health);
  }

  /**
   * Every summary interval: the resource summary, and the Ready condition's lastHeartbeatTime (the
   * monitor reports only transitions, so this is when a healthy member's heartbeat moves).
   */
  @Override
  public void onResourcesRefreshed(String member, ResourceUsage usage) {
    Optional<MemberHealth> health = monitor.health(member);
    writer.write(
        member,
        o -> {
          KubeObject withUsage = MemberClusterStatusWriter.withResources(o, usage);
          return health
              .map(h -> MemberClusterStatusWriter.withHealth(withUsage, h))
              .orElse(withUsage);
        });
  }

  private synchronized void onMemberChanged(String cluster) {
    Optional<MemberRegistry.Entry> entry = registry.entry(cluster);
    Member current = entry.flatMap(MemberRegistry.Entry::member).orElse(null);
    Member before = watched.get(cluster);
    if (before != null && before != current) {
      monitor.remove(cluster);
      watched.remove(cluster);
    }
    if (current != null && before != current) {
      monitor.add(current, known(entry.get()));
      watched.put(cluster, current);
    }
    entry
        .flatMap(MemberRegistry.Entry::failure)
        .ifPresent(failure -> writer.onHealthChanged(cluster, unusable(failure)));
  }

  /** The health the MemberCluster's Ready condition recorded, so thresholds go on from there. */
  private Optional<MemberHealth> known(MemberRegistry.Entry entry) {
    Optional<Condition> ready = entry.cluster().status().condition(MemberClusterStatus.READY);
    if (ready.isEmpty() || ready.get().status() == ConditionStatus.Unknown) {
      return Optional.empty();
    }
    Condition c = ready.get();
    Instant now = clock.instant();
    Instant since = c.lastTransitionTime().orElse(now);
    if (c.isTrue()) {
      return Optional.of(
          MemberHealth.ready(c.message(), now, c.lastHeartbeatTime().orElse(now), since));
    }
    String reason = c.reason().isEmpty() ? FailureReason.ERROR.conditionReason() : c.reason();
    return Optional.of(
        new MemberHealth(false, reason, c.message(), now, c.lastHeartbeatTime(), since));
  }

  private MemberHealth unusable(MemberException failure) {
    Instant now = clock.instant();
    return MemberHealth.notReady(
        failure.reason(), failure.getMessage(), now, Optional.empty(), now);
  }

  /** The monitor's view of one member, for tests and the global view. */
  Optional<MemberHealth> health(String cluster) {
    return monitor.health(cluster);
  }

  @Override
  public void close() {
    driver.close();
    probes.shutdownNow();
  }
}
