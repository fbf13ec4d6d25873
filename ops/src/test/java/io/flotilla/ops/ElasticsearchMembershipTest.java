package io.flotilla.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.flotilla.api.io.ObjectLoader;
import io.flotilla.ops.ElasticsearchMembership.Node;
import io.flotilla.ops.ElasticsearchMembership.ShardCopies;
import io.flotilla.ops.ElasticsearchMembership.VotingConfiguration;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operations' requests and their reading of answers, against a fake Elasticsearch on loopback
 * that answers canned JSON by method and path and records what it was asked.
 */
class ElasticsearchMembershipTest {
  private static final String NODES =
      """
      {"nodes":{
        "id-1":{"name":"es-master-1","roles":["data","master"],"attributes":{"zone":"dc1"}},
        "id-2":{"name":"es-master-2","roles":["data","master"],"attributes":{"zone":"dc2"}}}}""";

  private HttpServer server;
  private URI node;
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final ElasticsearchMembership membership = new ElasticsearchMembership();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String key =
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().toString().split("\\?")[0];
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          asked.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + (body.isEmpty() ? "" : " " + body));
          byte[] answer =
              answers.getOrDefault(key, "{\"acknowledged\":true}").getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(statuses.getOrDefault(key, 200), answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.start();
    node = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void committed(String... ids) {
    answers.put(
        "GET /_cluster/state/metadata",
        "{\"metadata\":{\"cluster_coordination\":{\"last_committed_config\":[\""
            + String.join("\",\"", ids)
            + "\"],\"voting_config_exclusions\":[]}}}");
  }

  @Test
  void aLostNodeIsExcludedByTheIdOfTheVoterThatLeftTheCluster() {
    answers.put("GET /_nodes", NODES);
    committed("id-1", "id-2", "id-3");
    VotingConfiguration config = membership.excludeVoters(node, List.of("es-master-3"));
    assertThat(asked).contains("POST /_cluster/voting_config_exclusions?node_ids=id-3&timeout=60s");
    assertThat(config.voters()).containsExactly("es-master-1", "es-master-2", "id-3");
  }

  @Test
  void aNodeStillInTheClusterIsExcludedByItsOwnId() {
    answers.put("GET /_nodes", NODES);
    committed("id-1", "id-2");
    membership.excludeVoters(node, List.of("es-master-2"));
    assertThat(asked).contains("POST /_cluster/voting_config_exclusions?node_ids=id-2&timeout=60s");
  }

  @Test
  void whichDepartedVoterIsWhichLostNodeMustBeClear() {
    answers.put("GET /_nodes", NODES);
    committed("id-1", "id-2", "id-3", "id-4", "id-5");
    assertThatThrownBy(() -> membership.excludeVoters(node, List.of("es-master-5")))
        .isInstanceOf(MembershipException.class)
        .hasMessage(
            "elasticsearch: voting configuration exclusion of [es-master-5] on "
                + node
                + ": cannot tell which of the voters no longer in the cluster"
                + " [id-3, id-4, id-5] are the nodes [es-master-5]: exclude them by id");
    assertThat(asked).noneMatch(a -> a.startsWith("POST"));
  }

  @Test
  void aFailureNamesTheMiddlewareTheOperationTheStatusAndTheBody() {
    answers.put("DELETE /_cluster/voting_config_exclusions", "{\"error\":\"no master\"}");
    statuses.put("DELETE /_cluster/voting_config_exclusions", 503);
    assertThatThrownBy(() -> membership.clearVotingExclusions(node))
        .isInstanceOf(MembershipException.class)
        .hasMessage(
            "elasticsearch: clearing the voting configuration exclusions on "
                + node
                + ": DELETE /_cluster/voting_config_exclusions?wait_for_removal=true"
                + " answered HTTP 503: {\"error\":\"no master\"}");
  }

  @Test
  void indicesBelowTheSpecsReplicasAreRaisedAndOthersLeftToTheirOwners() {
    answers.put(
        "GET /*/_settings/index.number_of_replicas,index.auto_expand_replicas",
        """
        {"logs":{"settings":{"index.number_of_replicas":"0"}},
         "orders":{"settings":{"index.number_of_replicas":"1"}},
         "wide":{"settings":{"index.number_of_replicas":"3"}},
         "small":{"settings":{"index.number_of_replicas":"0","index.auto_expand_replicas":"0-1"}},
         ".tasks":{"settings":{"index.number_of_replicas":"0"}}}""");
    var mw =
        ObjectLoader.middlewares(
                "test",
                """
                apiVersion: flotilla.io/v1alpha1
                kind: Middleware
                metadata: {name: es}
                spec:
                  type: elasticsearch
                  replicaRequirements: [{role: master, replicas: 3}]
                  settings: {replicas: "2"}
                """)
            .get(0);
    assertThat(membership.ensureReplicas(node, mw)).containsExactly("logs", "orders");
    assertThat(asked)
        .contains(
            "PUT /_index_template/flotilla-replicas {\"index_patterns\":[\"*\"],\"priority\":0,"
                + "\"template\":{\"settings\":{\"index.number_of_replicas\":2}}}",
            "PUT /logs/_settings {\"index.number_of_replicas\":2}",
            "PUT /orders/_settings {\"index.number_of_replicas\":2}")
        .noneMatch(a -> a.startsWith("PUT /small") || a.startsWith("PUT /.tasks"));
  }

  private static List<Node> dataNodes(String... zones) {
    return Stream.of(zones)
        .map(z -> new Node("id-" + z, "n-" + z, z, List.of("data", "master")))
        .toList();
  }

  static Stream<Arguments> spreads() {
    return Stream.of(
        Arguments.of(
            Named.of("three copies over three clusters, one in each", dataNodes("a", "b", "c")),
            List.of("a", "b", "c"),
            true),
        Arguments.of(
            Named.of("two copies of three in one cluster", dataNodes("a", "b", "c")),
            List.of("a", "a", "b"),
            false),
        Arguments.of(
            Named.of("two copies over three clusters, in two of them", dataNodes("a", "b", "c")),
            List.of("a", "c"),
            true),
        Arguments.of(
            Named.of("two copies in one cluster of three", dataNodes("a", "b", "c")),
            List.of("b", "b"),
            false),
        Arguments.of(
            Named.of(
                "three copies over the two clusters left, two in one", dataNodes("a", "a", "b")),
            List.of("a", "a", "b"),
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spreads")
  void copiesAreSpreadWhenNoClusterHoldsMoreThanItsShare(
      List<Node> nodes, List<String> zones, boolean spread) {
    Optional<String> unspread =
        ElasticsearchMembership.unspread(List.of(new ShardCopies("i", 0, zones)), nodes);
    assertThat(unspread.isEmpty()).as(unspread.orElse("spread")).isEqualTo(spread);
  }
}
