package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.server.TestApi.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /api/v1/middlewares/{ns}/{name}/relocate}: the body is read field by field (400 names
 * each bad field), the view's answers and refusals map to 200, 404, 422 and 409, and {@code dryRun}
 * is passed through.
 */
class RelocateEndpointTest {
  static final String ZK = "/api/v1/middlewares/default/zk/relocate";

  FakeView view;
  TestApi api;

  @BeforeEach
  void start() throws IOException {
    view = new FakeView("dc1", "dc2", "dc3", "dc4");
    api = new TestApi(view);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aRelocationIsTheViewsAnswerAndWritesUnlessDryRun() {
    String body = "{\"role\": \"participant\", \"from\": \"dc2\", \"to\": \"dc3\", \"count\": 1}";
    Reply dry = api.call("POST", ZK + "?dryRun=true", body);
    assertThat(dry.status()).isEqualTo(200);
    assertThat(dry.body().at("/pinnedPlacement/participant/dc3").asInt()).isEqualTo(2);
    assertThat(dry.body().get("dryRun").asBoolean()).isTrue();
    Reply done = api.call("POST", ZK, body);
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.body().get("dryRun").asBoolean()).isFalse();
    assertThat(view.relocations)
        .containsExactly(
            "Relocation[role=participant, from=dc2, to=dc3, count=1] dry run",
            "Relocation[role=participant, from=dc2, to=dc3, count=1]");
  }

  /** A refused request: body, status, reason, and the fields its problems name. */
  record Refused(String name, String path, String body, int status, String reason, String fields) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> refused() {
    return Stream.of(
            new Refused("no body", ZK, null, 400, "BadRequest", "body"),
            new Refused("a body that is not JSON", ZK, "{role", 400, "BadRequest", "body"),
            new Refused("a body that is an array", ZK, "[]", 400, "BadRequest", "body"),
            new Refused("every field missing", ZK, "{}", 400, "BadRequest", "role,from,to,count"),
            new Refused(
                "wrong types and an unknown field",
                ZK,
                "{\"role\": 1, \"from\": \"\", \"to\": \"dc3\", \"count\": \"1\", \"cnt\": 1}",
                400,
                "BadRequest",
                "cnt,role,from,count"),
            new Refused(
                "a count of 0",
                ZK,
                "{\"role\": \"participant\", \"from\": \"dc2\", \"to\": \"dc3\", \"count\": 0}",
                400,
                "BadRequest",
                "count"),
            new Refused(
                "a fractional count",
                ZK,
                "{\"role\": \"participant\", \"from\": \"dc2\", \"to\": \"dc3\", \"count\": 1.5}",
                400,
                "BadRequest",
                "count"),
            new Refused(
                "a move to the same cluster",
                ZK,
                "{\"role\": \"participant\", \"from\": \"dc2\", \"to\": \"dc2\", \"count\": 1}",
                400,
                "BadRequest",
                "to"),
            new Refused(
                "dryRun neither true nor false",
                ZK + "?dryRun=maybe",
                "{\"role\": \"participant\", \"from\": \"dc2\", \"to\": \"dc3\", \"count\": 1}",
                400,
                "BadRequest",
                "dryRun"),
            new Refused(
                "an unknown middleware",
                "/api/v1/middlewares/default/kafka/relocate",
                "{\"role\": \"participant\", \"from\": \"dc2\", \"to\": \"dc3\", \"count\": 1}",
                404,
                "NotFound",
                ""),
            new Refused(
                "an unknown role",
                ZK,
                "{\"role\": \"observer\", \"from\": \"dc2\", \"to\": \"dc3\", \"count\": 1}",
                404,
                "NotFound",
                ""),
            new Refused(
                "an unknown cluster",
                ZK,
                "{\"role\": \"participant\", \"from\": \"dc2\", \"to\": \"dc9\", \"count\": 1}",
                404,
                "NotFound",
                ""),
            new Refused(
                "a move the scheduler refuses",
                ZK,
                "{\"role\": \"participant\", \"from\": \"dc2\", \"to\": \"dc3\", \"count\": 2}",
                422,
                "Invalid",
                "to"),
            new Refused(
                "a middleware that keeps changing",
                ZK,
                "{\"role\": \"participant\", \"from\": \"dc2\", \"to\": \"dc4\", \"count\": 1}",
                409,
                "Conflict",
                ""),
            new Refused("a GET", ZK, null, 405, "MethodNotAllowed", ""))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedRelocationsNameTheirFields(Refused c) {
    Reply r = api.call(c.name().equals("a GET") ? "GET" : "POST", c.path(), c.body());
    assertThat(r.status()).as(r.body().toString()).isEqualTo(c.status());
    assertThat(r.body().get("reason").asString()).isEqualTo(c.reason());
    List<String> fields = new ArrayList<>();
    r.body().get("problems").forEach(p -> fields.add(p.get("path").asString()));
    assertThat(String.join(",", fields)).isEqualTo(c.fields());
    assertThat(view.relocations).isEmpty();
  }

  @Test
  void relocationNeedsTheToken() {
    Reply r =
        api.call(
            "POST",
            ZK,
            "{\"role\": \"participant\", \"from\": \"dc2\", \"to\": \"dc3\", \"count\": 1}",
            "Bearer wrong");
    assertThat(r.status()).isEqualTo(401);
    assertThat(view.relocations).isEmpty();
  }
}
