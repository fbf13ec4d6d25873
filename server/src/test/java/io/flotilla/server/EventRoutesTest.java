package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.ObjectRef;
import io.flotilla.server.TestApi.Reply;
import io.flotilla.store.events.EventLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/events} on the real HTTP server, from an {@link EventLog}. */
class EventRoutesTest {
  private static final ObjectRef ZK = ref("Middleware", "apps", "zk");
  private static final ObjectRef REDIS = ref("Middleware", "default", "redis");
  private static final ObjectRef DC2 = ref("MemberCluster", "", "dc2");

  private TestApi api;

  @BeforeEach
  void start() throws IOException {
    EventLog log = new EventLog(Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC));
    log.normal(ZK, "controller", "Scheduled", "participant dc1=2 dc2=2 dc3=1");
    log.warning(DC2, "controller", "ClusterNotReady", "no heartbeat for 40s");
    log.normal(REDIS, "controller", "Scheduled", "master dc1=1 dc2=1 dc3=1");
    log.normal(ZK, "controller", "Scheduled", "participant dc1=2 dc2=2 dc3=1");
    api = new TestApi(new FakeView(), EventRoutes.of(log));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  static Stream<Arguments> filters() {
    return Stream.of(
        Arguments.of(
            "no filter lists every event, oldest first", "", List.of("dc2", "redis", "zk")),
        Arguments.of(
            "a namespaced object's events",
            "?kind=Middleware&namespace=apps&name=zk",
            List.of("zk")),
        Arguments.of(
            "a namespaced kind without namespace is looked up in default",
            "?kind=Middleware&name=redis",
            List.of("redis")),
        Arguments.of(
            "another namespace's object of that name has none",
            "?kind=Middleware&namespace=default&name=zk",
            List.of()),
        Arguments.of(
            "a cluster-scoped object's events", "?kind=MemberCluster&name=dc2", List.of("dc2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filters")
  void listed(String name, String query, List<String> involved) {
    Reply r = api.call("GET", EventRoutes.PATH + query, null);
    assertThat(r.status()).isEqualTo(200);
    List<String> got = new ArrayList<>();
    for (JsonNode e : r.body().get("items")) {
      got.add(e.at("/involvedObject/name").asString());
    }
    assertThat(got).containsExactlyElementsOf(involved);
  }

  @Test
  void anEventCarriesItsCountTimesSourceAndObject() {
    JsonNode e =
        api.call("GET", EventRoutes.PATH + "?kind=Middleware&namespace=apps&name=zk", null)
            .body()
            .get("items")
            .get(0);
    assertThat(e.get("type").asString()).isEqualTo("Normal");
    assertThat(e.get("reason").asString()).isEqualTo("Scheduled");
    assertThat(e.get("message").asString()).isEqualTo("participant dc1=2 dc2=2 dc3=1");
    assertThat(e.get("count").asInt()).isEqualTo(2);
    assertThat(e.get("firstTimestamp").asString()).isEqualTo("2026-11-27T10:00:00Z");
    assertThat(e.get("lastTimestamp").asString()).isEqualTo("2026-11-27T10:00:00Z");
    assertThat(e.get("source").asString()).isEqualTo("controller");
    assertThat(e.at("/involvedObject/kind").asString()).isEqualTo("Middleware");
    assertThat(e.at("/involvedObject/namespace").asString()).isEqualTo("apps");
    JsonNode cluster =
        api.call("GET", EventRoutes.PATH + "?kind=MemberCluster&name=dc2", null)
            .body()
            .get("items")
            .get(0);
    assertThat(cluster.get("type").asString()).isEqualTo("Warning");
    assertThat(cluster.get("involvedObject").has("namespace")).isFalse();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("a name without kind", "?name=zk", "kind: required when filtering"),
        Arguments.of("a kind without name", "?kind=Middleware", "name: required when filtering"),
        Arguments.of(
            "a namespace for a cluster-scoped kind",
            "?kind=MemberCluster&namespace=apps&name=dc2",
            "namespace: MemberCluster is cluster-scoped"),
        Arguments.of("an unknown parameter", "?limit=5", "limit: unknown query parameter"));
  }

  @ParameterizedTest(name = "{0} is 400 naming the parameter")
  @MethodSource("refused")
  void refusedFilters(String name, String query, String message) {
    Reply r = api.call("GET", EventRoutes.PATH + query, null);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().get("message").asString()).startsWith(message);
  }

  @Test
  void eventsNeedTheToken() {
    assertThat(api.call("GET", EventRoutes.PATH, null, null).status()).isEqualTo(401);
  }

  private static ObjectRef ref(String kind, String namespace, String name) {
    return new ObjectRef(ApiVersion.API_VERSION, kind, namespace, name);
  }
}
