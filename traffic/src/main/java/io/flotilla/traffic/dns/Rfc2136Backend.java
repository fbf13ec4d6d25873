package io.flotilla.traffic.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * A data centre's DNS that takes RFC 2136 dynamic updates signed with TSIG (BIND, Knot, PowerDNS).
 * A sync reads the zone by AXFR (signed with the same key), then sends the differences in batched
 * UPDATE messages. Ownership lives in TXT records: every name Flotilla writes has a TXT record
 * {@code "heritage=flotilla,owner=<owner>"} at {@code _flotilla-owner.<name>}; names without it are
 * never changed or deleted. An SRV record needs a host name as its target: an IP target is given
 * the name {@code ip-<address with dashes>.<zone>}, with its own address record.
 */
public final class Rfc2136Backend implements DnsBackend {
  private static final Logger LOG = LoggerFactory.getLogger(Rfc2136Backend.class);
  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
  private static final String OWNER_LABEL = "_flotilla-owner";
  private static final int BATCH = 200;
  private static final Set<Integer> MANAGED_TYPES = Set.of(Type.A, Type.AAAA, Type.CNAME, Type.SRV);

  private final InetSocketAddress server;
  private final Name zone;
  private final TSIG tsig;
  private final String marker;
  private final Duration timeout = Duration.ofSeconds(3);

