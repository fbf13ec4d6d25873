package io.flotilla.controller;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.Condition;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.MemberClusterStatus;
import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareType;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Placement;
import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.Resources;
import io.flotilla.api.Taint;
import io.flotilla.api.TaintEffect;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.MemberClusterReader;
import io.flotilla.api.io.MiddlewareReader;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.PodStatus;
import io.flotilla.middleware.Addressing;
import io.flotilla.middleware.Instance;
import io.flotilla.scheduler.ClusterSnapshot;
import io.flotilla.scheduler.PreviousPlacement;
import io.flotilla.scheduler.ScheduleResult;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.server.ControlPlaneView;
import io.flotilla.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The control plane's read-only views, from the live state (docs/api.md gives the shapes): the
 * global view of every instance of every Middleware, and the failure-drill what-if, which asks the
 * scheduler's failover mode what losing a cluster would do and changes nothing.
 */
public final class ControllerView implements ControlPlaneView {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final ObjectStore store;
  private final Scheduler scheduler;
  private final Addressing addressing;
  private final Function<String, Optional<Member>> members;
  private final Clock clock;

  public ControllerView(
      ObjectStore store,
      Scheduler scheduler,
      Addressing addressing,
      Function<String, Optional<Member>> members,
      Clock clock) {
    this.store = store;
    this.scheduler = scheduler;
    this.addressing = addressing;
    this.members = members;
    this.clock = clock;
  }

  private record Placed(Middleware mw, MiddlewareStatus status) {}

  private List<Placed> middlewares() {
    List<Placed> out = new ArrayList<>();
    for (KubeObject o : store.list(ApiVersion.API_VERSION, Middleware.KIND, "")) {
      MiddlewareReader.read(new Manifest("store", o.ref().toString(), o.json()))
          .value()
          .ifPresent(mw -> out.add(new Placed(mw, MiddlewareStatus.fromJson(o.at("/status")))));
    }
    return out;
  }

  private Map<String, MemberCluster> clusters() {
    Map<String, MemberCluster> out = new TreeMap<>();
    for (KubeObject o : store.list(ApiVersion.API_VERSION, MemberCluster.KIND, "")) {
      MemberClusterReader.read(new Manifest("store", o.ref().toString(), o.json()))
          .value()
          .ifPresent(c -> out.put(c.name(), c));
    }
    return out;
  }

  /** Instances by the ids the status records; each one's readiness from its pod. */
  @Override
  public JsonNode globalView() {
    ObjectNode out = F.objectNode();
    ArrayNode mws = out.putArray("middlewares");
    Map<String, Map<String, Boolean>> podsReady = new HashMap<>();
    for (Placed p : middlewares()) {
      Middleware mw = p.mw();
      ObjectNode m =
          mws.addObject()
              .put("namespace", namespace(mw))
              .put("name", mw.name())
              .put("type", mw.spec().type().id());
      ArrayNode instances = m.putArray("instances");
      int port = clientPort(mw);
      for (ReplicaRequirement role : mw.spec().replicaRequirements()) {
        List<Instance> list = new ArrayList<>();
        p.status()
            .placement()
            .role(role.role())
            .forEach(
                (cluster, count) -> {
                  int base = p.status().ids().block(role.role(), cluster).start();
                  for (int k = 0; k < count; k++) {
                    list.add(new Instance(role.role(), cluster, base + k));
                  }
                });
        list.sort((a, b) -> Integer.compare(a.id(), b.id()));
        for (Instance i : list) {
          String pod = i.podName(mw.name());
          Map<String, Boolean> ready =
              podsReady.computeIfAbsent(
                  i.cluster() + "/" + namespace(mw) + "/" + mw.name(),
                  k -> readyPods(i.cluster(), namespace(mw), mw.name()));
          instances
              .addObject()
              .put("role", i.role())
              .put("cluster", i.cluster())
              .put("id", i.id())
              .put("pod", pod)
              .put("address", port > 0 ? addressing.host(mw, i) + ":" + port : "")
              .put("ready", ready.getOrDefault(pod, false));
        }
      }
    }
    ArrayNode cs = out.putArray("clusters");
    Instant now = clock.instant();
    for (MemberCluster c : clusters().values()) {
      Optional<Condition> ready = c.status().condition(MemberClusterStatus.READY);
      ObjectNode n =
          cs.addObject()
              .put("name", c.name())
              .put("ready", ready.map(Condition::isTrue).orElse(false));
      Optional<Instant> beat = ready.flatMap(Condition::lastHeartbeatTime);
      if (beat.isPresent()) {
        n.put("heartbeatAgeSeconds", Math.max(0, Duration.between(beat.get(), now).toSeconds()));
      } else {
        n.putNull("heartbeatAgeSeconds");
      }
    }
    return out;
  }

