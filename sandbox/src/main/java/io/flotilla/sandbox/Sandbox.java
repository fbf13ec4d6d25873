package io.flotilla.sandbox;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.ClusterAccess;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Resources;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.MemberException;
import io.flotilla.controller.ControlPlane;
import io.flotilla.controller.DriverMembership;
import io.flotilla.controller.MiddlewareReconciler;
import io.flotilla.controller.Rendering;
import io.flotilla.middleware.Adapters;
import io.flotilla.propagation.MemberFactory;
import io.flotilla.runtime.Distributions;
import io.flotilla.runtime.LocalRuntime;
import io.flotilla.runtime.Tools;
import io.flotilla.server.ApiServer;
import io.flotilla.server.EventRoutes;
import io.flotilla.server.ExtraRoute;
import io.flotilla.server.Tokens;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.file.FileLeaderElection;
import io.flotilla.store.file.FileObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox (DESIGN.md §8): local member clusters ({@link LocalCluster}) and the control plane in
 * embedded mode over them, in one process, with its API on 127.0.0.1. Everything lives under one
 * directory: the control plane's store and token ({@code control-plane/}), each cluster's pods and
 * their logs ({@code clusters/<cluster>/<namespace>/<pod>/instance.log}), the address plan, the
 * processes started ({@code pids/}, reaped by the next start after a crash) and {@code
 * sandbox.json}, which says where the running sandbox's API is.
 */
