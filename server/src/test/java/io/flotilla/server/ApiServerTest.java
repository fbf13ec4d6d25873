package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.server.TestApi.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** The API against the real HTTP server on 127.0.0.1 and an in-memory store. */
class ApiServerTest {
  private static final String P = ApiResource.PREFIX;

  private TestApi api;

  @BeforeEach
  void start() throws IOException {
    api = new TestApi(new FakeView("dc1", "dc2"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** One writable kind: its collection path, its object path and a valid body. */
  record Kind(String collection, String object, String body) {}

  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "Middleware in namespace apps",
                new Kind(
                    P + "/namespaces/apps/middlewares",
                    P + "/namespaces/apps/middlewares/zk",
                    Objects.middleware("apps", "zk")))),
        Arguments.of(
            Named.of(
                "MemberCluster (cluster-scoped)",
                new Kind(
                    P + "/memberclusters",
                    P + "/memberclusters/dc1",
                    Objects.memberCluster("dc1")))),
        Arguments.of(
            Named.of(
                "PropagationPolicy in namespace apps",
                new Kind(
                    P + "/namespaces/apps/propagationpolicies",
                    P + "/namespaces/apps/propagationpolicies/zk",
                    Objects.propagationPolicy("apps", "zk")))),
        Arguments.of(
            Named.of(
                "OverridePolicy in namespace apps",
                new Kind(
                    P + "/namespaces/apps/overridepolicies",
                    P + "/namespaces/apps/overridepolicies/zk-dc1",
                    Objects.overridePolicy("apps", "zk-dc1")))));
  }

  @ParameterizedTest(name = "{0}: create, get, list, update, stale update, delete")
  @MethodSource("kinds")
  void crud(Kind kind) {
    Reply created = api.call("POST", kind.collection(), kind.body());
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String version = created.body().at("/metadata/resourceVersion").asString();
    assertThat(version).isNotEmpty();
    assertThat(created.body().at("/metadata/uid").asString()).isNotEmpty();

    Reply got = api.call("GET", kind.object(), null);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body()).isEqualTo(created.body());

    Reply list = api.call("GET", kind.collection(), null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body().get("items")).containsExactly(created.body());
    assertThat(list.body().get("kind").asString()).endsWith("List");

    ObjectNode changed = (ObjectNode) created.body().deepCopy();
    changed.withObjectProperty("metadata").withObjectProperty("labels").put("team", "payments");
    Reply updated = api.call("PUT", kind.object(), changed.toString());
    assertThat(updated.status()).as(updated.body().toString()).isEqualTo(200);
    assertThat(updated.body().at("/metadata/labels/team").asString()).isEqualTo("payments");
    assertThat(updated.body().at("/metadata/resourceVersion").asString()).isNotEqualTo(version);

    Reply stale = api.call("PUT", kind.object(), changed.toString());
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.body().get("reason").asString()).isEqualTo("Conflict");
    assertThat(stale.body().get("message").asString()).contains("resourceVersion " + version);

    Reply deleted = api.call("DELETE", kind.object(), null);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body().get("status").asString()).isEqualTo("Success");
    assertThat(api.call("GET", kind.object(), null).status()).isEqualTo(404);
    assertThat(api.call("DELETE", kind.object(), null).status()).isEqualTo(404);
  }

  @Test
  void middlewaresOfEveryNamespaceAreListedTogetherSortedByNamespace() {
    api.call("POST", P + "/namespaces/b/middlewares", Objects.middleware("b", "zk"));
    api.call("POST", P + "/namespaces/a/middlewares", Objects.middleware("a", "zk"));
    Reply all = api.call("GET", P + "/middlewares", null);
    assertThat(all.status()).isEqualTo(200);
    assertThat(
            all.body().get("items").valueStream().map(i -> i.at("/metadata/namespace").asString()))
        .containsExactly("a", "b");
    Reply onlyA = api.call("GET", P + "/namespaces/a/middlewares", null);
    assertThat(onlyA.body().get("items")).hasSize(1);
  }

  @Test
  void aBodyWithoutNamespaceTakesTheUrlsNamespace() {
    String body = Objects.middleware("x", "zk").replace(", \"namespace\": \"x\"", "");
    Reply created = api.call("POST", P + "/namespaces/team-a/middlewares", body);
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.body().at("/metadata/namespace").asString()).isEqualTo("team-a");
  }

  @Test
  void creatingAnExistingObjectIsAConflict() {
    api.call("POST", P + "/memberclusters", Objects.memberCluster("dc1"));
    Reply again = api.call("POST", P + "/memberclusters", Objects.memberCluster("dc1"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("reason").asString()).isEqualTo("AlreadyExists");
  }

  @Test
  void anInvalidMiddlewareIs422NamingEveryFieldAndNothingIsStored() {
    String body =
        """
        {"apiVersion": "flotilla.io/v1alpha1", "kind": "Middleware",
         "metadata": {"name": "zk", "namespace": "default"},
         "spec": {"type": "mysql", "colour": "blue",
                  "replicaRequirements": [{"role": "participant", "replicas": "three"}]}}
        """;
    Reply r = api.call("POST", P + "/namespaces/default/middlewares", body);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.body().get("reason").asString()).isEqualTo("Invalid");
    assertThat(r.body().get("message").asString()).contains("Middleware default/zk is invalid");
    List<String> paths = new ArrayList<>();
    r.body().get("problems").forEach(p -> paths.add(p.get("path").asString()));
    assertThat(paths).contains("spec.type", "spec.colour", "spec.replicaRequirements[0].replicas");
    r.body().get("problems").forEach(p -> assertThat(p.get("message").asString()).isNotEmpty());
    assertThat(api.store.list(ApiVersion.API_VERSION, "Middleware", "")).isEmpty();
  }

  /** A request refused with 400 before validation, and the field its problem names. */
  record BadRequest(String method, String path, String body, String field) {}

  static Stream<Arguments> badRequests() {
    String mw = Objects.middleware("default", "zk");
    return Stream.of(
        Arguments.of(
            Named.of(
                "a MemberCluster sent to the middlewares collection names kind",
                new BadRequest(
                    "POST",
                    P + "/namespaces/default/middlewares",
                    Objects.memberCluster("c"),
                    "kind"))),
        Arguments.of(
            Named.of(
                "a Karmada apiVersion names apiVersion",
                new BadRequest(
                    "POST",
                    P + "/namespaces/default/middlewares",
                    mw.replace("flotilla.io/v1alpha1", "policy.karmada.io/v1alpha1"),
                    "apiVersion"))),
        Arguments.of(
            Named.of(
                "a body in another namespace than the URL's names metadata.namespace",
                new BadRequest(
                    "POST", P + "/namespaces/other/middlewares", mw, "metadata.namespace"))),
        Arguments.of(
            Named.of(
                "an update of another name than the URL's names metadata.name",
                new BadRequest(
                    "PUT",
                    P + "/namespaces/default/middlewares/kafka",
                    mw.replace("\"metadata\": {", "\"metadata\": {\"resourceVersion\": \"1\", "),
                    "metadata.name"))),
        Arguments.of(
            Named.of(
                "a body that is not JSON names body",
                new BadRequest("POST", P + "/namespaces/default/middlewares", "kind: x", "body"))),
        Arguments.of(
            Named.of(
                "an empty body names body",
                new BadRequest("POST", P + "/memberclusters", "", "body"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badRequestsAre400NamingTheField(BadRequest c) {
    Reply r = api.call(c.method(), c.path(), c.body());
    assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
    assertThat(r.body().at("/problems/0/path").asString()).isEqualTo(c.field());
    assertThat(r.body().get("message").asString()).startsWith(c.field() + ": ");
  }

  @Test
  void anUpdateWithoutResourceVersionIs422NamingIt() {
    api.call("POST", P + "/memberclusters", Objects.memberCluster("dc1"));
    Reply r = api.call("PUT", P + "/memberclusters/dc1", Objects.memberCluster("dc1"));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.body().at("/problems/0/path").asString()).isEqualTo("metadata.resourceVersion");
  }

  @Test
  void statusIsWrittenThroughItsOwnPathOnlyAndTheSpecPathKeepsIt() {
    Reply created =
        api.call(
            "POST", P + "/namespaces/default/middlewares", Objects.middleware("default", "zk"));
    ObjectNode withStatus = (ObjectNode) created.body().deepCopy();
    withStatus.putObject("status").put("observedGeneration", 1);
    Reply status =
        api.call("PUT", P + "/namespaces/default/middlewares/zk/status", withStatus.toString());
    assertThat(status.status()).as(status.body().toString()).isEqualTo(200);
    assertThat(status.body().at("/status/observedGeneration").asInt()).isEqualTo(1);

    ObjectNode noStatus = (ObjectNode) status.body().deepCopy();
    noStatus.remove("status");
    noStatus.withObjectProperty("metadata").withObjectProperty("labels").put("a", "b");
    Reply updated = api.call("PUT", P + "/namespaces/default/middlewares/zk", noStatus.toString());
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.body().at("/status/observedGeneration").asInt()).isEqualTo(1);
    assertThat(api.call("GET", P + "/namespaces/default/middlewares/zk/status", null).body())
        .isEqualTo(updated.body());
  }

  @Test
  void resourceBindingsAreReadOnly() {
    api.store.create(
        KubeObject.create(ApiVersion.API_VERSION, "ResourceBinding", "default", "zk-statefulset"));
    Reply list = api.call("GET", P + "/namespaces/default/resourcebindings", null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body().get("items")).hasSize(1);
    assertThat(
            api.call("GET", P + "/namespaces/default/resourcebindings/zk-statefulset", null)
                .status())
        .isEqualTo(200);
    Reply delete =
        api.call("DELETE", P + "/namespaces/default/resourcebindings/zk-statefulset", null);
    assertThat(delete.status()).isEqualTo(405);
    assertThat(delete.body().get("message").asString()).contains("read-only");
    Reply create =
        api.call(
            "POST",
            P + "/namespaces/default/resourcebindings",
            "{\"apiVersion\":\"flotilla.io/v1alpha1\",\"kind\":\"ResourceBinding\","
                + "\"metadata\":{\"name\":\"x\"}}");
    assertThat(create.status()).isEqualTo(405);
  }

  /** A path that is not found, and what the message says. */
  record Missing(String path, String says) {}

  static Stream<Arguments> missing() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "an object that does not exist",
                new Missing(
                    P + "/namespaces/default/middlewares/nope", "Middleware default/nope"))),
        Arguments.of(
            Named.of(
                "a resource that does not exist",
                new Missing(
                    P + "/namespaces/default/databases", "no such resource \"databases\""))),
        Arguments.of(
            Named.of(
                "a cluster-scoped kind under a namespace",
                new Missing(P + "/namespaces/default/memberclusters/dc1", "cluster-scoped"))),
        Arguments.of(
            Named.of(
                "a namespaced object without its namespace",
                new Missing(P + "/middlewares/zk", "namespaced"))),
        Arguments.of(Named.of("a path outside the API", new Missing("/api/v2/x", "no such path"))));
  }

  @ParameterizedTest(name = "{0} is 404")
  @MethodSource("missing")
  void notFound(Missing c) {
    Reply r = api.call("GET", c.path(), null);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().get("message").asString()).contains(c.says());
  }

  static Stream<Arguments> unauthorized() {
    return Stream.of(
        Arguments.of(Named.of("no Authorization header", null)),
        Arguments.of(Named.of("a wrong token", "Bearer not-the-token")),
        Arguments.of(Named.of("the token's prefix", "Bearer " + TestApi.TOKEN.substring(0, 10))),
        Arguments.of(Named.of("an empty bearer token", "Bearer ")),
        Arguments.of(Named.of("basic authentication", "Basic " + TestApi.TOKEN)));
  }

  @ParameterizedTest(name = "{0} is 401")
  @MethodSource("unauthorized")
  void everyRequestNeedsTheToken(String authorization) {
    for (String path :
        List.of(P + "/memberclusters", "/api/v1/view", P + "/namespaces/default/nothing")) {
      Reply r = api.call("GET", path, null, authorization);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(r.body().toString()).doesNotContain(TestApi.TOKEN);
    }
    Reply post =
        api.call("POST", P + "/memberclusters", Objects.memberCluster("dc1"), authorization);
    assertThat(post.status()).isEqualTo(401);
    assertThat(api.store.list(ApiVersion.API_VERSION, "MemberCluster", "")).isEmpty();
  }

  @Test
  void healthAndReadinessNeedNoToken() {
    assertThat(api.call("GET", "/healthz", null, null).status()).isEqualTo(200);
    assertThat(api.call("GET", "/readyz", null, null).status()).isEqualTo(503);
    api.ready.set(true);
    assertThat(api.call("GET", "/readyz", null, null).status()).isEqualTo(200);
  }

  @Test
  void theGlobalViewIsTheControllersAnswer() {
    Reply r = api.call("GET", "/api/v1/view", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(new FakeView().globalView());
  }

  @Test
  void aDryRunDrillIsTheControllersAnswerForThatCluster() {
    Reply r = api.call("POST", "/api/v1/drill/dc2?dryRun=true", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("cluster").asString()).isEqualTo("dc2");
    assertThat(r.body()).isEqualTo(new FakeView("dc2").drill("dc2"));
  }

  /** A drill request that is refused, with its status and what the message says. */
  record RefusedDrill(String method, String path, int status, String says) {}

  static Stream<Arguments> refusedDrills() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "an unknown cluster",
                new RefusedDrill("POST", "/api/v1/drill/dc9?dryRun=true", 404, "dc9"))),
        Arguments.of(
            Named.of(
                "a drill without dryRun",
                new RefusedDrill("POST", "/api/v1/drill/dc1", 400, "only --dry-run drills"))),
        Arguments.of(
            Named.of(
                "a drill with dryRun=false",
                new RefusedDrill(
                    "POST", "/api/v1/drill/dc1?dryRun=false", 400, "only --dry-run drills"))),
        Arguments.of(
            Named.of(
                "a drill by GET",
                new RefusedDrill("GET", "/api/v1/drill/dc1?dryRun=true", 405, "allowed: [POST]"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedDrills")
  void refusedDrills(RefusedDrill c) {
    Reply r = api.call(c.method(), c.path(), null);
    assertThat(r.status()).isEqualTo(c.status());
    assertThat(r.body().get("message").asString()).contains(c.says());
  }

  @Test
  void extraRoutesAreServedBehindTheSameTokenWithTheirErrorsMapped() throws IOException {
    ExtraRoute fail =
        new ExtraRoute(
            "POST",
            "/sandbox/v1/clusters/{name}/fail",
            p -> {
              switch (p.get("name")) {
                case "dc1":
                  return Json.object().put("failed", "dc1");
                case "dc2":
                  throw new IllegalStateException("local cluster dc2 has failed already");
                default:
                  throw new java.util.NoSuchElementException("no local cluster " + p.get("name"));
              }
            });
    try (TestApi extra = new TestApi(new FakeView(), List.of(fail))) {
      assertThat(extra.call("POST", "/sandbox/v1/clusters/dc1/fail", null).body().get("failed"))
          .hasToString("\"dc1\"");
      Reply conflict = extra.call("POST", "/sandbox/v1/clusters/dc2/fail", null);
      assertThat(conflict.status()).isEqualTo(409);
      assertThat(conflict.body().get("message").asString()).contains("dc2 has failed already");
      Reply missing = extra.call("POST", "/sandbox/v1/clusters/dc9/fail", null);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.body().get("message").asString()).isEqualTo("no local cluster dc9");
      assertThat(extra.call("POST", "/sandbox/v1/clusters/dc1/fail", null, null).status())
          .isEqualTo(401);
    }
  }

  @Test
  void aSecondStartIsRefused() throws IOException {
    try (ApiServer server = new ApiServer()) {
      int port = startOn(server);
      assertThat(port).isPositive();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> startOn(server))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  private int startOn(ApiServer server) throws IOException {
    return server.start(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
        api.store,
        new FakeView(),
        "t0ken",
        () -> true);
  }
}
