package io.flotilla.bench;

import io.flotilla.api.KubeObject;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.testing.MockMembers;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.memory.InMemoryObjectStore;
import io.flotilla.traffic.dns.BindServer;
import io.flotilla.traffic.dns.DataCentre;
import io.flotilla.traffic.dns.DomainRegistrar;
import io.flotilla.traffic.dns.EtcdBackend;
import io.flotilla.traffic.dns.EtcdServer;
import io.flotilla.traffic.dns.Rfc2136Backend;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.xbill.DNS.Type;

/**
 * How long a Service's address change in a member takes to reach each data centre's DNS: three
 * fabric8 mock API servers as member clusters, a real etcd (CoreDNS's etcd plugin's store) for data
 * centre east and a real BIND 9 (RFC 2136 with TSIG) for west, both on loopback. The load balancer
 * address of one published Service is changed {@code CHANGES} times; each change is timed from the
 * member's update to (1) the new address in etcd under the SkyDNS key and (2) BIND answering a real
 * DNS query with it.
 *
 * <p>Run: {@code bench/dns} (default 30 changes).
 */
public final class DnsLatency {
  public static void main(String[] args) throws Exception {
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    EtcdServer etcd = EtcdServer.launch();
    BindServer bind = BindServer.launch();
    try (MockMembers members = MockMembers.start("dc1", "dc2", "dc3")) {
      run(members, etcd, bind, changes);
    } finally {
      etcd.afterAll(null);
      bind.afterAll(null);
    }
    System.exit(0);
  }

  private static KubeObject yaml(String text) {
    return KubeObject.of(ManifestReader.read("bench", text).get(0).node());
  }

  private static void run(MockMembers members, EtcdServer etcd, BindServer bind, int changes)
      throws Exception {
    ObjectStore store = new InMemoryObjectStore(Clock.systemUTC());
    for (String c : List.of("dc1", "dc2", "dc3")) {
      store.create(
          yaml(
              """
              apiVersion: flotilla.io/v1alpha1
              kind: MemberCluster
              metadata: {name: %s}
              spec: {}
              status: {conditions: [{type: Ready, status: "True", reason: Probed}]}
              """
                  .formatted(c)));
    }
    EtcdBackend east = new EtcdBackend(etcd.endpoint(), "/skydns", "bench");
    DomainRegistrar registrar =
        new DomainRegistrar(
            store,
            name -> Optional.<Member>of(members.get(name).member()),
            DomainRegistrar.Settings.of(BindServer.ZONE, 30, Optional.empty()),
            List.of(
                new DomainRegistrar.Target(
                    new DataCentre("east", Set.of("dc1"), DataCentre.Locality.ALL), east),
                new DomainRegistrar.Target(
                    new DataCentre("west", Set.of("dc2", "dc3"), DataCentre.Locality.ALL),
                    new Rfc2136Backend(
                        bind.address(),
                        BindServer.ZONE,
                        BindServer.KEY_NAME,
                        BindServer.ALGORITHM,
                        bind.secret(),
                        "bench"))));
    registrar.start();
    members
        .get("dc1")
        .create(
            yaml(
                """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop, annotations: {flotilla.io/dns: "true"}}
                spec: {type: LoadBalancer, ports: [{name: http, port: 8080, protocol: TCP}]}
                status: {loadBalancer: {ingress: [{ip: 127.0.1.1}]}}
                """));
    String name = "web.shop." + BindServer.ZONE;
    awaitUntil(() -> bind.query(name, Type.A).contains("A 127.0.1.1"));

    List<Double> toEtcd = new ArrayList<>();
    List<Double> toBind = new ArrayList<>();
    for (int i = 0; i < changes; i++) {
      String ip = "127.0.1." + (2 + i);
      long t0 = System.nanoTime();
      members
          .get("dc1")
          .client()
          .services()
          .inNamespace("shop")
          .withName("web")
          .edit(
              s -> {
                s.getStatus().getLoadBalancer().getIngress().get(0).setIp(ip);
                return s;
              });
      boolean[] seen = new boolean[2];
      awaitUntil(
          () -> {
            if (!seen[0]
                && east.range("/skydns/org/example/shop/web/").values().stream()
                    .anyMatch(v -> v.contains("\"" + ip + "\""))) {
              seen[0] = true;
              toEtcd.add((System.nanoTime() - t0) / 1e6);
            }
            if (!seen[1] && bind.query(name, Type.A).contains("A " + ip)) {
              seen[1] = true;
              toBind.add((System.nanoTime() - t0) / 1e6);
            }
            return seen[0] && seen[1];
          });
    }
    registrar.close();
    System.out.printf(
        "DNS registrar, %d address changes of one Service: to etcd (SkyDNS key) median %.0f ms,"
            + " p90 %.0f ms; to BIND (answered by a real query) median %.0f ms, p90 %.0f ms%n",
        changes, median(toEtcd), p90(toEtcd), median(toBind), p90(toBind));
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static double p90(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get((int) (s.size() * 0.9));
  }

  private static void awaitUntil(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not done within 30 s");
      }
      Thread.sleep(1);
    }
  }
}