  private Map<String, Boolean> readyPods(String cluster, String namespace, String name) {
    Map<String, Boolean> out = new HashMap<>();
    Optional<Member> m = members.apply(cluster);
    if (m.isEmpty()) {
      return out;
    }
    try {
      for (PodStatus pod : m.get().pods(namespace, Map.of("app.kubernetes.io/instance", name))) {
        out.put(pod.name(), pod.ready());
      }
    } catch (MemberException e) {
      // unreachable: its instances read as not ready
    }
    return out;
  }

  /** The first port of the Middleware's headless Service, as generated. */
  private int clientPort(Middleware mw) {
    return store
        .get(new ObjectRef("v1", "Service", namespace(mw), mw.name()))
        .map(s -> s.at("/spec/ports/0/port").asInt(0))
        .orElse(0);
  }

  private static String namespace(Middleware mw) {
    return mw.metadata().namespace().orElse("default");
  }

  /**
   * What losing {@code cluster} would do: for every Middleware with a share there, the instances
   * lost, where the scheduler's failover mode would put them, whether each voter role keeps its
   * quorum meanwhile, and the capacity left on the remaining Ready clusters.
   *
   * @throws NoSuchElementException when there is no such member cluster
   */
  @Override
  public JsonNode drill(String cluster) {
    Map<String, MemberCluster> clusters = clusters();
    if (!clusters.containsKey(cluster)) {
      throw new NoSuchElementException("no member cluster " + cluster);
    }
    List<ClusterSnapshot> snapshots = new ArrayList<>();
    Map<String, Resources> free = new TreeMap<>();
    for (MemberCluster c : clusters.values()) {
      ClusterSnapshot s = ClusterSnapshot.of(c);
      if (c.name().equals(cluster)) {
        List<Taint> taints = new ArrayList<>(s.taints());
        taints.add(new Taint(MiddlewareReconciler.UNREACHABLE_TAINT, "", TaintEffect.NoExecute));
        s =
            new ClusterSnapshot(
                s.name(), s.labels(), taints, Optional.empty(), s.allocatable(), s.allocated());
      } else if (s.isReady() && s.allocatable().isPresent()) {
        free.put(c.name(), s.allocatable().get().minus(s.allocated()));
      }
      snapshots.add(s);
    }
    ObjectNode out = F.objectNode().put("cluster", cluster);
    ArrayNode mws = out.putArray("middlewares");
    for (Placed p : middlewares()) {
      Placement placement = p.status().placement();
      if (MiddlewareReconciler.clusters(placement).stream().noneMatch(cluster::equals)) {
        continue;
      }
      Middleware mw = p.mw();
      ObjectNode m = mws.addObject().put("namespace", namespace(mw)).put("name", mw.name());
      ArrayNode lost = m.putArray("lostInstances");
      for (ReplicaRequirement role : mw.spec().replicaRequirements()) {
        int count = placement.count(role.role(), cluster);
        if (count > 0) {
          int base = p.status().ids().block(role.role(), cluster).start();
          for (int k = 0; k < count; k++) {
            lost.addObject().put("role", role.role()).put("id", base + k);
          }
        }
      }
      ScheduleResult r =
          scheduler.schedule(
              mw.spec(), snapshots, new PreviousPlacement(placement, p.status().shards()));
      ArrayNode moves = m.putArray("moves");
      if (r.scheduled()) {
        for (ReplicaRequirement role : mw.spec().replicaRequirements()) {
          Resources each = role.resourceRequest().charge();
          for (Map.Entry<String, Integer> e : r.placement().role(role.role()).entrySet()) {
            int added = e.getValue() - placement.count(role.role(), e.getKey());
            if (added > 0 && !e.getKey().equals(cluster)) {
              moves
                  .addObject()
                  .put("role", role.role())
                  .put("from", cluster)
                  .put("to", e.getKey())
                  .put("count", added);
              free.computeIfPresent(e.getKey(), (k, v) -> v.minus(each.times(added)));
            }
          }
        }
      }
      ArrayNode voters = m.putArray("voters");
      for (ReplicaRequirement role : mw.spec().replicaRequirements()) {
        boolean voter =
            mw.spec().type().role(role.role()).map(MiddlewareType.RoleSpec::voter).orElse(false);
        int before = placement.total(role.role());
        if (!voter || before == 0) {
          continue;
        }
        int after = before - placement.count(role.role(), cluster);
        int quorum = before / 2 + 1;
        voters
            .addObject()
            .put("role", role.role())
            .put("before", before)
            .put("after", after)
            .put("quorum", quorum)
            .put("keepsQuorum", after >= quorum);
      }
      m.put("schedulable", r.scheduled());
      m.put(
          "reason",
          r.scheduled()
              ? ""
              : r.unschedulable().stream().map(Object::toString).collect(Collectors.joining("; ")));
    }
    ArrayNode capacity = out.putArray("capacityAfter");
    free.forEach(
        (c, res) ->
            capacity
                .addObject()
                .put("cluster", c)
                .put("cpuFree", Resources.formatCpu(res.cpuMillis()))
                .put("memoryFree", Resources.formatMemory(res.memoryBytes())));
    return out;
  }
}
