package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The client commands against a real API server on 127.0.0.1 with an in-memory store. */
class ClientCommandsTest {
  private static final ObjectRef ZK =
      new ObjectRef(ApiVersion.API_VERSION, "Middleware", "default", "zk");

  @TempDir Path dir;
  private TestServer server;

  @BeforeEach
  void start() throws IOException {
    server = new TestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void applyCreatesThenLeavesUnchangedThenConfigures() throws IOException {
    Cli clusters = server.run("apply", "-f", "../examples/clusters.yaml");
    assertThat(clusters.exit()).as(clusters.err()).isZero();
    assertThat(clusters.out())
        .contains("membercluster.flotilla.io/user1 created")
        .contains("membercluster.flotilla.io/user2 created");

    Cli created = server.run("apply", "-f", "../examples/zookeeper.yaml");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).isEqualTo("middleware.flotilla.io/zk created\n");

    Cli again = server.run("apply", "-f", "../examples/zookeeper.yaml");
    assertThat(again.out()).isEqualTo("middleware.flotilla.io/zk unchanged\n");
    assertThat(server.store.get(ZK).orElseThrow().generation()).isEqualTo(1);

    String seven =
        Files.readString(Path.of("../examples/zookeeper.yaml"))
            .replace("replicas: 5", "replicas: 7");
    Cli configured = server.run("apply", "-f", file("zk7.yaml", seven).toString());
    assertThat(configured.out()).isEqualTo("middleware.flotilla.io/zk configured\n");
    KubeObject stored = server.store.get(ZK).orElseThrow();
    assertThat(stored.generation()).isEqualTo(2);
    assertThat(stored.at("/spec/replicaRequirements/0/replicas").asInt()).isEqualTo(7);
  }

  @Test
  void applyKeepsTheFinalizersTheControllerSet() {
    server.run("apply", "-f", "../examples/zookeeper.yaml");
    KubeObject stored = server.store.get(ZK).orElseThrow();
    server.store.update(
        stored.edit(
            o ->
                ((tools.jackson.databind.node.ObjectNode) o.get("metadata"))
                    .putArray("finalizers")
                    .add("flotilla.io/controller")));

    Cli again = server.run("apply", "-f", "../examples/zookeeper.yaml");
    assertThat(again.out()).isEqualTo("middleware.flotilla.io/zk unchanged\n");
    assertThat(server.store.get(ZK).orElseThrow().at("/metadata/finalizers/0").asString())
        .isEqualTo("flotilla.io/controller");
  }

