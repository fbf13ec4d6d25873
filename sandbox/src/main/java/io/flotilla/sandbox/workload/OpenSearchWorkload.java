package io.flotilla.sandbox.workload;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps indexing into OpenSearch (the Elasticsearch stand-in; the same REST API) and reading back,
 * over HTTP to a list of nodes: it stays on one node while it answers and moves to the next on a
 * connection error, a timeout or a 5xx/429 reply.
 *
 * <p>{@link #start} creates the index if it is absent, with the given shards and {@code
 * number_of_replicas}: with one replica less than there are member clusters, and the nodes' {@code
 * zone} awareness attribute (set by the Elasticsearch adapter), every cluster holds a copy of every
 * shard.
 *
 * <p>Write {@code n} is {@code PUT /<index>/_doc/<n>} with body {@code {"n": n}} and {@code
 * wait_for_active_shards=W}, {@code W = min(2, replicas + 1)}: the write starts only when at least
 * W copies of its shard are active (or fails after the request's {@code timeout}), and the primary
 * answers only after every in-sync copy has it. It counts as acknowledged on 200/201 when the reply
 * says at least W copies succeeded ({@code _shards.successful}), so an acknowledged document is on
 * more than one copy, in more than one cluster, whenever the index has a replica. Right after comes
 * {@code GET /<index>/_doc/<n>}. A failed write is never retried with the same number.
 *
 * <p>One daemon thread does the writes and reads, with a pause between steps; connections wait at
 * most 2 s and requests 5 s (the server's own wait, {@code timeout}, 3 s), so a dead node never
 * blocks it for long.
 */
public final class OpenSearchWorkload implements Workload {
  private static final Logger LOG = LoggerFactory.getLogger(OpenSearchWorkload.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final String SERVER_TIMEOUT = "3s";
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);
  private static final Duration DEFAULT_PAUSE = Duration.ofMillis(10);
  private static final int DEFAULT_SHARDS = 3;
  private static final int BATCH = 500;

  private final List<URI> nodes;
  private final String index;
  private final int shards;
  private final int replicas;
  private final int waitForActiveShards;
  private final LongSupplier nanoTime;
  private final Counters counters;
  private final HttpClient http;
  private final PacedLoop loop;
  private final OutageLog outages = new OutageLog("opensearch");
  private volatile int current;
  private long next;
  private boolean started;

  /**
   * A workload on an index of 3 shards, writing every 10 ms or so, on the system clock.
   *
   * @param nodes the nodes' HTTP base addresses, such as {@code http://127.1.0.1:9200}
   * @param index the index to write to (created if absent)
   * @param replicas the index's {@code number_of_replicas} when this workload creates it
   */
  public OpenSearchWorkload(List<URI> nodes, String index, int replicas) {
    this(nodes, index, DEFAULT_SHARDS, replicas, DEFAULT_PAUSE, System::nanoTime);
  }

  /**
   * @param nodes the nodes' HTTP base addresses, such as {@code http://127.1.0.1:9200}
   * @param index the index to write to (created if absent)
   * @param shards the index's {@code number_of_shards} when this workload creates it
   * @param replicas the index's {@code number_of_replicas} when this workload creates it
   * @param pause the pause after each write and read
   * @param nanoTime a monotonic clock in nanoseconds, for the counters and deadlines
   * @throws IllegalArgumentException naming the problem for no nodes, a bad index name or counts
   */
  public OpenSearchWorkload(
      List<URI> nodes,
      String index,
      int shards,
      int replicas,
      Duration pause,
      LongSupplier nanoTime) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("opensearch workload: no node addresses");
    }
    if (!INDEX_NAME.matcher(index).matches()) {
      throw new IllegalArgumentException(
          "opensearch workload: index \"" + index + "\" is not a lower-case index name");
    }
    if (shards < 1 || replicas < 0) {
      throw new IllegalArgumentException(
          "opensearch workload: index "
              + index
              + " needs shards >= 1 and replicas >= 0, got "
              + shards
              + " and "
              + replicas);
    }
    this.nodes = List.copyOf(nodes);
    this.index = index;
    this.shards = shards;
    this.replicas = replicas;
    this.waitForActiveShards = Math.min(2, replicas + 1);
    this.nanoTime = nanoTime;
    this.counters = new Counters(nanoTime);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.loop = new PacedLoop("workload-opensearch", pause, this::step);
  }

  @Override
  public String describe() {
    return "opensearch documents in index "
        + index
        + " ("
        + shards
        + " shards, "
        + replicas
        + " replicas, wait_for_active_shards="
        + waitForActiveShards
        + ") via "
        + nodes;
  }

  /** How many copies of a shard must be active for a write to start, and succeed for an ack. */
  public int waitForActiveShards() {
    return waitForActiveShards;
  }

  /**
   * Creates the index unless it exists (waiting up to a minute for its copies to start), then
   * starts writing.
   *
   * @throws WorkloadException when no node answers, or one refuses to create the index
   * @throws IllegalStateException when started before
   */
  @Override
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("opensearch workload: already started");
    }
    started = true;
    createIndex();
    LOG.atInfo()
        .addKeyValue("index", index)
        .addKeyValue("nodes", nodes)
        .addKeyValue("waitForActiveShards", waitForActiveShards)
        .log("opensearch workload started");
    loop.start();
  }

  private void createIndex() {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "settings",
                Map.of(
                    "index.number_of_shards", shards,
                    "index.number_of_replicas", replicas),
                "mappings",
                Map.of("properties", Map.of("n", Map.of("type", "long")))));
    String path = "/" + index + "?wait_for_active_shards=" + waitForActiveShards + "&timeout=60s";
    String last = "no node asked";
    for (int k = 0; k < nodes.size(); k++) {
      URI node = nodes.get((current + k) % nodes.size());
      try {
        Reply r = send(node, "PUT", path, body, CREATE_TIMEOUT.plus(REQUEST_TIMEOUT));
        if (r.status() == 200) {
          boolean ready = r.json().path("shards_acknowledged").asBoolean(false);
          LOG.atInfo()
              .addKeyValue("index", index)
              .addKeyValue("shards", shards)
              .addKeyValue("replicas", replicas)
              .addKeyValue("shardsAcknowledged", ready)
              .log("opensearch workload created its index");
          return;
        }
        if (r.status() == 400
            && r.json()
                .path("error")
                .path("type")
                .asString("")
                .equals("resource_already_exists_exception")) {
          LOG.atInfo().addKeyValue("index", index).log("opensearch workload's index exists");
          return;
        }
        if (r.status() < 500) {
          throw new WorkloadException(
              "opensearch workload: "
                  + node
                  + " refused to create index "
                  + index
                  + ": "
                  + r.summary());
        }
        last = node + ": " + r.summary();
      } catch (IOException e) {
        last = node + ": " + describe(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkloadException(
            "opensearch workload: interrupted while creating index " + index, e);
      }
    }
    throw new WorkloadException(
        "opensearch workload: cannot create index " + index + " on any node (" + last + ")");
  }

  private void step() {
    long n = next++;
    URI node = nodes.get(current);
    String doc = "/" + index + "/_doc/" + n;
    String write = "PUT " + doc;
    try {
      Reply r =
          send(
              node,
              "PUT",
              doc + "?wait_for_active_shards=" + waitForActiveShards + "&timeout=" + SERVER_TIMEOUT,
              "{\"n\":" + n + "}",
              REQUEST_TIMEOUT);
      if (r.status() != 200 && r.status() != 201) {
        failed(
            node,
            write + " on " + node + ": " + r.summary(),
            r.status() >= 500 || r.status() == 429);
        return;
      }
      int copies = r.json().path("_shards").path("successful").asInt(0);
      if (copies < waitForActiveShards) {
        failed(
            node,
            write
                + " on "
                + node
                + ": reached "
                + copies
                + " of "
                + waitForActiveShards
                + " copies",
            false);
        return;
      }
    } catch (IOException e) {
      failed(node, write + " on " + node + ": " + describe(e), true);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      counters.failed(write + ": interrupted");
      return;
    }
    counters.acknowledged(n);
    outages.succeeded(n);
    try {
      Reply r = send(node, "GET", doc, null, REQUEST_TIMEOUT);
      if (r.status() == 200 && r.json().path("_source").path("n").asLong(-1) == n) {
        counters.read();
      } else {
        LOG.atWarn()
            .addKeyValue("index", index)
            .addKeyValue("id", n)
            .addKeyValue("reply", r.summary())
            .log("opensearch workload could not read back the document it just wrote");
      }
    } catch (IOException e) {
      LOG.atDebug().addKeyValue("id", n).addKeyValue("error", describe(e)).log("read failed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void failed(URI node, String error, boolean nextNode) {
    counters.failed(error);
    outages.failed(error);
    if (nextNode) {
      int at = nodes.indexOf(node);
      current = (at + 1) % nodes.size();
    }
  }

  @Override
  public Stats stats() {
    return counters.stats();
  }

  /** Stops after the write in flight (idempotent). */
  @Override
  public void stop() {
    loop.stop(STOP_WAIT);
  }

  /**
   * Stops if running, refreshes the index, then reads every acknowledged document with {@code
   * _mget} in batches (a real-time read, from whichever copy the node picks); a document not found,
   * or with another {@code n}, is reported. A batch with a shard that cannot be read is retried, on
   * the next node, until {@code timeout}.
   *
   * @throws WorkloadException naming the index, the node and the reason when a batch cannot be read
   *     in time, or when the write in flight does not finish
   */
  @Override
  public Verification verify(Duration timeout) {
    if (!loop.stop(STOP_WAIT)) {
      throw new WorkloadException(
          "opensearch workload: cannot verify, the write in flight did not finish within "
              + STOP_WAIT);
    }
    long giveUp = nanoTime.getAsLong() + timeout.toNanos();
    List<Long> acknowledged = counters.acknowledgedSequences();
    if (acknowledged.isEmpty()) {
      return new Verification(0, List.of());
    }
    refresh(giveUp, timeout);
    List<Long> missing = new ArrayList<>();
    for (int from = 0; from < acknowledged.size(); from += BATCH) {
      List<Long> batch = acknowledged.subList(from, Math.min(acknowledged.size(), from + BATCH));
      missing.addAll(missing(batch, giveUp, timeout));
    }
    LOG.atInfo()
        .addKeyValue("index", index)
        .addKeyValue("acknowledged", acknowledged.size())
        .addKeyValue("missing", missing.size())
        .log("opensearch workload verified");
    return new Verification(acknowledged.size(), missing);
  }

  private void refresh(long giveUp, Duration timeout) {
    retry(
        giveUp,
        timeout,
        "refresh index " + index,
        node -> {
          Reply r = send(node, "POST", "/" + index + "/_refresh", null, REQUEST_TIMEOUT);
          return r.status() == 200 ? null : r.summary();
        });
  }

  private List<Long> missing(List<Long> batch, long giveUp, Duration timeout) {
    List<Long> missing = new ArrayList<>();
    String body =
        JSON.writeValueAsString(Map.of("ids", batch.stream().map(String::valueOf).toList()));
    retry(
        giveUp,
        timeout,
        "read back documents "
            + batch.get(0)
            + ".."
            + batch.get(batch.size() - 1)
            + " of index "
            + index,
        node -> {
          Reply r = send(node, "POST", "/" + index + "/_mget", body, REQUEST_TIMEOUT);
          if (r.status() != 200) {
            return r.summary();
          }
          JsonNode docs = r.json().path("docs");
          if (docs.size() != batch.size()) {
            return "asked for " + batch.size() + " documents, got " + docs.size();
          }
          List<Long> notFound = new ArrayList<>();
          for (JsonNode doc : docs) {
            long id = Long.parseLong(doc.path("_id").asString("-1"));
            if (doc.has("error")) {
              return "document " + id + ": " + doc.path("error");
            }
            if (!doc.path("found").asBoolean(false)
                || doc.path("_source").path("n").asLong(-1) != id) {
              notFound.add(id);
            }
          }
          missing.addAll(notFound);
          return null;
        });
    return missing;
  }

  /** One attempt on one node: null when done, else what went wrong. */
  private interface Attempt {
    String on(URI node) throws IOException, InterruptedException;
  }

  private void retry(long giveUp, Duration timeout, String what, Attempt attempt) {
    String last;
    while (true) {
      URI node = nodes.get(current);
      try {
        last = attempt.on(node);
        if (last == null) {
          return;
        }
      } catch (IOException | JacksonException | NumberFormatException e) {
        last = describe(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkloadException("opensearch workload: interrupted: " + what, e);
      }
      current = (nodes.indexOf(node) + 1) % nodes.size();
      if (nanoTime.getAsLong() - giveUp > 0) {
        throw new WorkloadException(
            "opensearch workload: cannot "
                + what
                + " within "
                + timeout
                + " (last, on "
                + node
                + ": "
                + last
                + ")");
      }
      try {
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkloadException("opensearch workload: interrupted: " + what, e);
      }
    }
  }

  private record Reply(int status, String body) {
    private static final int SHOWN = 300;

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (JacksonException e) {
        return JSON.missingNode();
      }
    }

    String summary() {
      String shown = body.length() > SHOWN ? body.substring(0, SHOWN) + "..." : body;
      return "HTTP " + status + " " + shown;
    }
  }

  private Reply send(URI node, String method, String path, String body, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(node.resolve(path)).timeout(timeout);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  @Override
  public void close() {
    stop();
  }
}
