package io.flotilla.traffic.dns;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * CoreDNS's etcd plugin as a data centre's DNS: records in the SkyDNS layout ({@link SkyDns}) under
 * a prefix, written through etcd's v3 JSON gateway ({@code /v3/kv/...}) with the JDK's HTTP client.
 * A sync reads every key under the prefix, then puts what differs and deletes Flotilla's stale keys
 * (those with its owner mark), one key at a time.
 */
public final class EtcdBackend implements DnsBackend {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdBackend.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final URI endpoint;
  private final String prefix;
  private final String owner;
  private final HttpClient http;

  /**
   * @param endpoint etcd's client URL, such as {@code http://10.0.0.1:2379}
   * @param prefix the plugin's path, {@code /skydns} by default
   * @param owner the owner mark of this Flotilla (several may share one etcd)
   */
  public EtcdBackend(URI endpoint, String prefix, String owner) {
    this.endpoint = endpoint;
    this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    this.owner = owner;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @Override
  public String describe() {
    return "etcd " + endpoint + " " + prefix;
  }

  @Override
  public int sync(List<DnsRecord> desired) {
    Map<String, String> want = new TreeMap<>();
    for (DnsRecord r : desired) {
      want.put(SkyDns.key(prefix, r), SkyDns.value(r, owner));
    }
    Map<String, String> have = range(prefix + "/");
    int changes = 0;
    for (Map.Entry<String, String> e : have.entrySet()) {
      boolean ours = SkyDns.owner(e.getValue()).filter(owner::equals).isPresent();
      if (ours && !want.containsKey(e.getKey())) {
        delete(e.getKey());
        changes++;
      }
    }
    for (Map.Entry<String, String> e : want.entrySet()) {
      String current = have.get(e.getKey());
      if (e.getValue().equals(current)) {
        continue;
      }
      if (current != null && SkyDns.owner(current).filter(owner::equals).isEmpty()) {
        LOG.atWarn()
            .addKeyValue("dns", describe())
            .addKeyValue("key", e.getKey())
            .log("key exists and is not Flotilla's: not overwritten");
        continue;
      }
      put(e.getKey(), e.getValue());
      changes++;
    }
    return changes;
  }

  /** Every key and value under a prefix, whoever owns them (for checks and tools). */
  public Map<String, String> range(String keyPrefix) {
    ObjectNode body = JSON.createObjectNode();
    body.put("key", b64(keyPrefix));
    body.put("range_end", b64(rangeEnd(keyPrefix)));
    JsonNode answer = call("kv/range", body);
    Map<String, String> out = new TreeMap<>();
    for (JsonNode kv : answer.path("kvs")) {
      out.put(unb64(kv.path("key").asString()), unb64(kv.path("value").asString("")));
    }
    return out;
  }

  void put(String key, String value) {
    ObjectNode body = JSON.createObjectNode();
    body.put("key", b64(key));
    body.put("value", b64(value));
    call("kv/put", body);
  }

  void delete(String key) {
    ObjectNode body = JSON.createObjectNode();
    body.put("key", b64(key));
    call("kv/deleterange", body);
  }

  /** The smallest key after every key that starts with {@code p}: its last byte plus one. */
  private static String rangeEnd(String p) {
    char last = p.charAt(p.length() - 1);
    return p.substring(0, p.length() - 1) + (char) (last + 1);
  }

  private JsonNode call(String path, ObjectNode body) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.resolve("/v3/" + path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DnsBackendException(describe() + ": " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DnsBackendException(describe() + ": " + path + " interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new DnsBackendException(
          describe()
              + ": "
              + path
              + " answered HTTP "
              + response.statusCode()
              + ": "
              + Optional.ofNullable(response.body()).orElse(""));
    }
    return JSON.readTree(response.body());
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }
}
