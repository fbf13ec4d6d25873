package io.flotilla.cluster.memory;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Resources;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.PodStatus;
import io.flotilla.cluster.ProbeResult;
import io.flotilla.cluster.ResourceUsage;
import io.flotilla.cluster.WatchHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A member cluster held in memory: it keeps the objects applied to it with Kubernetes' bookkeeping
 * (resource versions, generations), and runs every StatefulSet's pods at once — each pod Running
 * and Ready, on a made-up address — as an idle kubelet would. For benchmarks and tests of the
 * layers above members, with no server to start; {@link #down} makes it unreachable, as a lost data
 * centre.
 */
public final class InMemoryMember implements Member {
  private final String name;
  private final ResourceUsage capacity;
  private final MemberObjects objects;
  private volatile boolean down;
  private volatile boolean podsReady = true;

  public InMemoryMember(String name, Resources allocatable) {
    this.name = name;
    this.objects = new MemberObjects(name);
    this.capacity = new ResourceUsage(allocatable, Resources.ZERO);
  }

  @Override
  public String name() {
    return name;
  }

  /** What this member holds now: its objects and the bytes of their packed JSON. */
  public MemberObjects.Held held() {
    return objects.held();
  }

  /** Makes the member unreachable (every call fails as refused) or reachable again. */
  public void down(boolean down) {
    this.down = down;
  }

  /** Whether StatefulSet pods report ready (true by default); applies to later applies. */
  public void podsReady(boolean ready) {
    this.podsReady = ready;
  }

  private void check() {
    if (down) {
      throw new MemberException(FailureReason.REFUSED, "member " + name + " is down");
    }
  }

  @Override
  public KubeObject apply(KubeObject desired) {
    check();
    return objects.apply(
        desired,
        (o, generation) -> {
          if (!desired.kind().equals("StatefulSet")) {
            return null;
          }
          int replicas = o.path("spec").path("replicas").asInt(1);
          return JsonNodeFactory.instance
              .objectNode()
              .put("replicas", replicas)
              .put("readyReplicas", podsReady ? replicas : 0)
              .put("observedGeneration", generation);
        });
  }

  @Override
  public boolean delete(ObjectRef ref) {
    check();
    return objects.delete(ref).isPresent();
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    check();
    return objects.get(ref);
  }

  @Override
  public List<KubeObject> list(
      String apiVersion, String kind, String namespace, Map<String, String> labels) {
    check();
    return objects.list(apiVersion, kind, namespace, labels);
  }

  /** Every StatefulSet's pods, ordinals from {@code spec.ordinals.start}, Running. */
  @Override
  public List<PodStatus> pods(String namespace, Map<String, String> labels) {
    check();
    List<PodStatus> out = new ArrayList<>();
    for (KubeObject sts : list("apps/v1", "StatefulSet", namespace, Map.of())) {
      JsonNode spec = sts.at("/spec");
      Map<String, String> podLabels = new java.util.TreeMap<>();
      spec.path("template")
          .path("metadata")
          .path("labels")
          .properties()
          .forEach(e -> podLabels.put(e.getKey(), e.getValue().asString()));
      if (!podLabels.entrySet().containsAll(labels.entrySet())) {
        continue;
      }
      int start = spec.path("ordinals").path("start").asInt(0);
      int replicas = spec.path("replicas").asInt(1);
      int ready = sts.at("/status/readyReplicas").asInt(0);
      for (int i = 0; i < replicas; i++) {
        String pod = sts.name() + "-" + (start + i);
        out.add(
            new PodStatus(
                sts.namespace(),
                pod,
                "Running",
                i < ready,
                "10.0." + ((start + i) / 250) + "." + ((start + i) % 250 + 1),
                pod,
                podLabels));
      }
    }
    return out;
  }

  @Override
  public MemberWatch watch(
      String apiVersion,
      String kind,
      String namespace,
      Map<String, String> labels,
      WatchHandler handler) {
    check();
    return objects.watch(apiVersion, kind, namespace, labels, handler);
  }

  @Override
  public ProbeResult probe(Duration timeout) {
    return down
        ? ProbeResult.failed(FailureReason.REFUSED, "member " + name + " is down", Duration.ZERO)
        : ProbeResult.ok(Duration.ZERO);
  }

  @Override
  public ResourceUsage resources() {
    check();
    return capacity;
  }

  @Override
  public void close() {
    objects.closeWatches();
  }
}
