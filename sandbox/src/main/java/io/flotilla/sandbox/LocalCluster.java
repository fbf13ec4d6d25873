package io.flotilla.sandbox;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Resources;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.PodStatus;
import io.flotilla.cluster.PodStatuses;
import io.flotilla.cluster.ProbeResult;
import io.flotilla.cluster.ResourceSummer;
import io.flotilla.cluster.ResourceUsage;
import io.flotilla.cluster.WatchHandler;
import io.flotilla.cluster.memory.MemberObjects;
import io.flotilla.middleware.LaunchRecipe;
import io.flotilla.middleware.LocalLaunch;
import io.flotilla.runtime.LocalRuntime;
import io.flotilla.runtime.LocalRuntimeException;
import io.flotilla.runtime.RunningInstance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A member cluster on this machine (DESIGN.md §8): it keeps the objects applied to it as an API
 * server would, and its kubelet runs every pod of every StatefulSet it holds as a real process —
 * the pod's launch recipe, read from the Secret its pod template names ({@value #RECIPES}), carried
 * out by the {@link LocalRuntime} — in {@code <dir>/<namespace>/<pod>}, on the loopback address the
 * recipe binds. Pods are Pod objects with phase, readiness (the recipe's own check, every second),
 * address and restart count; a process that exits is started again with a growing delay, as a
 * kubelet restarts a container. A pod no longer wanted is stopped (SIGTERM, then SIGKILL); its
 * directory stays, as a volume would.
 *
 * <p>{@link #fail} is a lost data centre: every process killed at once, every call refused, every
 * watch ended. {@link #recover} brings it back empty-handed: its objects are still there (its API
 * server's storage survived) but none of its pods run, and a StatefulSet it held before the failure
 * runs pods again only once someone writes it again — so the control plane fences (deletes) the
 * stale ones before any of their old instances can rejoin.
 */
public final class LocalCluster implements Member {
  /** The pod template annotation naming the Secret that holds each pod's launch recipe. */
  public static final String RECIPES = "flotilla.io/launch-recipes";

  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Duration TICK = Duration.ofMillis(500);
  private static final Duration FIRST_RESTART = Duration.ofSeconds(1);
  private static final Duration LAST_RESTART = Duration.ofSeconds(30);

  private final String name;
  private final Path dir;
  private final LocalRuntime runtime;
  private final Resources allocatable;
  private final Clock clock;
  private final PidFiles pids;
  private final MemberObjects objects;
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final Set<ObjectRef> held = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService kubelet;
  private final ExecutorService probes;
  private volatile boolean down;
  private volatile boolean closed;

  /**
   * @param dir where its pods' directories are made
   * @param pids where the processes it starts are recorded, for a reaper after a crash
   * @param allocatable what its one node offers to pods
   */
  public LocalCluster(
      String name,
      Path dir,
      LocalRuntime runtime,
      Resources allocatable,
      PidFiles pids,
      Clock clock) {
    this.name = name;
    this.pids = pids;
    this.dir = dir;
    this.runtime = runtime;
    this.allocatable = allocatable;
    this.clock = clock;
    this.objects = new MemberObjects(name);
    this.kubelet = Executors.newSingleThreadScheduledExecutor(daemon("local-" + name + "-kubelet"));
    this.probes = Executors.newCachedThreadPool(daemon("local-" + name + "-probe"));
    objects.put(node());
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts its kubelet. */
  public LocalCluster start() {
    kubelet.scheduleWithFixedDelay(this::syncQuietly, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  /** Whether it has failed and not recovered. */
  public boolean failed() {
    return down;
  }

  /** Its pods' processes that are alive now. */
  public List<RunningInstance> processes() {
    return pods.values().stream().map(p -> p.process).filter(p -> p != null && p.alive()).toList();
  }

  private KubeObject node() {
    return KubeObject.create("v1", "Node", "", name + "-node")
        .edit(
            o -> {
              ((ObjectNode) o.get("metadata"))
                  .putObject("labels")
                  .put("kubernetes.io/hostname", name + "-node")
                  .put("topology.kubernetes.io/zone", name);
              ObjectNode status = o.putObject("status");
              status
                  .putObject("allocatable")
                  .put("cpu", allocatable.cpuMillis() + "m")
                  .put("memory", Long.toString(allocatable.memoryBytes()));
              status.putArray("conditions").addObject().put("type", "Ready").put("status", "True");
              status
                  .putArray("addresses")
                  .addObject()
                  .put("type", "InternalIP")
                  .put("address", "127.0.0.1");
            });
  }

  private void check() {
    if (down) {
      throw new MemberException(
          FailureReason.REFUSED, "local cluster " + name + " has failed (flotilla sandbox fail)");
    }
    if (closed) {
      throw new MemberException(FailureReason.REFUSED, "local cluster " + name + " is stopped");
    }
  }

  @Override
  public KubeObject apply(KubeObject desired) {
    check();
    KubeObject stored = objects.apply(desired, (o, generation) -> null);
    if (stored.kind().equals("StatefulSet") && held.remove(stored.ref())) {
      LOG.atInfo()
          .addKeyValue("cluster", name)
          .addKeyValue("statefulSet", stored.namespace() + "/" + stored.name())
          .log("a StatefulSet held since the cluster recovered was written again: its pods run");
    }
    wake();
    return stored;
  }

  @Override
  public boolean delete(ObjectRef ref) {
    check();
    boolean gone = objects.delete(ref).isPresent();
    held.remove(ref);
    wake();
    return gone;
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

  @Override
  public List<PodStatus> pods(String namespace, Map<String, String> labels) {
    check();
    return objects.list("v1", "Pod", namespace, labels).stream().map(PodStatuses::of).toList();
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
    if (down || closed) {
      return ProbeResult.failed(
          FailureReason.REFUSED, "local cluster " + name + " does not answer", Duration.ZERO);
    }
    return ProbeResult.ok(Duration.ZERO);
  }

  @Override
  public ResourceUsage resources() {
    check();
    return ResourceSummer.usage(
        objects.list("v1", "Node", "", Map.of()), objects.list("v1", "Pod", "", Map.of()));
  }

  /**
   * A lost data centre: kills every process at once (SIGKILL), refuses every call and ends every
   * watch until {@link #recover}.
   *
   * @throws IllegalStateException when it has failed already
   */
  public synchronized void fail() {
    if (down) {
      throw new IllegalStateException("local cluster " + name + " has failed already");
    }
    down = true;
    List<Pod> all = new ArrayList<>(pods.values());
    pods.clear();
    all.parallelStream().forEach(Pod::kill);
    objects.failWatches(
        new MemberException(FailureReason.REFUSED, "local cluster " + name + " has failed"));
    LOG.atWarn()
        .addKeyValue("cluster", name)
        .addKeyValue("processesKilled", all.size())
        .log("local cluster failed: every process killed, its API refuses every call");
  }

  /**
   * Brings a failed cluster back, empty-handed: its objects are kept, its Pod objects are gone (its
   * machines restarted), and the StatefulSets it holds run nothing until written again.
   *
   * @throws IllegalStateException when it has not failed
   */
  public synchronized void recover() {
    if (!down) {
      throw new IllegalStateException("local cluster " + name + " has not failed");
    }
    for (KubeObject pod : objects.list("v1", "Pod", "", Map.of())) {
      objects.delete(pod.ref());
    }
    for (KubeObject sts : objects.list("apps/v1", "StatefulSet", "", Map.of())) {
      held.add(sts.ref());
      objects.updateStatus(sts.ref(), status(sts, 0, 0));
    }
    down = false;
    LOG.atInfo()
        .addKeyValue("cluster", name)
        .addKeyValue("statefulSetsHeld", held.size())
        .log("local cluster recovered, empty-handed: its StatefulSets run again only when written");
    wake();
  }

  private void wake() {
    if (!closed) {
      try {
        kubelet.execute(this::syncQuietly);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("cluster", name).setCause(e).log("kubelet pass failed");
    }
  }

  /** One kubelet pass: the pods the StatefulSets want, started, probed, restarted or stopped. */
  private synchronized void sync() {
    if (down || closed) {
      return;
    }
    Map<String, Wanted> wanted = new LinkedHashMap<>();
    List<KubeObject> sets = objects.list("apps/v1", "StatefulSet", "", Map.of());
    for (KubeObject sts : sets) {
      if (held.contains(sts.ref())) {
        continue;
      }
      JsonNode spec = sts.at("/spec");
      int start = spec.path("ordinals").path("start").asInt(0);
      int replicas = spec.path("replicas").asInt(1);
      for (int k = 0; k < replicas; k++) {
        Wanted w = new Wanted(sts, start + k);
        wanted.put(w.key(), w);
      }
    }
    for (String key : List.copyOf(pods.keySet())) {
      if (!wanted.containsKey(key)) {
        Pod gone = pods.remove(key);
        probes.execute(gone::stop);
      }
    }
    Instant now = clock.instant();
    for (Wanted w : wanted.values()) {
      Pod pod = pods.computeIfAbsent(w.key(), k -> new Pod(w));
      pod.wanted = w;
      pod.step(now);
    }
    for (KubeObject sts : sets) {
      int created = 0;
      int ready = 0;
      for (Pod p : pods.values()) {
        if (p.wanted.sts.ref().equals(sts.ref())) {
          created++;
          ready += p.ready ? 1 : 0;
        }
      }
      objects.updateStatus(sts.ref(), status(sts, created, ready));
    }
  }

  /**
   * A StatefulSet's status as this pass saw it: pods created and ready, and the generation it acted
   * on (older than the stored one when an apply came in during the pass).
   */
  private static JsonNode status(KubeObject sts, int created, int ready) {
    return F.objectNode()
        .put("replicas", created)
        .put("readyReplicas", ready)
        .put("currentReplicas", created)
        .put("observedGeneration", sts.generation());
  }

  /** A pod a StatefulSet wants. */
  private record Wanted(KubeObject sts, int ordinal) {
    String key() {
      return sts.namespace() + "/" + pod();
    }

    String pod() {
      return sts.name() + "-" + ordinal;
    }
  }

  /** One pod and its process. */
  private final class Pod {
    Wanted wanted;
    RunningInstance process;
    Future<Boolean> probe;
    boolean ready;
    int restarts;
    Instant nextStart = Instant.MIN;
    String ip = "";
    String waiting = "ContainerCreating";
    String message = "";

    Pod(Wanted wanted) {
      this.wanted = wanted;
    }

    /** Starts, restarts or probes the process, and writes the Pod object when it changed. */
    void step(Instant now) {
      if (process != null && !process.alive()) {
        restarts++;
        Duration delay = backoff(restarts);
        nextStart = now.plus(delay);
        waiting = "CrashLoopBackOff";
        message = "exited; restarting in " + delay.toSeconds() + " s, log " + process.log();
        LOG.atWarn()
            .addKeyValue("cluster", name)
            .addKeyValue("pod", wanted.key())
            .addKeyValue("restarts", restarts)
            .addKeyValue("log", process.log())
            .log("pod process exited");
        pids.ended(process.pid());
        process = null;
        probe = null;
        ready = false;
      }
      if (process == null && !now.isBefore(nextStart)) {
        launch();
      }
      if (process != null) {
        if (probe != null && probe.isDone()) {
          try {
            ready = probe.get();
          } catch (Exception e) {
            ready = false;
          }
          probe = null;
        }
        if (probe == null) {
          RunningInstance p = process;
          probe = probes.submit(p::ready);
        }
      }
      objects.put(object());
    }

    private void launch() {
      Optional<String> recipe = recipe();
      if (recipe.isEmpty()) {
        waiting = "ContainerCreating";
        message = "no launch recipe for it yet in the Secret its pod template names";
        return;
      }
      Path home = dir.resolve(wanted.sts.namespace()).resolve(wanted.pod());
      try {
        LocalLaunch launch =
            LaunchRecipe.read(wanted.pod(), recipe.get(), home.toAbsolutePath().toString());
        ip = launch.endpoints().isEmpty() ? "" : launch.endpoints().get(0).host();
        process = runtime.start(name + "/" + wanted.pod(), launch, home);
        ProcessHandle.of(process.pid()).ifPresent(pids::started);
        waiting = "";
        message = "";
      } catch (LocalRuntimeException | IllegalArgumentException e) {
        restarts++;
        Duration delay = backoff(restarts);
        nextStart = clock.instant().plus(delay);
        waiting = "CreateContainerError";
        message = e.getMessage();
        LOG.atWarn()
            .addKeyValue("cluster", name)
            .addKeyValue("pod", wanted.key())
            .addKeyValue("retryInS", delay.toSeconds())
            .log("pod cannot start: {}", e.getMessage());
      }
    }

    private Optional<String> recipe() {
      JsonNode ann = wanted.sts.at("/spec/template/metadata/annotations/" + escape(RECIPES));
      if (!ann.isString()) {
        return Optional.empty();
      }
      Optional<KubeObject> secret =
          objects.get(new ObjectRef("v1", "Secret", wanted.sts.namespace(), ann.stringValue()));
      if (secret.isEmpty()) {
        return Optional.empty();
      }
      JsonNode plain = secret.get().at("/stringData/" + escape(wanted.pod()));
      if (plain.isString()) {
        return Optional.of(plain.stringValue());
      }
      JsonNode encoded = secret.get().at("/data/" + escape(wanted.pod()));
      if (encoded.isString()) {
        return Optional.of(
            new String(Base64.getDecoder().decode(encoded.stringValue()), StandardCharsets.UTF_8));
      }
      return Optional.empty();
    }

    KubeObject object() {
      JsonNode template = wanted.sts.at("/spec/template");
      return KubeObject.create("v1", "Pod", wanted.sts.namespace(), wanted.pod())
          .edit(
              o -> {
                ObjectNode meta = (ObjectNode) o.get("metadata");
                ObjectNode labels = meta.putObject("labels");
                template
                    .path("metadata")
                    .path("labels")
                    .properties()
                    .forEach(e -> labels.set(e.getKey(), e.getValue()));
                labels.put("statefulset.kubernetes.io/pod-name", wanted.pod());
                labels.put("apps.kubernetes.io/pod-index", Integer.toString(wanted.ordinal));
                meta.putArray("ownerReferences")
                    .addObject()
                    .put("apiVersion", "apps/v1")
                    .put("kind", "StatefulSet")
                    .put("name", wanted.sts.name())
                    .put("controller", true);
                ObjectNode spec = o.putObject("spec");
                spec.put("hostname", wanted.pod());
                spec.put("subdomain", wanted.sts.at("/spec/serviceName").asString(""));
                spec.put("nodeName", name + "-node");
                spec.set("containers", template.path("spec").path("containers").deepCopy());
                ObjectNode status = o.putObject("status");
                status.put("phase", process != null ? "Running" : "Pending");
                if (!ip.isEmpty() && process != null) {
                  status.put("podIP", ip);
                  status.putArray("podIPs").addObject().put("ip", ip);
                }
                ArrayNode conditions = status.putArray("conditions");
                conditions.addObject().put("type", "Ready").put("status", ready ? "True" : "False");
                ObjectNode container = status.putArray("containerStatuses").addObject();
                container
                    .put("name", template.at("/spec/containers/0/name").asString(wanted.pod()))
                    .put("ready", ready)
                    .put("restartCount", restarts);
                if (process != null) {
                  container.putObject("state").putObject("running");
                } else {
                  container
                      .putObject("state")
                      .putObject("waiting")
                      .put("reason", waiting)
                      .put("message", message);
                }
              });
    }

    void kill() {
      if (process != null) {
        process.kill();
        pids.ended(process.pid());
      }
    }

    void stop() {
      if (process != null) {
        process.stop();
        pids.ended(process.pid());
      }
      if (!down) {
        objects.delete(new ObjectRef("v1", "Pod", wanted.sts.namespace(), wanted.pod()));
      }
      LOG.atInfo()
          .addKeyValue("cluster", name)
          .addKeyValue("pod", wanted.key())
          .log("pod stopped: its StatefulSet no longer wants it");
    }
  }

  private static Duration backoff(int attempt) {
    long ms = FIRST_RESTART.toMillis() << Math.min(attempt - 1, 10);
    return Duration.ofMillis(Math.min(ms, LAST_RESTART.toMillis()));
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  /** Stops its kubelet and every process (SIGTERM, then SIGKILL), and ends every watch. */
  @Override
  public void close() {
    closed = true;
    kubelet.shutdownNow();
    try {
      kubelet.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pod> all = new ArrayList<>(pods.values());
    pods.clear();
    all.parallelStream()
        .forEach(
            p -> {
              if (p.process != null) {
                p.process.stop();
                pids.ended(p.process.pid());
              }
            });
    probes.shutdownNow();
    objects.closeWatches();
  }

  /** The set of held StatefulSets, for tests. */
  Set<ObjectRef> held() {
    return new HashSet<>(held);
  }
}
