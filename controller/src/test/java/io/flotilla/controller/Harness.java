package io.flotilla.controller;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.PropagationPolicy;
import io.flotilla.middleware.Instance;
import io.flotilla.middleware.Topology;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.events.EventLog;
import io.flotilla.store.memory.InMemoryObjectStore;
import io.flotilla.store.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A controller over an in-memory store with pretend member clusters: clusters are Ready or lost as
 * a test says, a share is as ready as the test says (ready by default), and membership calls are
 * recorded.
 */
final class Harness {
  static final ObjectRef ZK = new ObjectRef(ApiVersion.API_VERSION, "Middleware", "default", "zk");

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  final ObjectStore store;
  final Map<String, ShareReadiness.Report> reports = new HashMap<>();
  final Set<String> holdingCopies = new TreeSet<>();
  final List<String> membershipCalls = new ArrayList<>();
  final List<String> steps = new ArrayList<>();
  final EventLog events = new EventLog(clock);
  StepHook hook = StepHook.NONE;

  Harness() {
    this.store = new InMemoryObjectStore(clock);
  }

  MiddlewareReconciler reconciler() {
    ShareReadiness readiness =
        new ShareReadiness() {
          @Override
          public Report check(String cluster, List<ObjectRef> statefulSets, String revision) {
            return reports.getOrDefault(cluster, Report.READY);
          }

          @Override
          public boolean fenced(String cluster, List<ObjectRef> objects) {
            return !holdingCopies.contains(cluster);
          }
        };
    MembershipHook membership =
        (before, after, lost) ->
            membershipCalls.add(ids(before) + " -> " + ids(after) + " lost " + ids(lost));
    return new MiddlewareReconciler(
        store,
        Scheduler.withDefaultPlugins(),
        readiness,
        membership,
        Rendering.kubernetes(),
        MiddlewareReconciler.randomSecrets(new Random(7)),
        step -> {
          steps.add(step);
          hook.before(step);
        },
        clock,
        Duration.ofSeconds(1),
        events);
  }

  /** The events recorded on the Middleware, as "Type Reason: message", oldest first. */
  List<String> events() {
    return events.of(ZK).stream()
        .map(e -> e.type() + " " + e.reason() + ": " + e.message())
        .toList();
  }

  /** Adds a taint to a cluster's spec, as {@code flotilla cluster drain} does. */
  void taint(String cluster, String key, String effect) {
    KubeObject o =
        store
            .get(new ObjectRef(ApiVersion.API_VERSION, "MemberCluster", "", cluster))
            .orElseThrow();
    store.update(
        o.edit(
            n -> {
              ObjectNode spec = (ObjectNode) n.get("spec");
              tools.jackson.databind.node.ArrayNode taints =
                  spec.get("taints") instanceof tools.jackson.databind.node.ArrayNode a
                      ? a
                      : spec.putArray("taints");
              taints.addObject().put("key", key).put("value", "").put("effect", effect);
            }));
  }

  static String ids(Topology t) {
    return ids(t.instances());
  }

  static String ids(java.util.Collection<Instance> instances) {
    return instances.stream()
        .sorted(java.util.Comparator.comparing(Instance::id))
        .map(i -> i.cluster() + ":" + i.id())
        .collect(Collectors.joining(",", "[", "]"));
  }

