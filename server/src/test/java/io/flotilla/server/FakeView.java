package io.flotilla.server;

import java.util.NoSuchElementException;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A view with fixed answers: a global view, and a drill for each known cluster. */
final class FakeView implements ControlPlaneView {
  private final Set<String> clusters;

  FakeView(String... clusters) {
    this.clusters = Set.of(clusters);
  }

  @Override
  public JsonNode globalView() {
    return Json.MAPPER.readTree(
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
  public JsonNode drill(String cluster) {
    if (!clusters.contains(cluster)) {
      throw new NoSuchElementException(cluster);
    }
    ObjectNode n =
        (ObjectNode)
            Json.MAPPER.readTree(
                """
                {"middlewares": [{"namespace": "default", "name": "zk",
                  "lostInstances": [{"role": "participant", "id": 1}],
                  "moves": [{"role": "participant", "from": "dc1", "to": "dc3", "count": 1}],
                  "voters": [{"role": "participant", "before": 3, "after": 2, "quorum": 2,
                              "keepsQuorum": true}],
                  "schedulable": true, "reason": ""}],
                 "capacityAfter": [{"cluster": "dc3", "cpuFree": "6", "memoryFree": "20Gi"}]}
                """);
    n.put("cluster", cluster);
    return n;
  }
}
