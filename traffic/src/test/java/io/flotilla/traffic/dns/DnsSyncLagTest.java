package io.flotilla.traffic.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.KubeObject;
import io.flotilla.api.Resources;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.memory.InMemoryMember;
import io.flotilla.cluster.testing.MutableClock;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import io.flotilla.traffic.dns.DataCentre.Locality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registrar's sync lag, on a fake clock: from the change it sees to the records written in a
 * data centre's DNS, through retries; a sync that changes no record reports no lag.
 */
class DnsSyncLagTest {
  private final MutableClock clock = MutableClock.atNoon();
  private final InMemoryMember dc1 = new InMemoryMember("dc1", new Resources(1000, 1L << 30));
  private final List<String> lags = Collections.synchronizedList(new ArrayList<>());
  private final FakeDns dns = new FakeDns();
  private ObjectStore store;
  private DomainRegistrar registrar;

  /** A DNS whose writes take {@code writeTakes} of the fake clock; fails while failures remain. */
  private final class FakeDns implements DnsBackend {
    final Set<DnsRecord> held = new HashSet<>();
    final AtomicInteger failures = new AtomicInteger();
    volatile Duration writeTakes = Duration.ofMillis(2500);

    @Override
    public String describe() {
      return "fake";
    }

    @Override
    public synchronized int sync(List<DnsRecord> desired) {
      Set<DnsRecord> want = new HashSet<>(desired);
      if (want.equals(held)) {
        return 0;
      }
      clock.advance(writeTakes);
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new DnsBackendException("fake DNS refuses");
      }
      Set<DnsRecord> changed = new HashSet<>(want);
      changed.removeAll(held);
      int removed = (int) held.stream().filter(r -> !want.contains(r)).count();
      held.clear();
      held.addAll(want);
      return changed.size() + removed;
    }
  }

  @BeforeEach
  void start() {
    store = new InMemoryObjectStore(clock);
    store.create(
        yaml(
            """
            apiVersion: flotilla.io/v1alpha1
            kind: MemberCluster
            metadata: {name: dc1}
            spec: {}
            status: {conditions: [{type: Ready, status: "True", reason: Probed}]}
            """));
    registrar =
        new DomainRegistrar(
            store,
            name -> name.equals("dc1") ? Optional.<Member>of(dc1) : Optional.empty(),
            new DomainRegistrar.Settings(
                "example.org",
                30,
                Optional.empty(),
                Duration.ofHours(1),
                Duration.ofMillis(20),
                Duration.ofMillis(40)),
            List.of(
                new DomainRegistrar.Target(
                    new DataCentre("east", Set.of("dc1"), Locality.ALL), dns)),
            clock,
            (dataCentre, lag) -> lags.add(dataCentre + " " + lag));
    registrar.start();
  }

  @AfterEach
  void stop() {
    registrar.close();
    store.close();
  }

  private static KubeObject yaml(String text) {
    return KubeObject.of(ManifestReader.read("test", text).get(0).node());
  }

  private void service(String ip, String label) {
    dc1.apply(
        yaml(
            """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: shop
              labels: {tier: %s}
              annotations: {flotilla.io/dns: "true"}
            spec:
              type: ClusterIP
              ports: [{name: http, port: 8080, protocol: TCP}]
              externalIPs: ["%s"]
            """
                .formatted(label, ip)));
  }

  @Test
  void theLagRunsFromTheChangeSeenToTheRecordsWritten() {
    service("10.1.0.1", "a");
    await().atMost(Duration.ofSeconds(10)).until(() -> lags.size() == 1);
    assertThat(lags).containsExactly("east PT2.5S");
    assertThat(dns.held).extracting(DnsRecord::host).contains("10.1.0.1");
  }

  @Test
  void aFailedWriteKeepsItsChangesSoTheLagCountsTheRetries() {
    dns.failures.set(2);
    service("10.1.0.1", "a");
    await().atMost(Duration.ofSeconds(10)).until(() -> lags.size() == 1);
    // three writes of 2.5 s each: two refused, the third carries the change seen before the first
    assertThat(lags).containsExactly("east PT7.5S");
  }

  @Test
  void aChangeThatAltersNoRecordReportsNoLag() throws InterruptedException {
    service("10.1.0.1", "a");
    await().atMost(Duration.ofSeconds(10)).until(() -> lags.size() == 1);
    service("10.1.0.1", "b"); // a label: no record comes from it
    service("10.1.0.2", "b");
    await().atMost(Duration.ofSeconds(10)).until(() -> lags.size() == 2);
    Thread.sleep(200);
    assertThat(lags).containsExactly("east PT2.5S", "east PT2.5S");
  }
}