  /** Passes until the reconciler asks for no requeue (or 100 passes); the summaries. */
  List<String> settle(MiddlewareReconciler r) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      MiddlewareReconciler.Outcome o = r.reconcile(ZK);
      out.add(o.summary());
      if (o.requeueAfter().isEmpty()) {
        return out;
      }
      clock.advance(Duration.ofSeconds(1));
    }
    throw new AssertionError("no quiescence after 100 passes: " + out);
  }

  void cluster(String name, boolean ready, boolean unreachableTaint) {
    ObjectNode o =
        (ObjectNode) KubeObject.create(ApiVersion.API_VERSION, "MemberCluster", "", name).json();
    ObjectNode labels = ((ObjectNode) o.get("metadata")).putObject("labels");
    labels.put("cluster", "compute");
    ObjectNode spec = o.putObject("spec");
    if (unreachableTaint) {
      spec.putArray("taints")
          .addObject()
          .put("key", MiddlewareReconciler.UNREACHABLE_TAINT)
          .put("effect", "NoExecute");
    }
    ObjectNode status = o.putObject("status");
    status
        .putArray("conditions")
        .addObject()
        .put("type", "Ready")
        .put("status", ready ? "True" : "False")
        .put("reason", ready ? "Healthy" : "Timeout")
        .put("lastHeartbeatTime", "2026-11-26T12:00:00Z");
    ObjectNode summary = status.putObject("resourceSummary");
    summary.putObject("allocatable").put("cpu", "64").put("memory", "256Gi");
    summary.putObject("allocated").put("cpu", "8").put("memory", "32Gi");
    ObjectRef ref = new ObjectRef(ApiVersion.API_VERSION, "MemberCluster", "", name);
    var existing = store.get(ref);
    if (existing.isEmpty()) {
      store.create(KubeObject.of(o));
    } else {
      KubeObject next =
          KubeObject.of(o)
              .edit(
                  n ->
                      ((ObjectNode) n.get("metadata"))
                          .put("resourceVersion", existing.get().resourceVersion().orElse("")));
      store.updateStatus(store.update(next).edit(n -> n.set("status", o.get("status"))));
    }
  }

  void middleware(String yaml) {
    KubeObject mw = KubeObject.of(yamlTree(yaml));
    var existing = store.get(mw.ref());
    if (existing.isEmpty()) {
      store.create(mw);
    } else {
      store.update(existing.get().edit(n -> n.set("spec", mw.json().get("spec"))));
    }
  }

  static JsonNode yamlTree(String yaml) {
    return tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readTree(yaml);
  }

  MiddlewareStatus status() {
    return MiddlewareStatus.fromJson(store.get(ZK).orElseThrow().at("/status"));
  }

  List<String> propagatedTo() {
    return store
        .get(new ObjectRef(ApiVersion.API_VERSION, PropagationPolicy.KIND, "default", "zk"))
        .map(
            p -> {
              List<String> out = new ArrayList<>();
              p.at("/spec/placement/clusterAffinity/clusterNames")
                  .forEach(n -> out.add(n.asString()));
              return out;
            })
        .orElse(List.of());
  }

  /** Cluster → revision of the generated overrides there. */
  TreeMap<String, String> overrides() {
    TreeMap<String, String> out = new TreeMap<>();
    for (KubeObject o : store.list(ApiVersion.API_VERSION, OverridePolicy.KIND, "default")) {
      out.put(
          o.labels().get(DesiredState.CLUSTER_LABEL), o.annotations().get(DesiredState.REVISION));
    }
    return out;
  }

  /** Everything generated, without server fields and timestamps, to compare end states. */
  String endState() {
    StringBuilder b = new StringBuilder();
    for (String[] k :
        new String[][] {
          {"apps/v1", "StatefulSet"},
          {"v1", "ConfigMap"},
          {"v1", "Service"},
          {"v1", "Secret"},
          {ApiVersion.API_VERSION, PropagationPolicy.KIND},
          {ApiVersion.API_VERSION, OverridePolicy.KIND}
        }) {
      for (KubeObject o : store.list(k[0], k[1], "default")) {
        ObjectNode n = o.json();
        ObjectNode meta = (ObjectNode) n.get("metadata");
        for (String f : List.of("resourceVersion", "uid", "creationTimestamp", "generation")) {
          meta.remove(f);
        }
        b.append(n).append('\n');
      }
    }
    if (store.get(ZK).isEmpty()) {
      return b.toString();
    }
    MiddlewareStatus s = status();
    b.append(s.placement()).append(' ').append(s.ids()).append(' ').append(s.running());
    b.append(' ').append(s.runningBases()).append(' ').append(s.lost().keySet());
    b.append(' ').append(s.fenced().keySet()).append('\n');
    s.conditions()
        .forEach(
            c ->
                b.append(c.type())
                    .append('=')
                    .append(c.status())
                    .append(' ')
                    .append(c.reason())
                    .append('\n'));
    return b.toString();
  }
}
