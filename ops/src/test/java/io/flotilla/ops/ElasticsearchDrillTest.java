package io.flotilla.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.MiddlewareType;
import io.flotilla.api.Placement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.elasticsearch.ElasticsearchAdapter;
import io.flotilla.ops.ElasticsearchMembership.ShardCopies;
import io.flotilla.ops.ElasticsearchMembership.VotingConfiguration;
import io.flotilla.runtime.RunningInstance;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three OpenSearch nodes spread over three clusters (1+1+1, each master-eligible and holding data,
 * real servers on loopback) with an index of 2 replicas, one copy of each shard per cluster. A
 * writer keeps indexing while the node in dc3 is lost. A replacement with a fresh id (4, never 3
 * again) is started in dc3, and the Elasticsearch {@link MembershipDriver} excludes the lost node
 * from the voting configuration, clears the exclusion once it is out, and returns once the cluster
 * is green with a copy of every shard in every cluster and the replacement voting; run again, it
 * changes nothing. No acknowledged document is lost, and the replacement holds every document.
 * Last, a SIGTERM stops the replacement cleanly.
 */
@Tag("e2e")
class ElasticsearchDrillTest {
  private static final String INDEX = "drill";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void aLostNodeIsReplacedWithAFreshIdAndNoAcknowledgedDocumentIsLost() throws Exception {
    long began = System.nanoTime();
    try (LocalDrill drill =
        new LocalDrill(new ElasticsearchAdapter(), DrillMiddleware.OPENSEARCH, Map.of(), dir)) {
      Placement one = LocalDrill.oneEach("master");
      Topology before = drill.topology(one, BaseIds.contiguous(one, 1), List.of());
      drill.start(before, before.instances());
      URI dc1 = http(before, before.find("master", 1).orElseThrow());
      ElasticsearchMembership membership = new ElasticsearchMembership(HTTP);

      assertThat(membership.ensureReplicas(dc1, drill.middleware)).isEmpty();
      request("PUT", dc1, "/" + INDEX, "{\"settings\":{\"index.number_of_shards\":3}}");
      assertThat(
              request("GET", dc1, "/" + INDEX + "/_settings?flat_settings=true", null)
                  .at("/" + INDEX + "/settings/index.number_of_replicas")
                  .asString())
          .as("replicas from the template " + ElasticsearchAdapter.REPLICAS_TEMPLATE)
          .isEqualTo("2");
      assertThat(membership.awaitFullStrength(dc1, 3, Duration.ofMinutes(3)))
          .hasSize(3)
          .allSatisfy(c -> assertThat(c.zones()).containsExactly("dc1", "dc2", "dc3"));
      assertThat(membership.votingConfiguration(dc1).voters())
          .containsExactly("es-master-1", "es-master-2", "es-master-3");
      String lostId =
          membership.nodes(dc1).stream()
              .filter(n -> n.name().equals("es-master-3"))
              .findFirst()
              .orElseThrow()
              .id();

      Writer writer = new Writer(dc1);
      writer.start();
      await("documents acknowledged before the loss")
          .atMost(Duration.ofMinutes(2))
          .until(() -> writer.acknowledged.size() >= 300);

      Instance lost = before.find("master", 3).orElseThrow();
      long lostAt = System.nanoTime();
      drill.kill(lost);
      int ackedAtLoss = writer.acknowledged.size();

      BaseIds fresh =
          new BaseIds(Map.of("master", new TreeMap<>(Map.of("dc1", 1, "dc2", 2, "dc3", 4))));
      Topology after = drill.topology(one, fresh, List.of());
      Instance replacement = after.find("master", 4).orElseThrow();
      assertThat(replacement.cluster()).isEqualTo("dc3");
      drill.start(after, List.of(replacement));
      MembershipDriver driver =
          MembershipDrivers.of(MiddlewareType.ELASTICSEARCH, drill.tools, Clock.systemUTC());
      driver.reconcile(before, after, Set.of(lost));
      double seconds = (System.nanoTime() - lostAt) / 1e9;
      System.out.printf(
          "elasticsearch drill: from the loss of es-master-3 to green with a copy of every shard"
              + " in every cluster and es-master-4 voting: %.1f s%n",
          seconds);
      VotingConfiguration voting = membership.votingConfiguration(dc1);
      assertThat(voting)
          .isEqualTo(
              new VotingConfiguration(
                  List.of("es-master-1", "es-master-2", "es-master-4"), List.of()));
      assertThat(voting.voters()).doesNotContain(lostId);
      List<ShardCopies> copies = membership.shardCopies(dc1);
      assertThat(copies)
          .filteredOn(c -> c.index().equals(INDEX))
          .hasSize(3)
          .allSatisfy(c -> assertThat(c.zones()).containsExactly("dc1", "dc2", "dc3"));

      driver.reconcile(before, after, Set.of(lost));
      assertThat(membership.votingConfiguration(dc1))
          .as("a second reconcile changes nothing")
          .isEqualTo(voting);
      assertThat(membership.shardCopies(dc1)).isEqualTo(copies);
      assertThat(
              request("GET", dc1, "/" + INDEX + "/_settings?flat_settings=true", null)
                  .at("/" + INDEX + "/settings")
                  .has("index.unassigned.node_left.delayed_timeout"))
          .as("the allocation delay is back to its default")
          .isFalse();

      writer.stop();
      assertThat(writer.acknowledged.size())
          .as("documents acknowledged while a cluster was lost")
          .isGreaterThan(ackedAtLoss);
      request("POST", dc1, "/" + INDEX + "/_refresh", null);
      assertThat(missing(dc1, writer.acknowledged)).as("acknowledged documents lost").isEmpty();
      long total = request("GET", dc1, "/" + INDEX + "/_count", null).path("count").asLong();
      long onReplacement =
          request(
                  "GET",
                  http(after, replacement),
                  "/" + INDEX + "/_count?preference=_only_local",
                  null)
              .path("count")
              .asLong();
      assertThat(total).isGreaterThanOrEqualTo(writer.acknowledged.size());
      assertThat(onReplacement).as("documents held by the replacement").isEqualTo(total);

      RunningInstance stopped = drill.running.remove(replacement);
      stopped.stop();
      assertThat(stopped.alive()).isFalse();
      assertThat(Files.readString(stopped.log()))
          .as("a SIGTERM closes the node cleanly")
          .contains("[es-master-4] closed")
          .contains("[es-master-4] stopped");
      System.out.printf(
          "elasticsearch drill: %d documents acknowledged (%d after the loss), none lost;"
              + " wall time %.1f s%n",
          writer.acknowledged.size(),
          writer.acknowledged.size() - ackedAtLoss,
          (System.nanoTime() - began) / 1e9);
    }
  }

