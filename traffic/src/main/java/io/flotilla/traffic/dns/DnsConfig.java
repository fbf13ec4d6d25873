package io.flotilla.traffic.dns;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.LabelSelector;
import io.flotilla.api.Names;
import io.flotilla.api.Problems;
import io.flotilla.api.io.CommonReaders;
import io.flotilla.api.io.Fields;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.ManifestReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * The domain registrar's configuration file ({@code flotilla server --dns FILE}): the zone, the
 * TTL, which objects to publish besides those annotated, and each data centre's DNS. Every problem
 * is reported at once, each with its field path.
 *
 * <pre>
 * zone: example.org
 * ttl: 30                      # seconds, default 30
 * owner: flotilla              # the owner mark; default flotilla
 * selector: {matchLabels: {dns: public}}   # optional
 * dataCentres:
 *   - name: east
 *     clusters: [dc1]
 *     locality: Only           # All (default), Prefer or Only
 *     etcd: {endpoint: "http://10.0.0.1:2379", prefix: /skydns}
 *   - name: west
 *     clusters: [dc2, dc3]
 *     rfc2136: {server: "10.0.0.2:53", tsigKeyName: flotilla, tsigAlgorithm: hmac-sha256,
 *               tsigSecretFile: /etc/flotilla/tsig}    # or tsigSecret: base64
 * </pre>
 */
public record DnsConfig(DomainRegistrar.Settings settings, List<DomainRegistrar.Target> targets) {
  /**
   * Reads a configuration.
   *
   * @param base the directory relative {@code tsigSecretFile} paths start from
   * @throws InvalidInputException naming every problem and its field
   */
  public static DnsConfig read(String source, String text, Path base) {
    List<Manifest> docs = ManifestReader.read(source, text);
    Problems problems = new Problems();
    if (docs.size() != 1) {
      problems.add("", "must hold one document, got " + docs.size());
      throw new InvalidInputException(source, problems.list());
    }
    Fields root = Fields.of(docs.get(0).node(), "", problems).orElseThrow();
    String zone = root.requiredString("zone").orElse("").toLowerCase(java.util.Locale.ROOT);
    if (zone.endsWith(".")) {
      zone = zone.substring(0, zone.length() - 1); // written absolute: the same zone
    }
    if (!zone.isEmpty()) {
      Names.checkDnsSubdomain(zone).ifPresent(r -> problems.add(root.path("zone"), r));
    }
    OptionalInt ttl = root.integer("ttl");
    if (ttl.isPresent() && ttl.getAsInt() <= 0) {
      problems.add(root.path("ttl"), "must be > 0 seconds, got " + ttl.getAsInt());
    }
    String owner = root.string("owner").orElse("flotilla");
    Optional<LabelSelector> selector = CommonReaders.labelSelector(root, "selector");
    List<DomainRegistrar.Target> targets = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    List<Fields> dcs = root.objectList("dataCentres");
    if (dcs.isEmpty()) {
      problems.add(root.path("dataCentres"), "must name at least one data centre and its DNS");
    }
    for (Fields dc : dcs) {
      dataCentre(dc, zone, owner, base, names).ifPresent(targets::add);
    }
    root.rejectUnknown();
    if (!problems.isEmpty()) {
      targets.forEach(t -> t.backend().close());
      throw new InvalidInputException(source, problems.list());
    }
    return new DnsConfig(
        DomainRegistrar.Settings.of(zone, ttl.orElse(30), selector), List.copyOf(targets));
  }