public final class Sandbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The label every local cluster carries, which the examples select. */
  public static final Map<String, String> CLUSTER_LABELS = Map.of("cluster", "compute");

  /**
   * How a sandbox runs.
   *
   * @param clusters how many local clusters (named dc1, dc2, ...)
   * @param port the API's port on 127.0.0.1 (0: any free one)
   * @param perCluster what each cluster's node offers to pods
   */
  public record Options(
      Path dir, int clusters, int port, Resources perCluster, ControlPlane.Settings settings) {
    public Options {
      Objects.requireNonNull(dir, "dir");
      if (clusters < 1 || clusters > 254) {
        throw new IllegalArgumentException("--clusters must be 1 to 254, got " + clusters);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("--port must be 0 to 65535, got " + port);
      }
    }

    /**
     * Each cluster's node offers the machine's cores and an equal part of its memory: the clusters
     * share one machine, and processes rarely use what they request.
     */
    public static Resources machineShare(int clusters) {
      long cpu = Runtime.getRuntime().availableProcessors() * 1000L;
      long memory =
          ((com.sun.management.OperatingSystemMXBean)
                      java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                  .getTotalMemorySize()
              / clusters;
      return new Resources(cpu, memory);
    }
  }

  private final Options options;
  private final Map<String, LocalCluster> clusters = new LinkedHashMap<>();
  private final AddressPlan addresses;
  private final PidFiles pids;
  private final Distributions distributions;
  private final Clock clock;
  private volatile ControlPlane controlPlane;
  private volatile ApiServer api;
  private volatile int port;
  private String token;
  private final CountDownLatch down = new CountDownLatch(1);

  private Sandbox(Options options, Distributions distributions, Clock clock) {
    this.options = options;
    this.distributions = distributions;
    this.clock = clock;
    List<String> names = new ArrayList<>();
    for (int n = 1; n <= options.clusters(); n++) {
      names.add("dc" + n);
    }
    this.addresses = AddressPlan.open(options.dir().resolve("addresses"), names);
    this.pids = new PidFiles(options.dir().resolve("pids"));
  }

  /**
   * Starts a sandbox: kills what a crashed one left running, starts the local clusters, then the
   * control plane and its API, registers every cluster as a MemberCluster, waits until the control
   * plane leads and sees every cluster Ready (so that what is deployed next is spread over all of
   * them), and only then writes {@code sandbox.json}: the commands that find a sandbox through it
   * never see one that is still starting.
   *
   * @throws IllegalStateException when another sandbox runs in the same directory
   */
  public static Sandbox start(Options options, Distributions distributions, Clock clock) {
    Sandbox s = new Sandbox(options, distributions, clock);
    s.refuseIfRunning();
    int reaped = s.pids.reap();
    if (reaped > 0) {
      LOG.atWarn()
          .addKeyValue("processes", reaped)
          .log("killed processes a crashed sandbox left running");
    }
    LocalRuntime runtime = new LocalRuntime(distributions);
    for (String name : s.addresses.clusters()) {
      s.clusters.put(
          name,
          new LocalCluster(
                  name,
                  options.dir().resolve("clusters").resolve(name),
                  runtime,
                  options.perCluster(),
                  s.pids,
                  clock)
              .start());
    }
    try {
      try {
        s.token = Tokens.loadOrCreate(s.controlPlaneDir()).value();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot keep the API token in " + s.controlPlaneDir(), e);
      }
      s.startControlPlane();
      s.register();
      s.awaitClustersReady(CLUSTERS_READY);
      s.writeInfo();
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private Path controlPlaneDir() {
    return options.dir().resolve("control-plane");
  }

  private void refuseIfRunning() {
    Optional<SandboxInfo> info = SandboxInfo.read(options.dir());
    if (info.isPresent() && info.get().alive()) {
      throw new IllegalStateException(
          "a sandbox already runs in "
              + options.dir()
              + " (pid "
              + info.get().pid()
              + ", API on port "
              + info.get().port()
              + "): stop it with flotilla sandbox down");
    }
  }

  /** Starts the control plane and its API (again, after {@link #stopControlPlane}). */
  public synchronized void startControlPlane() {
    if (controlPlane != null) {
      throw new IllegalStateException("the control plane runs already");
    }
    Path data = controlPlaneDir();
    FileLeaderElection election =
        FileLeaderElection.inDirectory(
            data.resolve("election"), "sandbox-" + ProcessHandle.current().pid());
    ControlPlane.Backend backend =
        new ControlPlane.Backend() {
          @Override
          public ObjectStore openStore() {
            return FileObjectStore.open(data.resolve("store"), Clock.systemUTC());
          }

          @Override
          public MemberFactory members(ObjectStore store) {
            return (name, access) -> {
              LocalCluster c = clusters.get(name);
              if (!(access instanceof ClusterAccess.Local) || c == null) {
                throw new MemberException(
                    FailureReason.INVALID_CONFIG,
                    "member cluster "
                        + name
                        + ": the sandbox reaches only its own local clusters "
                        + clusters.keySet()
                        + " (spec.access.local)");
              }
              return new SharedMember(c);
            };
          }

          @Override
          public Rendering rendering() {
            return new Rendering(addresses, type -> new RecipeAdapter(Adapters.of(type)));
          }
        };
    ControlPlane cp =
        new ControlPlane(
            election,
            backend,
            options.settings(),
            new DriverMembership(new Tools(distributions), clock),
            MiddlewareReconciler.randomSecrets(new SecureRandom()),
            clock);
    ApiServer server = new ApiServer().serveMetrics(cp.metrics());
    try {
      port =
          server.start(
              new InetSocketAddress(
                  InetAddress.getLoopbackAddress(), port == 0 ? options.port() : port),
              cp.apiStore(),
              cp.view(),
              token,
              cp::ready,
              java.util.stream.Stream.concat(
                      routes().stream(), EventRoutes.of(cp.events()).stream())
                  .toList());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on 127.0.0.1:" + options.port() + " (--port): " + e.getMessage(), e);
    }
    cp.start();
    controlPlane = cp;
    api = server;
    awaitLeading(Duration.ofSeconds(60));
  }

  /**
   * Stops the control plane and its API, as if its process died; the local clusters and their
   * middleware go on on their own.
   */
  public synchronized void stopControlPlane() {
    if (controlPlane == null) {
      throw new IllegalStateException("the control plane is stopped already");
    }
    api.close();
    controlPlane.close();
    api = null;
    controlPlane = null;
  }

  /** Whether the control plane runs (it may be stopped by {@link #stopControlPlane}). */
  public boolean controlPlaneRuns() {
    return controlPlane != null;
  }

  private void awaitLeading(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!controlPlane.ready()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the sandbox's control plane did not lead within " + timeout.toSeconds() + " s");
      }
      pause(Duration.ofMillis(100));
    }
  }

  /** Sleeps, for the sandbox's own waits (no clock to advance: real processes run). */
  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Creates each cluster's MemberCluster, or leaves the one there. */
  private void register() {
    ObjectStore store = store();
    for (String name : clusters.keySet()) {
      ObjectRef ref = new ObjectRef(ApiVersion.API_VERSION, MemberCluster.KIND, "", name);
      if (store.get(ref).isPresent()) {
        continue;
      }
      store.create(
          KubeObject.create(ApiVersion.API_VERSION, MemberCluster.KIND, "", name)
              .edit(
                  o -> {
                    ObjectNode labels = ((ObjectNode) o.get("metadata")).putObject("labels");
                    CLUSTER_LABELS.forEach(labels::put);
                    labels.put("topology.flotilla.io/zone", name);
                    o.putObject("spec").putObject("access").putObject("local");
                  }));
    }
  }

  /**
   * Waits until the control plane sees every local cluster Ready, so that what is deployed next is
   * spread over all of them.
   *
   * @throws IllegalStateException naming the clusters still not Ready after {@code timeout}
   */
  void awaitClustersReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> notReady = new ArrayList<>(clusters.keySet());
      for (JsonNode c : globalView().path("clusters")) {
        if (c.path("ready").asBoolean()) {
          notReady.remove(c.path("name").asString());
        }
      }
      if (notReady.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the sandbox's clusters "
                + notReady
                + " were not Ready within "
                + timeout.toSeconds()
                + " s; logs under "
                + options.dir());
      }
      pause(Duration.ofMillis(200));
    }
  }

  /** How long {@code /sandbox/v1/down} lets its answer go out before the sandbox stops. */
  private static final Duration ANSWER_BEFORE_DOWN = Duration.ofMillis(300);

  /** How long a start waits for the control plane to see every local cluster Ready. */
  static final Duration CLUSTERS_READY = Duration.ofMinutes(1);

  /** The control plane's store, while it runs. */
  public ObjectStore store() {
    ControlPlane cp = controlPlane;
    if (cp == null) {
      throw new IllegalStateException("the control plane is stopped");
    }
    return cp.apiStore();
  }

  /** The events the control plane recorded on objects, while it runs. */
  public io.flotilla.store.events.EventLog events() {
    ControlPlane cp = controlPlane;
    if (cp == null) {
      throw new IllegalStateException("the control plane is stopped");
    }
    return cp.events();
  }

  /** The control plane's global view, while it runs. */
  public JsonNode globalView() {
    ControlPlane cp = controlPlane;
    if (cp == null) {
      throw new IllegalStateException("the control plane is stopped");
    }
    return cp.view().globalView();
  }

  public Map<String, LocalCluster> clusters() {
    return java.util.Collections.unmodifiableMap(clusters);
  }

  public LocalCluster cluster(String name) {
    LocalCluster c = clusters.get(name);
    if (c == null) {
      throw new NoSuchElementException(
          "no local cluster " + name + "; the sandbox has " + clusters.keySet());
    }
    return c;
  }

  public AddressPlan addresses() {
    return addresses;
  }

  public Distributions distributions() {
    return distributions;
  }

  public int port() {
    return port;
  }

  public String token() {
    return token;
  }

  public Path dir() {
    return options.dir();
  }

  private List<ExtraRoute> routes() {
    return List.of(
        new ExtraRoute("GET", "/sandbox/v1/clusters", p -> clustersJson()),
        new ExtraRoute(
            "POST",
            "/sandbox/v1/clusters/{name}/fail",
            p -> {
              cluster(p.get("name")).fail();
              return clustersJson();
            }),
        new ExtraRoute(
            "POST",
            "/sandbox/v1/clusters/{name}/recover",
            p -> {
              cluster(p.get("name")).recover();
              return clustersJson();
            }),
        new ExtraRoute(
            "POST",
            "/sandbox/v1/down",
            p -> {
              // released a moment after this answer is written: the sandbox stops its API next,
              // which would cut the answer off
              java.util.concurrent.CompletableFuture.delayedExecutor(
                      ANSWER_BEFORE_DOWN.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                  .execute(down::countDown);
              return F.objectNode().put("stopping", true);
            }));
  }

  private JsonNode clustersJson() {
    ArrayNode out = F.arrayNode();
    clusters.forEach(
        (name, c) ->
            out.addObject()
                .put("name", name)
                .put("state", c.failed() ? "failed" : "running")
                .put("processes", c.processes().size()));
    return F.objectNode().set("clusters", out);
  }

  private void writeInfo() {
    new SandboxInfo(
            ProcessHandle.current().pid(), port, controlPlaneDir().resolve(Tokens.FILE_NAME))
        .write(options.dir());
  }

  /**
   * Waits until {@code POST /sandbox/v1/down} asks the sandbox to stop ({@code flotilla sandbox
   * down}); the caller then closes it.
   */
  public void awaitDown() throws InterruptedException {
    down.await();
  }

  /** Stops the control plane, then every cluster and its processes; idempotent. */
  @Override
  public synchronized void close() {
    if (controlPlane != null) {
      stopControlPlane();
    }
    clusters.values().parallelStream().forEach(LocalCluster::close);
    SandboxInfo.remove(options.dir());
  }

  /** What {@code sandbox.json} says: the running sandbox's pid, API port and token file. */
  public record SandboxInfo(long pid, int port, Path tokenFile) {
    static final String FILE = "sandbox.json";

    /** Whether the process that wrote it still runs. */
    public boolean alive() {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public String token() {
      try {
        return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the sandbox's token " + tokenFile, e);
      }
    }

    void write(Path dir) {
      ObjectNode o =
          F.objectNode().put("pid", pid).put("port", port).put("tokenFile", tokenFile.toString());
      try {
        Files.writeString(dir.resolve(FILE), o.toPrettyString() + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
      }
    }

    static void remove(Path dir) {
      try {
        Files.deleteIfExists(dir.resolve(FILE));
      } catch (IOException e) {
        LOG.atDebug().log("cannot remove {}: {}", dir.resolve(FILE), e.toString());
      }
    }

    /** The sandbox.json in {@code dir}, or empty when there is none (or it is unreadable). */
    public static Optional<SandboxInfo> read(Path dir) {
      Path f = dir.resolve(FILE);
      if (!Files.exists(f)) {
        return Optional.empty();
      }
      try {
        JsonNode o = tools.jackson.databind.json.JsonMapper.builder().build().readTree(f.toFile());
        return Optional.of(
            new SandboxInfo(
                o.path("pid").asLong(),
                o.path("port").asInt(),
                Path.of(o.path("tokenFile").asString())));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
  }
}