  @Test
  void applyWaitFollowsTheMiddlewareUntilTheControllerSaysAvailable() {
    java.util.concurrent.CompletableFuture<Cli> waiting =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> server.run("apply", "-f", "../examples/zookeeper.yaml", "--wait"));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> server.store.get(ZK).isPresent());
    // the controller's part, by hand: placed, then every instance ready
    KubeObject placed =
        server
            .store
            .get(ZK)
            .orElseThrow()
            .edit(
                o ->
                    o.set(
                        "status",
                        tools.jackson.databind.json.JsonMapper.builder()
                            .build()
                            .readTree(
                                "{\"observedGeneration\": 1, \"conditions\": ["
                                    + "{\"type\": \"Scheduled\", \"status\": \"True\"},"
                                    + "{\"type\": \"Available\", \"status\": \"True\"}]}")));
    server.store.updateStatus(placed);

    Cli r = waiting.join();
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("middleware.flotilla.io/zk created\n")
        .contains("middleware.flotilla.io/zk available after");
  }

  @Test
  void applyWaitGivesUpAtTheTimeoutSayingWhereItStood() {
    Cli r = server.run("apply", "-f", "../examples/zookeeper.yaml", "--wait", "--timeout", "1s");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .contains("middleware.flotilla.io/zk: waiting for the controller")
        .contains("middleware.flotilla.io/zk not available after 1 s (--timeout)");

    Cli bad =
        server.run("apply", "-f", "../examples/zookeeper.yaml", "--wait", "--timeout", "soon");
    assertThat(bad.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(bad.err()).contains("--timeout must be a positive whole number");
  }

  @Test
  void cordonAddsTheNoScheduleTaintOnceAndUncordonRemovesIt() {
    server.run("apply", "-f", "../examples/clusters.yaml");
    ObjectRef user1 = new ObjectRef(ApiVersion.API_VERSION, "MemberCluster", "", "user1");

    Cli cordon = server.run("cluster", "cordon", "user1");
    assertThat(cordon.exit()).as(cordon.err()).isZero();
    assertThat(cordon.out())
        .isEqualTo(
            "membercluster.flotilla.io/user1 cordoned: it keeps what it runs and gets no new"
                + " replicas\n");
    assertThat(server.store.get(user1).orElseThrow().at("/spec/taints").toString())
        .isEqualTo("[{\"key\":\"flotilla.io/cordoned\",\"value\":\"\",\"effect\":\"NoSchedule\"}]");
    assertThat(server.store.get(user1).orElseThrow().at("/status/conditions/0/type").asString())
        .as("the status is left as it was")
        .isEqualTo("Ready");

    Cli again = server.run("cluster", "cordon", "user1");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).isEqualTo("membercluster.flotilla.io/user1 is cordoned already\n");

    Cli uncordon = server.run("cluster", "uncordon", "user1");
    assertThat(uncordon.exit()).as(uncordon.err()).isZero();
    assertThat(uncordon.out()).startsWith("membercluster.flotilla.io/user1 uncordoned");
    assertThat(server.store.get(user1).orElseThrow().at("/spec/taints").size()).isZero();
    assertThat(server.run("cluster", "uncordon", "user1").out())
        .isEqualTo("membercluster.flotilla.io/user1 is not cordoned\n");

    Cli unknown = server.run("cluster", "cordon", "nowhere");
    assertThat(unknown.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(unknown.err()).contains("nowhere");
  }

  @Test
  void drainCordonsAndTaintsNoExecuteThenWaitsUntilNoShareIsLeftAndUncordonUndoesBoth() {
    server.run("apply", "-f", "../examples/clusters.yaml");
    server.run("apply", "-f", "../examples/zookeeper.yaml");
    ObjectRef user1 = new ObjectRef(ApiVersion.API_VERSION, "MemberCluster", "", "user1");
    setStatus(
        "{\"placement\": {\"participant\": {\"user1\": 2, \"user2\": 1}},"
            + " \"running\": {\"participant\": {\"user1\": 2, \"user2\": 1}},"
            + " \"conditions\": [{\"type\": \"Scheduled\", \"status\": \"True\"},"
            + " {\"type\": \"Available\", \"status\": \"True\"}]}");

    java.util.concurrent.CompletableFuture<Cli> draining =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> server.run("cluster", "drain", "user1", "--wait", "--timeout", "30s"));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> server.store.get(user1).orElseThrow().at("/spec/taints").size() == 2);
    assertThat(server.store.get(user1).orElseThrow().at("/spec/taints").toString())
        .isEqualTo(
            "[{\"key\":\"flotilla.io/cordoned\",\"value\":\"\",\"effect\":\"NoSchedule\"},"
                + "{\"key\":\"flotilla.io/drained\",\"value\":\"\",\"effect\":\"NoExecute\"}]");
    // the controller's part, by hand: moved off user1, rolled out, available
    setStatus(
        "{\"placement\": {\"participant\": {\"user2\": 2, \"user3\": 1}},"
            + " \"running\": {\"participant\": {\"user2\": 2, \"user3\": 1}},"
            + " \"conditions\": [{\"type\": \"Scheduled\", \"status\": \"True\"},"
            + " {\"type\": \"Available\", \"status\": \"True\"}]}");
    Cli drained = draining.join();
    assertThat(drained.exit()).as(drained.err()).isZero();
    assertThat(drained.out())
        .startsWith(
            "membercluster.flotilla.io/user1 drained: every Middleware share moves off it, rolling"
                + " as in a failover\n")
        .contains("middleware.flotilla.io/default/zk: 2 instances on user1")
        .contains("middleware.flotilla.io/default/zk: off user1\n")
        .contains("user1 drained after");

    assertThat(server.run("cluster", "drain", "user1").out())
        .isEqualTo("membercluster.flotilla.io/user1 is drained already\n");
    Cli uncordon = server.run("cluster", "uncordon", "user1");
    assertThat(uncordon.out()).startsWith("membercluster.flotilla.io/user1 uncordoned");
    assertThat(server.store.get(user1).orElseThrow().at("/spec/taints").size()).isZero();
  }

  @Test
  void drainWaitStopsAtAMiddlewareTheSchedulerCannotMoveWithItsReason() {
    server.run("apply", "-f", "../examples/clusters.yaml");
    server.run("apply", "-f", "../examples/zookeeper.yaml");
    setStatus(
        "{\"placement\": {\"participant\": {\"user1\": 3}},"
            + " \"conditions\": [{\"type\": \"Scheduled\", \"status\": \"False\","
            + " \"reason\": \"Unschedulable\", \"message\": \"participant: no room\"}]}");
    Cli r = server.run("cluster", "drain", "user1", "--wait");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "middleware.flotilla.io/default/zk cannot move: Unschedulable: participant: no room")
        .contains("drain of user1 stopped after");
    Cli bad = server.run("cluster", "drain", "user1", "--wait", "--timeout", "1d");
    assertThat(bad.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(bad.err()).contains("--timeout must be a positive whole number");
    Cli unknown = server.run("cluster", "drain", "nowhere");
    assertThat(unknown.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(unknown.err()).contains("nowhere");
  }

  private void setStatus(String json) {
    KubeObject o =
        server
            .store
            .get(ZK)
            .orElseThrow()
            .edit(
                n ->
                    n.set(
                        "status",
                        tools.jackson.databind.json.JsonMapper.builder().build().readTree(json)));
    server.store.updateStatus(o);
  }

  @Test
  void applyReportsEveryRefusedObjectWithItsFieldsAndStillAppliesTheOthers() throws IOException {
    String text =
        Files.readString(Path.of("../examples/zookeeper.yaml"))
            + "---\n"
            + """
            apiVersion: flotilla.io/v1alpha1
            kind: Middleware
            metadata: {name: bad}
            spec:
              type: mysql
              replicaRequirements: [{role: a, replicas: 1, maxSkw: 1}]
            """;
    Cli r = server.run("apply", "-f", file("two.yaml", text).toString());
    assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.out()).contains("middleware.flotilla.io/zk created");
    assertThat(r.err())
        .contains("two.yaml: document 2 (Middleware bad)")
        .contains("spec.type: must be one of")
        .contains("spec.replicaRequirements[0].maxSkw: unknown field")
        .doesNotContain("Exception");
    assertThat(
            server.store.get(new ObjectRef(ApiVersion.API_VERSION, "Middleware", "default", "bad")))
        .isEmpty();
  }

  static Stream<List<String>> refusedFiles() {
    return Stream.of(
        List.of(
            "apiVersion: flotilla.io/v1alpha1\nkind: Database\nmetadata: {name: x}\n",
            "kind: \"Database\" is not a kind the server accepts"),
        List.of(
            "apiVersion: flotilla.io/v1alpha1\nkind: ResourceBinding\nmetadata: {name: x}\n",
            "kind: \"ResourceBinding\" is not a kind the server accepts"),
        List.of("kind: [unclosed\n", "f.yaml"));
  }

  @ParameterizedTest(name = "a file with {1} exits 1")
  @MethodSource("refusedFiles")
  void applyRefusesFilesItCannotSend(List<String> c) throws IOException {
    Cli r = server.run("apply", "-f", file("f.yaml", c.get(0)).toString());
    assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).contains(c.get(1));
  }

  @Test
  void getListsAsATableYamlOrJson() throws IOException {
    server.run("apply", "-f", "../examples/zookeeper.yaml");
    Cli otherNamespace = server.run("apply", "-f", "../examples/kafka.yaml", "-n", "payments");
    assertThat(otherNamespace.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(otherNamespace.err())
        .contains("metadata.namespace: is \"default\", not the namespace -n gives (\"payments\")");
    String kafka =
        Files.readString(Path.of("../examples/kafka.yaml"))
            .replace("namespace: default", "namespace: payments");
    assertThat(server.run("apply", "-f", file("kafka.yaml", kafka).toString()).exit()).isZero();

    Cli table = server.run("get", "middlewares");
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out().lines().toList())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("NAME")
        .contains("TYPE", "VERSION", "REPLICAS", "AVAILABLE");
    assertThat(table.out().lines().toList().get(1)).startsWith("zk").contains("zookeeper", "3.9.5");

    Cli all = server.run("get", "mw", "-A");
    assertThat(all.out().lines().toList()).hasSize(3);
    assertThat(all.out()).startsWith("NAMESPACE").contains("payments");

    Cli yaml = server.run("get", "middleware", "zk", "-o", "yaml");
    assertThat(yaml.out()).contains("kind: Middleware", "name: zk", "resourceVersion:");

    Cli json = server.run("get", "memberclusters", "-o", "json");
    assertThat(json.out()).contains("\"kind\": \"MemberClusterList\"");

    Cli none = server.run("get", "overridepolicies");
    assertThat(none.exit()).isZero();
    assertThat(none.err()).contains("No overridepolicies found in namespace default");
  }

  @Test
  void getOfAMissingObjectOrUnknownKindExits1() {
    Cli missing = server.run("get", "middleware", "nope");
    assertThat(missing.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(missing.err()).contains("Middleware default/nope not found");
    Cli kind = server.run("get", "databases");
    assertThat(kind.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(kind.err()).contains("\"databases\" is not a kind", "middleware (mw)");
  }

  @Test
  void describeShowsTheSpecThenEveryPartOfTheStatus() {
    server.run("apply", "-f", "../examples/zookeeper.yaml");
    Cli before = server.run("describe", "middleware", "zk");
    assertThat(before.exit()).as(before.err()).isZero();
    assertThat(before.out())
        .contains("Type:", "zookeeper", "participant", "Status: none yet")
        .contains("labels cluster=compute")
        .endsWith("Events: <none>\n");
    server.events.normal(ZK, "controller", "Scheduled", "participant user1=2,user2=2,user3=1");
    server.events.warning(ZK, "controller", "ClusterLost", "lost: user3");
    server.events.warning(ZK, "controller", "ClusterLost", "lost: user3");

    KubeObject stored = server.store.get(ZK).orElseThrow();
    server.store.updateStatus(
        stored.edit(
            n ->
                n.set(
                    "status",
                    tools.jackson.databind.json.JsonMapper.builder()
                        .build()
                        .readTree(
                            """
                            {"observedGeneration": 1,
                             "placement": {"participant": {"user1": 2, "user2": 2, "user3": 1}},
                             "baseIds": {"participant": {"user1": 1, "user2": 3, "user3": 5}},
                             "clusters": [
                               {"name": "user1", "replicas": 2, "readyReplicas": 2},
                               {"name": "user2", "replicas": 2, "readyReplicas": 1}],
                             "conditions": [
                               {"type": "Scheduled", "status": "True", "reason": "Placed",
                                "message": "5 replicas over 3 clusters"},
                               {"type": "SurvivesClusterLoss", "status": "True",
                                "reason": "QuorumKept", "message": "no cluster holds 3 of 5"}]}
                            """))));
    Cli after = server.run("describe", "mw", "zk", "-n", "default");
    List<String> lines = after.out().lines().toList();
    assertThat(lines).contains("Placement (replicas per role and cluster):");
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s+ROLE\\s+user1\\s+user2\\s+user3"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s+participant\\s+2\\s+2\\s+1"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s+participant\\s+1\\s+3\\s+5"));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).matches("\\s+NAME\\s+REPLICAS\\s+READY REPLICAS"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches("\\s+SurvivesClusterLoss\\s+True\\s+QuorumKept\\s+no cluster.*"));
    assertThat(after.out()).contains("Generation:", "(observed: 1)");
    int events = lines.indexOf("Events:");
    assertThat(events).as("an Events section after the conditions").isPositive();
    assertThat(lines.subList(events + 1, lines.size()))
        .hasSize(3)
        .satisfies(
            l -> assertThat(l.get(0)).matches("\\s+TYPE\\s+REASON\\s+AGE\\s+FROM\\s+MESSAGE"),
            l ->
                assertThat(l.get(1))
                    .matches(
                        "\\s+Normal\\s+Scheduled\\s+\\d+[smhd]\\s+controller\\s+participant"
                            + " user1=2,user2=2,user3=1"),
            l ->
                assertThat(l.get(2))
                    .matches(
                        "\\s+Warning\\s+ClusterLost\\s+\\d+[smhd] \\(x2 over \\d+[smhd]\\)\\s+controller"
                            + "\\s+lost: user3"));
  }

  @Test
  void describeClusterShowsTaintsReadinessCapacityAndEvents() {
    server.run("apply", "-f", "../examples/clusters.yaml");
    server.run("cluster", "drain", "user1");
    server.events.normal(
        new ObjectRef(ApiVersion.API_VERSION, "MemberCluster", "", "user1"),
        "controller",
        "Draining",
        "every share moves off this cluster, rolling as in a failover");
    Cli r = server.run("describe", "cluster", "user1");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).matches("Name:\\s+user1"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "Taints:\\s+flotilla.io/cordoned:NoSchedule, flotilla.io/drained:NoExecute"))
        .anySatisfy(
            l -> assertThat(l).matches("Scheduling:\\s+drained \\(every share moves off it\\)"))
        .anySatisfy(l -> assertThat(l).matches("Ready:\\s+True.*"))
        .anySatisfy(l -> assertThat(l).matches("Last heartbeat:\\s+\\S+ \\(\\d+[smhd] ago\\)"))
        .contains("Capacity:")
        .anySatisfy(l -> assertThat(l).matches("\\s+cpu\\s+\\S+\\s+\\S+"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "\\s+Normal\\s+Draining\\s+\\d+[smhd]\\s+controller\\s+every share moves off"
                            + " this cluster, rolling as in a failover"));
    Cli policy = server.run("describe", "pp", "x");
    assertThat(policy.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(policy.err()).contains("describe shows Middleware and MemberCluster objects");
  }

  @Test
  void deleteRemovesTheObject() {
    server.run("apply", "-f", "../examples/zookeeper.yaml");
    Cli deleted = server.run("delete", "middleware", "zk");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.out()).isEqualTo("middleware.flotilla.io/zk deleted\n");
    assertThat(server.store.get(ZK)).isEmpty();
    Cli again = server.run("delete", "middleware", "zk");
    assertThat(again.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(again.err()).contains("not found");
  }

  @Test
  void viewPrintsEveryInstanceThenEveryCluster() {
    Cli r = server.run("view");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0))
        .matches("MIDDLEWARE\\s+TYPE\\s+ROLE\\s+CLUSTER\\s+ID\\s+POD\\s+ADDRESS\\s+READY");
    assertThat(lines.get(1))
        .matches(
            "default/zk\\s+zookeeper\\s+participant\\s+dc1\\s+1\\s+zk-participant-1\\s+127.1.0.2:2181\\s+true");
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("dc2\\s+false\\s+95s ago"));
  }

  @Test
  void aDryRunDrillPrintsMovesQuorumAndCapacity() {
    Cli r = server.run("drill", "dc2", "--dry-run");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "Drill: losing cluster dc2 (dry run, nothing changed): 2 middlewares touched,"
                + " 1 voter set loses quorum, 1 cannot be rescheduled.");
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).matches("default/zk\\s+participant\\s+2\\s+dc3 \\+1\\s+yes\\s+-"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "payments/kafka\\s+controller\\s+7\\s+-\\s+NO\\s+no cluster has 4 cpu free"));
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).matches("payments/kafka\\s+controller\\s+2\\s+1\\s+2\\s+NO"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("dc3\\s+6\\s+20Gi"));

    Cli json = server.run("drill", "dc2", "--dry-run", "-o", "json");
    assertThat(json.out()).contains("\"cluster\": \"dc2\"");
  }

  @Test
  void aDrillNeedsDryRunAndAKnownCluster() {
    Cli noDryRun = server.run("drill", "dc2");
    assertThat(noDryRun.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(noDryRun.err()).contains("only --dry-run drills are supported");
    Cli unknown = server.run("drill", "dc9", "--dry-run");
    assertThat(unknown.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(unknown.err()).contains("MemberCluster dc9 not found");
  }

  @Test
  void aWrongOrMissingTokenIsRefusedWithAHint() {
    Cli wrong = Cli.run("get", "mw", "--server", server.url, "--token", "nope-nope-nope-nope");
    assertThat(wrong.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(wrong.err()).contains("bearer token is required", "not the server's");
    Cli none =
        Cli.run(
            "get", "mw", "--server", server.url, "--token-file", dir.resolve("none").toString());
    assertThat(none.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(none.err()).contains("no token was sent");
  }

  @Test
  void theTokenFileIsUsedWhenNoTokenIsGiven() throws IOException {
    Path token = file("token", TestServer.TOKEN + "\n");
    Cli r = Cli.run("get", "mc", "--server", server.url, "--token-file", token.toString());
    assertThat(r.exit()).as(r.err()).isZero();
  }

  @Test
  void anUnreachableServerExits3NamingItsUrl() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    for (String[] args :
        List.of(
            new String[] {"get", "mw"},
            new String[] {"view"},
            new String[] {"drill", "dc1", "--dry-run"},
            new String[] {"delete", "mw", "zk"},
            new String[] {"describe", "mw", "zk"},
            new String[] {"apply", "-f", "../examples/zookeeper.yaml"})) {
      List<String> all = new java.util.ArrayList<>(List.of(args));
      all.addAll(List.of("--server", url, "--token", "t"));
      Cli r = Cli.run(all.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(Main.UNREACHABLE);
      assertThat(r.err()).contains("cannot reach the Flotilla server at " + url);
    }
  }

  @Test
  void aServerThatIsNotAnHttpUrlIsBadInput() {
    Cli r = Cli.run("get", "mw", "--server", "ftp://127.0.0.1", "--token", "t");
    assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).contains("--server", "must be an http or https URL");
  }

  @ParameterizedTest(name = "{0} --help shows an example")
  @MethodSource("commands")
  void everyCommandHasHelpWithAnExample(String command) {
    Cli r = Cli.run(command, "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Example", "flotilla " + command, "--server", "--token");
  }

  static Stream<String> commands() {
    return Stream.of("apply", "get", "describe", "delete", "view", "drill");
  }
}