  /**
   * @param tsigAlgorithm such as {@code hmac-sha256}
   * @param tsigSecret the key, base64
   * @throws IllegalArgumentException naming the field when the zone, algorithm or secret is bad
   */
  public Rfc2136Backend(
      InetSocketAddress server,
      String zone,
      String tsigKeyName,
      String tsigAlgorithm,
      String tsigSecret,
      String owner) {
    this.server = server;
    try {
      this.zone = Name.fromString(zone.endsWith(".") ? zone : zone + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException(
          "zone \"" + zone + "\" is not a DNS name: " + e.getMessage());
    }
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(tsigSecret);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tsigSecret is not valid base64: " + e.getMessage());
    }
    if (secret.length == 0) {
      throw new IllegalArgumentException("tsigSecret is empty");
    }
    Name algorithm;
    try {
      algorithm =
          Name.fromString(tsigAlgorithm.endsWith(".") ? tsigAlgorithm : tsigAlgorithm + ".");
      this.tsig =
          new TSIG(
              algorithm,
              Name.fromString(tsigKeyName.endsWith(".") ? tsigKeyName : tsigKeyName + "."),
              secret);
    } catch (TextParseException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "tsig key " + tsigKeyName + " / " + tsigAlgorithm + " cannot be used: " + e.getMessage());
    }
    this.marker = "heritage=flotilla,owner=" + owner;
  }

  @Override
  public String describe() {
    return "rfc2136 " + server.getHostString() + ":" + server.getPort() + " zone " + zone;
  }

  @Override
  public int sync(List<DnsRecord> desired) {
    Map<Name, List<Record>> want = wanted(desired);
    List<Record> current = transfer();
    Map<Name, List<Record>> have = new LinkedHashMap<>();
    Set<Name> ours = new HashSet<>();
    Set<Name> owned = new HashSet<>(); // names with any Flotilla owner mark
    for (Record r : current) {
      if (r.getType() == Type.TXT && r.getName().getLabelString(0).equals(OWNER_LABEL)) {
        Name of = new Name(r.getName(), 1);
        owned.add(of);
        if (((TXTRecord) r).getStrings().contains(marker)) {
          ours.add(of);
        }
      } else if (MANAGED_TYPES.contains(r.getType())) {
        have.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add(r);
      }
    }
    List<Update> updates = new ArrayList<>();
    Update u = new Update(zone);
    int changes = 0;
    int inBatch = 0;
    for (Map.Entry<Name, List<Record>> e : want.entrySet()) {
      Name n = e.getKey();
      List<Record> now = have.getOrDefault(n, List.of());
      if ((!now.isEmpty() || owned.contains(n)) && !ours.contains(n)) {
        LOG.atWarn()
            .addKeyValue("dns", describe())
            .addKeyValue("name", n.toString())
            .log("name exists and is not Flotilla's: not changed");
        continue;
      }
      if (sameRecords(now, e.getValue())) {
        continue;
      }
      for (int type : MANAGED_TYPES) {
        if (now.stream().anyMatch(r -> r.getType() == type)) {
          u.delete(n, type);
        }
      }
      e.getValue().forEach(u::add);
      if (!ours.contains(n)) {
        u.add(ownerRecord(n));
      }
      changes++;
      if (++inBatch >= BATCH) {
        updates.add(u);
        u = new Update(zone);
        inBatch = 0;
      }
    }
    for (Name n : ours) {
      if (!want.containsKey(n)) {
        u.delete(n);
        u.delete(ownerName(n));
        changes++;
        if (++inBatch >= BATCH) {
          updates.add(u);
          u = new Update(zone);
          inBatch = 0;
        }
      }
    }
    if (inBatch > 0) {
      updates.add(u);
    }
    for (Update update : updates) {
      send(update);
    }
    return changes;
  }

  private Map<Name, List<Record>> wanted(List<DnsRecord> desired) {
    Map<Name, List<Record>> want = new TreeMap<>();
    for (DnsRecord r : desired) {
      Name n = name(r.name());
      Record rr;
      if (r.isSrv()) {
        Name target;
        if (isIp(r.host())) {
          target = name("ip-" + r.host().replace('.', '-').replace(':', '-') + "." + zoneText());
          Record address = address(target, r.host(), r.ttl());
          List<Record> at = want.computeIfAbsent(target, x -> new ArrayList<>());
          if (!at.contains(address)) {
            at.add(address);
          }
        } else {
          target = name(r.host());
        }
        rr = new SRVRecord(n, DClass.IN, r.ttl(), r.priority(), 0, r.port(), target);
      } else if (isIp(r.host())) {
        rr = address(n, r.host(), r.ttl());
      } else {
        rr = new CNAMERecord(n, DClass.IN, r.ttl(), name(r.host()));
      }
      List<Record> at = want.computeIfAbsent(n, x -> new ArrayList<>());
      if (!at.contains(rr)) {
        at.add(rr);
      }
    }
    return want;
  }

  private String zoneText() {
    String z = zone.toString();
    return z.substring(0, z.length() - 1);
  }

  private static boolean isIp(String host) {
    return IPV4.matcher(host).matches() || host.contains(":");
  }

  private static Record address(Name n, String ip, long ttl) {
    try {
      InetAddress a = InetAddress.getByName(ip); // a literal: no lookup
      return a.getAddress().length == 4
          ? new ARecord(n, DClass.IN, ttl, a)
          : new AAAARecord(n, DClass.IN, ttl, a);
    } catch (IOException e) {
      throw new DnsBackendException("address " + ip + " is not an IP literal", e);
    }
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text.endsWith(".") ? text : text + ".");
    } catch (TextParseException e) {
      throw new DnsBackendException("\"" + text + "\" is not a DNS name: " + e.getMessage());
    }
  }

  private static Name ownerName(Name n) {
    try {
      return Name.concatenate(Name.fromString(OWNER_LABEL), n);
    } catch (IOException e) {
      throw new DnsBackendException("name " + n + " is too long for an owner record", e);
    }
  }

  private Record ownerRecord(Name n) {
    return new TXTRecord(ownerName(n), DClass.IN, 300, marker);
  }

  /** The same records (data and TTL), in any order. */
  private static boolean sameRecords(List<Record> a, List<Record> b) {
    if (a.size() != b.size()) {
      return false;
    }
    Set<String> left = new HashSet<>();
    a.forEach(r -> left.add(r.toString()));
    Set<String> right = new HashSet<>();
    b.forEach(r -> right.add(r.toString()));
    return left.equals(right);
  }

  private List<Record> transfer() {
    try {
      ZoneTransferIn xfr = ZoneTransferIn.newAXFR(zone, server, tsig);
      xfr.setTimeout(timeout);
      xfr.run();
      return xfr.getAXFR();
    } catch (ZoneTransferException e) {
      throw new DnsBackendException(
          describe() + ": zone transfer refused: " + e.getMessage() + " (is the TSIG key right?)",
          e);
    } catch (IOException e) {
      throw new DnsBackendException(describe() + ": zone transfer failed: " + e, e);
    }
  }

  private void send(Update update) {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTCP(true);
    resolver.setTimeout(timeout);
    resolver.setTSIGKey(tsig);
    Message response;
    try {
      response = resolver.send(update);
    } catch (IOException e) {
      throw new DnsBackendException(describe() + ": update failed: " + e, e);
    }
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR) {
      throw new DnsBackendException(
          describe() + ": update refused: " + Rcode.string(rcode) + " (is the TSIG key right?)");
    }
  }
}
