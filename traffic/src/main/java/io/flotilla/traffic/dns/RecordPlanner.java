package io.flotilla.traffic.dns;

import io.flotilla.api.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which records one data centre's DNS should hold (pure): for every published Service, {@code
 * <svc>.<ns>.<cluster>.<zone>} with that cluster's addresses and {@code <svc>.<ns>.<zone>} with
 * every ready cluster's; for every Ingress, each rule's host inside the zone with every ready
 * cluster's addresses; SRV records {@code _<port>._<protocol>.<name>} for every named port. Names
 * across clusters follow the data centre's {@link DataCentre.Locality}. What cannot be published is
 * skipped with a message naming the object and the reason; the rest goes on.
 */
public final class RecordPlanner {
  private static final Pattern IPV4 =
      Pattern.compile(
          "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
  private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:.]+$");

  private RecordPlanner() {}

  /** The records, sorted, and one message per thing skipped. */
  public record Plan(List<DnsRecord> records, List<String> skipped) {
    public Plan {
      records = List.copyOf(records);
      skipped = List.copyOf(skipped);
    }
  }

  /** The targets and ports one cluster gives a name across clusters. */
  private record Share(String cluster, List<String> targets, List<Published.Port> ports) {}

  /**
   * @param zone the DNS zone, lower case, no trailing dot
   * @param ready the member clusters that are Ready: only they count in names across clusters
   */
  public static Plan plan(
      String zone, int ttl, DataCentre dc, Collection<Published> published, Set<String> ready) {
    List<String> skipped = new ArrayList<>();
    Map<String, DnsRecord> out = new TreeMap<>();
    Map<String, List<Share>> across = new TreeMap<>();
    List<Published> sorted =
        published.stream()
            .sorted(
                Comparator.comparing(Published::cluster)
                    .thenComparing(Published::kind)
                    .thenComparing(Published::namespace)
                    .thenComparing(Published::name))
            .toList();
    for (Published p : sorted) {
      List<String> targets = targets(p, skipped);
      if (targets.isEmpty()) {
        continue;
      }
      if (p.kind().equals("Service")) {
        Optional<String> bad =
            firstProblem(
                label("name", p.name()),
                label("namespace", p.namespace()),
                label("cluster", p.cluster()));
        if (bad.isPresent()) {
          skipped.add(p.describe() + ": " + bad.get());
          continue;
        }
        String own = p.name() + "." + p.namespace() + "." + p.cluster() + "." + zone;
        add(out, own, targets, p.ports(), 0, ttl);
        if (ready.contains(p.cluster())) {
          across
              .computeIfAbsent(p.name() + "." + p.namespace() + "." + zone, n -> new ArrayList<>())
              .add(new Share(p.cluster(), targets, p.ports()));
        }
      } else {
        for (String host : p.hosts()) {
          Optional<String> bad = hostProblem(host, zone);
          if (bad.isPresent()) {
            skipped.add(p.describe() + ": " + bad.get());
          } else if (ready.contains(p.cluster())) {
            across
                .computeIfAbsent(host.toLowerCase(java.util.Locale.ROOT), n -> new ArrayList<>())
                .add(new Share(p.cluster(), targets, p.ports()));
          }
        }
      }
    }
    for (Map.Entry<String, List<Share>> e : across.entrySet()) {
      List<Share> shares = e.getValue();
      boolean anyLocal = shares.stream().anyMatch(s -> dc.clusters().contains(s.cluster()));
      for (Share s : shares) {
        boolean local = dc.clusters().contains(s.cluster());
        if (dc.locality() == DataCentre.Locality.ONLY && anyLocal && !local) {
          continue;
        }
        int priority = dc.locality() == DataCentre.Locality.PREFER ? (local ? 10 : 20) : 0;
        add(out, e.getKey(), s.targets(), s.ports(), priority, ttl);
      }
    }
    List<DnsRecord> records = new ArrayList<>(out.values());
    records.sort(DnsRecord.ORDER);
    return new Plan(records, skipped);
  }

  private static void add(
      Map<String, DnsRecord> out,
      String name,
      List<String> targets,
      List<Published.Port> ports,
      int priority,
      int ttl) {
    for (String t : targets) {
      put(out, new DnsRecord(name, t, 0, 0, ttl));
      for (Published.Port port : ports) {
        if (!port.name().isEmpty() && port.port() > 0) {
          String proto = port.protocol().toLowerCase(java.util.Locale.ROOT);
          put(
              out,
              new DnsRecord(
                  "_" + port.name() + "._" + proto + "." + name, t, port.port(), priority, ttl));
        }
      }
    }
  }

  /** One record per name, host and port; the preferred (lowest) priority wins. */
  private static void put(Map<String, DnsRecord> out, DnsRecord r) {
    out.merge(
        r.name() + "|" + r.host() + "|" + r.port(),
        r,
        (a, b) -> a.priority() <= b.priority() ? a : b);
  }

  /** The valid targets: IP addresses and host names; others skipped with a message. */
  private static List<String> targets(Published p, List<String> skipped) {
    List<String> out = new ArrayList<>();
    for (String t : p.targets()) {
      if (IPV4.matcher(t).matches() || (t.contains(":") && IPV6.matcher(t).matches())) {
        out.add(t);
      } else {
        Optional<String> bad = Names.checkDnsSubdomain(t);
        if (bad.isPresent()) {
          skipped.add(p.describe() + ": address \"" + t + "\" is neither an IP nor a host name");
        } else {
          out.add(t);
        }
      }
    }
    return out;
  }

  private static Optional<String> label(String what, String value) {
    return Names.checkDnsLabel(value)
        .map(reason -> what + " \"" + value + "\" cannot be a DNS label: " + reason);
  }

  @SafeVarargs
  private static Optional<String> firstProblem(Optional<String>... problems) {
    for (Optional<String> p : problems) {
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> hostProblem(String host, String zone) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    if (h.startsWith("*.")) {
      return Optional.of("host \"" + host + "\" is a wildcard; wildcards are not published");
    }
    if (!h.equals(zone) && !h.endsWith("." + zone)) {
      return Optional.of("host \"" + host + "\" is outside the zone " + zone);
    }
    return Names.checkDnsSubdomain(h).map(r -> "host \"" + host + "\": " + r);
  }
}
