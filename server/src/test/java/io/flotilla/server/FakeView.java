package io.flotilla.server;

import java.util.NoSuchElementException;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A view with fixed answers: a global view, a drill for each known cluster, and relocations of
 * default/zk's participants (refused when asked to move more than one), which it records.
 */
final class FakeView implements ControlPlaneView {
  private final Set<String> clusters;
  final java.util.List<String> relocations = new java.util.ArrayList<>();

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

  @Override
  public JsonNode relocate(String namespace, String name, Relocation move, boolean dryRun) {
    if (!(namespace + "/" + name).equals("default/zk")) {
      throw new NoSuchElementException("Middleware " + namespace + "/" + name + " not found");
    }
    if (!move.role().equals("participant")) {
      throw new NoSuchElementException("Middleware default/zk has no role " + move.role());
    }
    for (String c : java.util.List.of(move.from(), move.to())) {
      if (!clusters.contains(c)) {
        throw new NoSuchElementException("MemberCluster " + c + " not found");
      }
    }
    if (move.count() > 1) {
      throw new RefusedException(
          "the scheduler would not accept it: 1 reason",
          java.util.List.of(
              new io.flotilla.api.Problem(
                  "to", "role participant, cluster " + move.to() + ": it holds at most 1")));
    }
    if (move.to().equals("dc4")) {
      throw new java.util.ConcurrentModificationException("Middleware default/zk kept changing");
    }
    relocations.add(move + (dryRun ? " dry run" : ""));
    ObjectNode out = Json.object().put("dryRun", dryRun);
    out.putObject("pinnedPlacement")
        .putObject("participant")
        .put(move.from(), 1 - move.count())
        .put(move.to(), 1 + move.count());
    return out;
  }
}
