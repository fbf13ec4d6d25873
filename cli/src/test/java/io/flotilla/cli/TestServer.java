package io.flotilla.cli;

import io.flotilla.server.ApiServer;
import io.flotilla.server.ControlPlaneView;
import io.flotilla.server.EventRoutes;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.events.EventLog;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An API server on 127.0.0.1 and a free port over an in-memory store, with a view whose answers are
 * fixed, and the command line pointed at it.
 */
final class TestServer implements AutoCloseable {
  static final String TOKEN = "cli-test-token-0123456789";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  final ObjectStore store =
      new InMemoryObjectStore(Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC));
  private final ApiServer server = new ApiServer();

  /** The events the server serves at /api/v1/events, all at the store's fixed time. */
  final EventLog events =
      new EventLog(Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC));

  final String url;

  TestServer() throws IOException {
    int port =
        server.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            store,
            new View(),
            TOKEN,
            () -> true,
            EventRoutes.of(events));
    url = "http://127.0.0.1:" + port;
  }

  /** Runs {@code flotilla ARGS --server URL --token TOKEN}. */
  Cli run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", url, "--token", TOKEN));
    return Cli.run(all.toArray(String[]::new));
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }

  /**
   * Fixed answers: dc1, dc2 and dc3 exist; losing dc2 costs zk one of its three voters; there is no
   * Middleware to relocate (the command line has no relocation).
   */
  static final class View implements ControlPlaneView {
    @Override
    public JsonNode globalView() {
      return JSON.readTree(
          """
          {"middlewares": [{"namespace": "default", "name": "zk", "type": "zookeeper",
            "instances": [
              {"role": "participant", "cluster": "dc1", "id": 1, "pod": "zk-participant-1",
               "address": "127.1.0.2:2181", "ready": true},
              {"role": "participant", "cluster": "dc2", "id": 2, "pod": "zk-participant-2",
               "address": "127.2.0.2:2181", "ready": false}]}],
           "clusters": [{"name": "dc1", "ready": true, "heartbeatAgeSeconds": 2},
                        {"name": "dc2", "ready": false, "heartbeatAgeSeconds": 95}]}
          """);
    }

    @Override
    public JsonNode relocate(
        String namespace, String name, io.flotilla.server.Relocation move, boolean dryRun) {
      throw new NoSuchElementException("Middleware " + namespace + "/" + name + " not found");
    }

    @Override
    public JsonNode drill(String cluster) {
      if (!List.of("dc1", "dc2", "dc3").contains(cluster)) {
        throw new NoSuchElementException(cluster);
      }
      ObjectNode n =
          (ObjectNode)
              JSON.readTree(
                  """
                  {"middlewares": [{"namespace": "default", "name": "zk",
                    "lostInstances": [{"role": "participant", "id": 2}],
                    "moves": [{"role": "participant", "from": "dc2", "to": "dc3", "count": 1}],
                    "voters": [{"role": "participant", "before": 3, "after": 2, "quorum": 2,
                                "keepsQuorum": true}],
                    "schedulable": true, "reason": ""},
                   {"namespace": "payments", "name": "kafka",
                    "lostInstances": [{"role": "controller", "id": 7}],
                    "moves": [],
                    "voters": [{"role": "controller", "before": 2, "after": 1, "quorum": 2,
                                "keepsQuorum": false}],
                    "schedulable": false, "reason": "no cluster has 4 cpu free"}],
                   "capacityAfter": [{"cluster": "dc1", "cpuFree": "10", "memoryFree": "40Gi"},
                                     {"cluster": "dc3", "cpuFree": "6", "memoryFree": "20Gi"}]}
                  """);
      n.put("cluster", cluster);
      return n;
    }
  }
}
