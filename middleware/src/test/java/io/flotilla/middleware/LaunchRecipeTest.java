package io.flotilla.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.middleware.LocalLaunch.Endpoint;
import io.flotilla.middleware.LocalLaunch.Program;
import io.flotilla.middleware.LocalLaunch.Readiness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LaunchRecipeTest {
  private static final String DIR = LaunchRecipe.POD_DIR;

  static Stream<Arguments> launches() {
    return Stream.of(
        Arguments.of(
            "a native server with a seed file and a Redis ping",
            launch(
                new Program.Native("redis-server", "redis-server"),
                new Readiness.RedisPing("127.1.0.1", 6379))),
        Arguments.of(
            "a child JVM with options and a ZooKeeper quorum check",
            launch(
                new Program.Jvm("zookeeper", "org.apache.Main", List.of("-Xmx64m", "-Dd=" + DIR)),
                new Readiness.ZooKeeperServing("127.1.0.2", 2181))),
        Arguments.of(
            "every readiness check at once",
            launch(
                new Program.Jvm("opensearch", "org.opensearch.Main", List.of()),
                new Readiness.AllOf(
                    List.of(
                        new Readiness.TcpConnect("127.1.0.3", 9300),
                        new Readiness.LogLine("started \\[.*\\]"),
                        new Readiness.HttpOk(
                            "http://127.1.0.3:9200/", "\"status\" : \"green\""))))));
  }

  private static LocalLaunch launch(Program program, Readiness readiness) {
    return new LocalLaunch(
        program,
        List.of(DIR + "/server.conf", "--port", "6379"),
        Map.of("HOME_DIR", DIR, "SECRET", "s3cret"),
        new TreeMap<>(Map.of("server.conf", "dir " + DIR + "/data\nquote \"x\"\n")),
        new TreeMap<>(Map.of("data/myid", "4\n")),
        List.of(new Endpoint("client", "127.1.0.1", 6379)),
        readiness,
        Duration.ofSeconds(90));
  }

  @ParameterizedTest(name = "{0} reads back as written, with the pod's directory filled in")
  @MethodSource("launches")
  void aRecipeReadsBackAsWrittenWithThePodsDirectoryFilledIn(String name, LocalLaunch launch) {
    String directory = "/var/sandbox/dc1/a \"quoted\" pod";
    LocalLaunch read = LaunchRecipe.read("pod-1", LaunchRecipe.write(launch), directory);
    assertThat(read.args().get(0)).isEqualTo(directory + "/server.conf");
    assertThat(read.environment()).containsEntry("HOME_DIR", directory);
    assertThat(read.files().get("server.conf")).startsWith("dir " + directory + "/data\n");
    assertThat(read.program()).isInstanceOf(launch.program().getClass());
    assertThat(read.readiness()).isEqualTo(launch.readiness());
    assertThat(read.endpoints()).isEqualTo(launch.endpoints());
    assertThat(read.seedFiles()).isEqualTo(launch.seedFiles());
    assertThat(read.startTimeout()).isEqualTo(Duration.ofSeconds(90));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("not JSON", "{", "launch recipe of pod-1 is not JSON"),
        Arguments.of("no program", "{}", "launch recipe of pod-1: program must be an object"),
        Arguments.of(
            "a program without a main class",
            "{\"program\":{\"distribution\":\"zookeeper\",\"jvmOptions\":[]}}",
            "launch recipe of pod-1: mainClass must be a string"),
        Arguments.of(
            "a readiness check of an unknown kind",
            "{\"program\":{\"native\":\"redis-server\",\"debianPackage\":\"redis-server\"},"
                + "\"args\":[],\"environment\":{},\"files\":{},\"seedFiles\":{},\"endpoints\":[],"
                + "\"readiness\":{\"smoke\":true}}",
            "launch recipe of pod-1: readiness: none of the known checks"),
        Arguments.of(
            "a host without a port",
            "{\"program\":{\"native\":\"redis-server\",\"debianPackage\":\"redis-server\"},"
                + "\"args\":[],\"environment\":{},\"files\":{},\"seedFiles\":{},\"endpoints\":[],"
                + "\"readiness\":{\"tcpConnect\":\"127.0.0.1\"}}",
            "launch recipe of pod-1: tcpConnect must be host:port, got 127.0.0.1"));
  }

  @ParameterizedTest(name = "{0} is refused, naming the field")
  @MethodSource("malformed")
  void aMalformedRecipeIsRefusedNamingTheField(String name, String json, String message) {
    assertThatThrownBy(() -> LaunchRecipe.read("pod-1", json, "/d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void anAdaptersLaunchBecomesARecipeWithThePodDirectoryLeftOpen() {
    var mw =
        Topologies.middleware(
            """
            apiVersion: flotilla.io/v1alpha1
            kind: Middleware
            metadata: {name: zk, namespace: default}
            spec:
              type: zookeeper
              version: "3.9.5"
              replicaRequirements:
                - {role: participant, replicas: 3}
            """);
    Topology t =
        Topology.of(
            mw,
            Topologies.spread("participant", 1, 1, 1),
            BaseIds.contiguous(Topologies.spread("participant", 1, 1, 1), 1),
            List.of(),
            new LoopbackAddressing(List.of("dc1", "dc2", "dc3")),
            Map.of(io.flotilla.middleware.zookeeper.ZooKeeperAdapter.SUPER_PASSWORD, "pw"));
    Instance i = t.instances().get(0);
    String recipe = LaunchRecipe.write(Adapters.of(mw.spec().type()), t, i);
    assertThat(recipe).contains(LaunchRecipe.POD_DIR);
    assertThat(LaunchRecipe.read("zk-participant-1", recipe, "/pods/zk-1"))
        .isEqualTo(Adapters.of(mw.spec().type()).launch(t, i, "/pods/zk-1"));
  }
}