  /** Indexes 20 documents every 100 ms through one node; keeps the ids it acknowledged. */
  private static final class Writer {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final URI node;
    private final AtomicInteger next = new AtomicInteger();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    Writer(URI node) {
      this.node = node;
    }

    void start() {
      executor.scheduleWithFixedDelay(this::batch, 0, 100, TimeUnit.MILLISECONDS);
    }

    void stop() throws InterruptedException {
      executor.shutdown();
      assertThat(executor.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
    }

    /** One bulk request; an item counts only when it answered 201 (created, on every copy). */
    private void batch() {
      StringBuilder body = new StringBuilder();
      for (int k = 0; k < 20; k++) {
        int n = next.getAndIncrement();
        body.append("{\"index\":{\"_index\":\"" + INDEX + "\",\"_id\":\"d-" + n + "\"}}\n");
        body.append("{\"n\":" + n + "}\n");
      }
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(node.resolve("/_bulk?wait_for_active_shards=2"))
                    .timeout(Duration.ofSeconds(90))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          return;
        }
        for (JsonNode item : JSON.readTree(r.body()).path("items")) {
          JsonNode index = item.path("index");
          if (index.path("status").asInt() == 201) {
            acknowledged.add(index.path("_id").asString());
          }
        }
      } catch (IOException e) {
        // not acknowledged: the ids of this batch are not counted
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The acknowledged ids that a multi-get does not find. */
  private static List<String> missing(URI node, Set<String> ids) throws Exception {
    List<String> all = new ArrayList<>(ids);
    List<String> missing = new ArrayList<>();
    for (int from = 0; from < all.size(); from += 1000) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + 1000));
      String body = JSON.writeValueAsString(Map.of("ids", chunk));
      for (JsonNode doc :
          request("POST", node, "/" + INDEX + "/_mget?_source=false", body).path("docs")) {
        if (!doc.path("found").asBoolean(false)) {
          missing.add(doc.path("_id").asString());
        }
      }
    }
    return missing;
  }

  private static URI http(Topology t, Instance i) {
    return URI.create("http://" + t.host(i) + ":" + ElasticsearchAdapter.HTTP_PORT);
  }

  private static JsonNode request(String method, URI node, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(90));
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return JSON.readTree(r.body());
  }
}
