package io.flotilla.traffic.dns;

import java.util.Comparator;
import java.util.Objects;

/**
 * One DNS record Flotilla keeps: {@code name} (lower case, no trailing dot) answers with {@code
 * host} — an A or AAAA record when it is an IP address, a CNAME otherwise; with a {@code port}, an
 * SRV record (its name then starts with {@code _<port name>._<protocol>.}) whose target is {@code
 * host}. Always with an explicit {@code ttl}.
 *
 * @param port 0 for an address or alias record
 * @param priority the SRV priority (lower is preferred); 0 for others
 */
public record DnsRecord(String name, String host, int port, int priority, int ttl) {
  /** Sorted by name, then host, then port: the order records are written and shown in. */
  public static final Comparator<DnsRecord> ORDER =
      Comparator.comparing(DnsRecord::name)
          .thenComparing(DnsRecord::host)
          .thenComparingInt(DnsRecord::port);

  public DnsRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    if (ttl <= 0) {
      throw new IllegalArgumentException("ttl must be > 0, got " + ttl);
    }
  }

  public boolean isSrv() {
    return port > 0;
  }
}