  private static Optional<DomainRegistrar.Target> dataCentre(
      Fields dc, String zone, String owner, Path base, Set<String> names) {
    Problems problems = dc.problems();
    int before = problems.list().size();
    Optional<String> name = dc.requiredString("name");
    name.ifPresent(
        n -> {
          if (!names.add(n)) {
            problems.add(dc.path("name"), "\"" + n + "\" is given twice");
          }
        });
    List<String> clusters = dc.stringList("clusters");
    DataCentre.Locality locality = DataCentre.Locality.ALL;
    Optional<String> l = dc.string("locality");
    if (l.isPresent()) {
      Optional<DataCentre.Locality> known =
          Arrays.stream(DataCentre.Locality.values())
              .filter(v -> v.id().equals(l.get()))
              .findFirst();
      if (known.isEmpty()) {
        problems.add(dc.path("locality"), "must be All, Prefer or Only, got \"" + l.get() + "\"");
      } else {
        locality = known.get();
      }
    }
    Optional<Fields> etcd = dc.object("etcd");
    Optional<Fields> rfc = dc.object("rfc2136");
    if (etcd.isPresent() == rfc.isPresent()) {
      problems.add(dc.path(), "must give exactly one DNS: etcd or rfc2136");
    }
    Optional<DnsBackend> backend =
        etcd.isPresent()
            ? etcd(etcd.get(), owner)
            : rfc.flatMap(r -> rfc2136(r, zone, owner, base));
    dc.rejectUnknown();
    if (problems.list().size() != before || backend.isEmpty() || name.isEmpty()) {
      backend.ifPresent(DnsBackend::close);
      return Optional.empty();
    }
    return Optional.of(
        new DomainRegistrar.Target(
            new DataCentre(name.get(), new TreeSet<>(clusters), locality), backend.get()));
  }

  private static Optional<DnsBackend> etcd(Fields f, String owner) {
    Optional<String> endpoint = f.requiredString("endpoint");
    String prefix = f.string("prefix").orElse("/skydns");
    if (!prefix.startsWith("/")) {
      f.problems().add(f.path("prefix"), "must start with /, got \"" + prefix + "\"");
    }
    f.rejectUnknown();
    if (endpoint.isEmpty()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = URI.create(endpoint.get());
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || !"http".equals(uri.getScheme()) || uri.getHost() == null) {
      f.problems()
          .add(
              f.path("endpoint"),
              "must be http://host:port (etcd's client URL), got \"" + endpoint.get() + "\"");
      return Optional.empty();
    }
    return Optional.of(new EtcdBackend(uri, prefix, owner));
  }

  private static Optional<DnsBackend> rfc2136(Fields f, String zone, String owner, Path base) {
    Optional<String> server = f.requiredString("server");
    String rfcZone = f.string("zone").orElse(zone);
    Optional<String> keyName = f.requiredString("tsigKeyName");
    String algorithm = f.string("tsigAlgorithm").orElse("hmac-sha256");
    Optional<String> secret = f.string("tsigSecret");
    Optional<String> secretFile = f.string("tsigSecretFile");
    if (secret.isPresent() == secretFile.isPresent()) {
      f.problems().add(f.path(), "must give exactly one of tsigSecret and tsigSecretFile");
    }
    f.rejectUnknown();
    Optional<InetSocketAddress> address = server.flatMap(s -> hostPort(f, s));
    Optional<String> key = secret;
    if (secretFile.isPresent()) {
      Path p = base.resolve(secretFile.get());
      try {
        key = Optional.of(Files.readString(p, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        f.problems().add(f.path("tsigSecretFile"), "cannot be read: " + e.getMessage());
        key = Optional.empty();
      }
    }
    if (address.isEmpty() || keyName.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Rfc2136Backend(address.get(), rfcZone, keyName.get(), algorithm, key.get(), owner));
    } catch (IllegalArgumentException e) {
      // names the field itself (tsigSecret, zone, tsig key): never the secret's value
      f.problems().add(f.path(), e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<InetSocketAddress> hostPort(Fields f, String s) {
    int colon = s.lastIndexOf(':');
    String host = colon < 0 ? s : s.substring(0, colon);
    int port = 53;
    if (colon >= 0) {
      try {
        port = Integer.parseInt(s.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      f.problems().add(f.path("server"), "must be host or host:port, got \"" + s + "\"");
      return Optional.empty();
    }
    return Optional.of(new InetSocketAddress(host, port));
  }
}
