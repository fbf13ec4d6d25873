package io.flotilla.sandbox.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.Placement;
import io.flotilla.middleware.BaseIds;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.middleware.elasticsearch.ElasticsearchAdapter;
import io.flotilla.ops.DrillMiddleware;
import io.flotilla.ops.LocalDrill;
import io.flotilla.sandbox.workload.Workload.Stats;
import io.flotilla.sandbox.workload.Workload.Verification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenSearch workload against three real nodes on loopback, one per cluster, each
 * master-eligible and holding data (as in the ops drill), with an index of 2 replicas: a copy of
 * every shard in every cluster.
 */
@Tag("e2e")
class OpenSearchWorkloadTest {
  private static final String INDEX = "demo";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void writesGoOnThroughTheLossOfANodeAndEveryAcknowledgedDocumentIsReadBack() throws Exception {
    long began = System.nanoTime();
    try (LocalDrill drill =
        new LocalDrill(new ElasticsearchAdapter(), DrillMiddleware.OPENSEARCH, Map.of(), dir)) {
      Placement one = LocalDrill.oneEach("master");
      Topology t = drill.topology(one, BaseIds.contiguous(one, 1), List.of());
      drill.start(t, t.instances());
      Instance lost = t.find("master", 3).orElseThrow();
      URI dc1 = http(t, t.find("master", 1).orElseThrow());
      // the node to be lost first: the workload is on it when it dies and must move on
      List<URI> nodes = List.of(http(t, lost), dc1, http(t, t.find("master", 2).orElseThrow()));

      try (OpenSearchWorkload w =
          new OpenSearchWorkload(nodes, INDEX, 3, 2, Duration.ofMillis(10), System::nanoTime)) {
        assertThat(w.waitForActiveShards()).isEqualTo(2);
        assertThat(w.describe()).contains("index demo").contains("wait_for_active_shards=2");
        w.start();
        assertThat(
                request("GET", dc1, "/" + INDEX + "/_settings?flat_settings=true", null)
                    .at("/" + INDEX + "/settings/index.number_of_replicas")
                    .asString())
            .isEqualTo("2");
        await("acknowledged writes and reads before the loss")
            .atMost(Duration.ofMinutes(2))
            .until(() -> w.stats().acknowledged() >= 100 && w.stats().reads() >= 100);

        drill.kill(lost);
        long lostAt = System.nanoTime();
        long ackedAtLoss = w.stats().acknowledged();
        await("acknowledged writes after the loss")
            .atMost(Duration.ofMinutes(2))
            .until(() -> w.stats().acknowledged() >= ackedAtLoss + 200);
        double resumed = (System.nanoTime() - lostAt) / 1e9;
        w.stop();
        Stats end = w.stats();
        assertThat(end.failed()).as("writes to the lost node failed").isPositive();

        Verification v = w.verify(Duration.ofMinutes(2));
        assertThat(v.acknowledged()).isEqualTo(end.acknowledged());
        assertThat(v.missing()).as("acknowledged documents lost").isEmpty();
        System.out.printf(
            "opensearch workload: node in dc3 lost; 200 more writes acknowledged %.1f s later;"
                + " %d acknowledged, %d failed, longest gap %d ms, none lost; wall time %.1f s%n",
            resumed,
            end.acknowledged(),
            end.failed(),
            end.longestGap().toMillis(),
            (System.nanoTime() - began) / 1e9);

        request("DELETE", dc1, "/" + INDEX + "/_doc/5?refresh=true", null);
        request("PUT", dc1, "/" + INDEX + "/_doc/9?refresh=true", "{\"n\":-9}");
        Verification lossy = w.verify(Duration.ofMinutes(1));
        assertThat(lossy.missing()).containsExactly(5L, 9L);
        assertThat(lossy.lost()).isEqualTo(2);
      }
    }
  }

  private static URI http(Topology t, Instance i) {
    return URI.create("http://" + t.host(i) + ":" + ElasticsearchAdapter.HTTP_PORT);
  }

  private static JsonNode request(String method, URI node, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(60));
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return JSON.readTree(r.body());
  }
}
