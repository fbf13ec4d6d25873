package io.flotilla.traffic.dns;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The SkyDNS layout CoreDNS's etcd plugin reads (pure): a record lives at {@code <prefix>/<labels
 * reversed>/<id>} — {@code web.shop.example.org} under {@code /skydns/org/example/shop/web/} — as
 * JSON {@code {"host", "port", "priority", "ttl"}}, plus the owner mark {@code "owner":
 * "flotilla.io/<owner>"} by which Flotilla knows its own records; keys without it are never changed
 * or deleted. The id is derived from the host and port, so the same record always has the same key.
 */
public final class SkyDns {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String OWNER_PREFIX = "flotilla.io/";

  private SkyDns() {}

  /** The etcd key of a record under {@code prefix} (such as {@code /skydns}). */
  public static String key(String prefix, DnsRecord r) {
    return directory(prefix, r.name()) + id(r);
  }

  /** Where a name's records live: {@code <prefix>/<labels reversed>/}. */
  public static String directory(String prefix, String name) {
    List<String> labels = new ArrayList<>(List.of(name.split("\\.")));
    Collections.reverse(labels);
    return trimSlash(prefix) + "/" + String.join("/", labels) + "/";
  }

  private static String trimSlash(String prefix) {
    return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  private static String id(DnsRecord r) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest((r.host() + ":" + r.port()).getBytes(StandardCharsets.UTF_8));
      return "flotilla-" + HexFormat.of().formatHex(d, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  /** The JSON value of a record, with the owner mark. */
  public static String value(DnsRecord r, String owner) {
    ObjectNode o = JSON.createObjectNode();
    o.put("host", r.host());
    if (r.isSrv()) {
      o.put("port", r.port());
      o.put("priority", r.priority());
    }
    o.put("ttl", r.ttl());
    o.put("owner", OWNER_PREFIX + owner);
    return JSON.writeValueAsString(o);
  }

  /** The owner a stored value names; empty when it is not a Flotilla record (or not JSON). */
  public static Optional<String> owner(String value) {
    try {
      JsonNode n = JSON.readTree(value);
      String o = n.path("owner").asString("");
      return o.startsWith(OWNER_PREFIX)
          ? Optional.of(o.substring(OWNER_PREFIX.length()))
          : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
