package io.flotilla.sandbox;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.Middleware;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.io.ManifestReader;
import io.flotilla.controller.ControlPlane;
import io.flotilla.controller.MiddlewareReconciler;
import io.flotilla.middleware.redis.RedisAdapter;
import io.flotilla.middleware.zookeeper.ZooKeeperAdapter;
import io.flotilla.runtime.Distributions;
import io.flotilla.runtime.RunningInstance;
import io.flotilla.runtime.Tools;
import io.flotilla.sandbox.workload.KafkaWorkload;
import io.flotilla.sandbox.workload.OpenSearchWorkload;
import io.flotilla.sandbox.workload.RedisWorkload;
import io.flotilla.sandbox.workload.RocketMqWorkload;
import io.flotilla.sandbox.workload.Workload;
import io.flotilla.sandbox.workload.WorkloadException;
import io.flotilla.sandbox.workload.ZooKeeperWorkload;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The failover drill ({@code flotilla demo}): a fresh sandbox of three local clusters, middleware
 * deployed from {@code examples/sandbox}, a client per middleware that keeps writing and reading,
 * the loss of the cluster that holds the most voters, failover progress as it happens, and a
 * summary — the longest gap the clients saw, the time from the loss to full strength, writes
 * acknowledged and lost. It passes when every middleware is back at full strength and no
 * acknowledged write is lost where its type promises none.
 */
public final class Demo {
  /**
   * One middleware in the drill.
   *
   * @param name its Middleware's name in the example
   * @param example its file under {@code examples/sandbox}
   * @param lossless whether its type promises that no acknowledged write is lost (else the loss is
   *     only reported)
   * @param workload its client, from its client role's addresses and its credentials
   * @param voterRole the role whose instances decide which cluster the drill fails (the one holding
   *     the most of them)
   * @param clientRole the role whose addresses the client is given
   */
  record Subject(
      String name,
      String example,
      boolean lossless,
      Function<Context, Workload> workload,
      String voterRole,
      String clientRole) {}

  /** What a workload is built from. */
  record Context(Tools tools, List<String> addresses, Map<String, String> credentials) {}

  /** The drill {@code flotilla demo} runs without {@code --type}. */
  public static final String DEFAULT = "default";

  static final Map<String, List<Subject>> DRILLS = new LinkedHashMap<>();

  static {
    Subject zk =
        new Subject(
            "zk",
            "zookeeper.yaml",
            true,
            c ->
                ZooKeeperWorkload.of(
                    c.tools(),
                    String.join(",", c.addresses()),
                    "/flotilla-demo",
                    c.credentials().get(ZooKeeperAdapter.SUPER_PASSWORD)),
            "participant",
            "participant");
    Subject redis =
        new Subject(
            "redis",
            "redis.yaml",
            false,
            c -> new RedisWorkload(c.addresses(), c.credentials().get(RedisAdapter.PASSWORD)),
            "master",
            "master");
    Subject kafka =
        new Subject(
            "events",
            "kafka.yaml",
            true,
            c -> KafkaWorkload.of(c.tools(), String.join(",", c.addresses()), "flotilla-demo"),
            "controller",
            "broker");
    Subject rocketmq =
        new Subject(
            "orders-mq",
            "rocketmq.yaml",
            true,
            c -> RocketMqWorkload.of(c.tools(), String.join(";", c.addresses()), "flotilla-demo"),
            "master",
            "nameserver");
    Subject search =
        new Subject(
            "search",
            "elasticsearch.yaml",
            true,
            c ->
                new OpenSearchWorkload(
                    c.addresses().stream().map(a -> URI.create("http://" + a)).toList(),
                    "flotilla-demo",
                    2),
            "master",
            "master");
    DRILLS.put(DEFAULT, List.of(zk, redis));
    DRILLS.put("zookeeper", List.of(zk));
    DRILLS.put("redis", List.of(redis));
    DRILLS.put("kafka", List.of(kafka));
    DRILLS.put("rocketmq", List.of(rocketmq));
    DRILLS.put("elasticsearch", List.of(search));
  }

  /**
   * @param type which drill: a key of the drills ({@value #DEFAULT}: ZooKeeper and Redis)
   * @param killControlPlane also stop the control plane for a while in the steady state
   * @param drain drain the cluster (a planned move off it, as {@code flotilla cluster drain} does)
   *     instead of failing it
   */
  public record Options(
      Path dir,
      String type,
      boolean killControlPlane,
      boolean drain,
      Duration steady,
      Duration timeout) {
    public Options {
      if (!DRILLS.containsKey(type)) {
        throw new IllegalArgumentException(
            "--type " + type + " is not one of " + String.join(", ", DRILLS.keySet()));
      }
    }

    /** The failover drill (the cluster fails). */
    public Options(
        Path dir, String type, boolean killControlPlane, Duration steady, Duration timeout) {
      this(dir, type, killControlPlane, false, steady, timeout);
    }
  }

  /** The taints a drain adds (as {@code flotilla cluster drain}). */
  static final List<String[]> DRAIN_TAINTS =
      List.of(
          new String[] {"flotilla.io/cordoned", "NoSchedule"},
          new String[] {"flotilla.io/drained", "NoExecute"});

  /** The types {@code --type} accepts. */
  public static Set<String> types() {
    return DRILLS.keySet();
  }

  private final Options options;
  private final PrintStream out;
  private final long start = System.nanoTime();

  public Demo(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  private void say(String format, Object... args) {
    out.printf("[%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, String.format(format, args));
    out.flush();
  }

  /** Runs the drill; returns the process's exit code: 0 when it passed, 1 when it did not. */
  public int run() {
    Distributions distributions = Distributions.locate();
    wipe(options.dir());
    List<Subject> subjects = DRILLS.get(options.type());
    say("starting a sandbox of 3 local clusters in %s", options.dir());
    try (Sandbox sandbox =
        Sandbox.start(
            new Sandbox.Options(
                options.dir(),
                3,
                0,
                Sandbox.Options.machineShare(3),
                ControlPlane.Settings.defaults()),
            distributions,
            Clock.systemUTC())) {
      say(
          "control plane on http://127.0.0.1:%d (token in %s)",
          sandbox.port(), options.dir().resolve("control-plane/token"));
      say("member clusters %s Ready", String.join(", ", sandbox.clusters().keySet()));
      for (Subject s : subjects) {
        sandbox.store().create(example(distributions, s.example()));
        say("deployed %s from examples/sandbox/%s", s.name(), s.example());
      }
      for (Subject s : subjects) {
        await(
            "every instance of " + s.name() + " ready",
            () -> fullStrength(sandbox, s, Set.of()),
            options.timeout());
        say("%s is available: %s", s.name(), placement(sandbox, s));
      }
      Tools tools = new Tools(distributions);
      Map<Subject, Workload> clients = new LinkedHashMap<>();
      for (Subject s : subjects) {
        Workload w =
            s.workload().apply(new Context(tools, addresses(sandbox, s), credentials(sandbox, s)));
        w.start();
        clients.put(s, w);
        say("client started: %s", w.describe());
      }
      try {
        steady(clients, options.steady());
        boolean untouched = true;
        if (options.killControlPlane()) {
          untouched = controlPlaneOutage(sandbox, clients);
        }
        Subject voters = subjects.get(0);
        String lost = mostVoters(sandbox, voters);
        long failedAt;
        if (options.drain()) {
          say(
              "draining cluster %s (it holds %s): tainted flotilla.io/drained:NoExecute; its"
                  + " instances move off while it keeps serving",
              lost, holding(sandbox, voters, lost));
          failedAt = System.nanoTime();
          taint(sandbox, lost, true);
        } else {
          say(
              "failing cluster %s (it holds %s): every process killed, its API cut",
              lost, holding(sandbox, voters, lost));
          failedAt = System.nanoTime();
          sandbox.cluster(lost).fail();
        }
        Map<Subject, Double> fullAfter = new LinkedHashMap<>();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        String last = "";
        while (fullAfter.size() < subjects.size() && System.nanoTime() < deadline) {
          for (Subject s : subjects) {
            if (!fullAfter.containsKey(s) && fullStrength(sandbox, s, Set.of(lost))) {
              fullAfter.put(s, (System.nanoTime() - failedAt) / 1e9);
              say("%s is back at full strength: %s", s.name(), placement(sandbox, s));
            }
          }
          String now = progress(sandbox, subjects);
          if (!now.equals(last)) {
            say("%s (* not ready); %s", now, clientLine(clients));
            last = now;
          }
          Sandbox.pause(Duration.ofMillis(500));
        }
        steady(clients, Duration.ofSeconds(5));
        clients.values().forEach(Workload::stop);
        say("clients stopped; reading back every acknowledged write");
        Map<Subject, Workload.Verification> verified = new LinkedHashMap<>();
        for (Map.Entry<Subject, Workload> e : clients.entrySet()) {
          try {
            verified.put(e.getKey(), e.getValue().verify(Duration.ofMinutes(2)));
          } catch (WorkloadException ex) {
            say(
                "%s: could not read back the acknowledged writes: %s",
                e.getKey().name(), ex.getMessage());
          }
        }
        if (options.drain()) {
          await(
              "every process of " + lost + " gone",
              () -> sandbox.cluster(lost).processes().isEmpty(),
              Duration.ofMinutes(2));
          taint(sandbox, lost, false);
          say("cluster %s drained: none of its instances runs; uncordoned", lost);
        } else {
          sandbox.cluster(lost).recover();
          say(
              "cluster %s recovered, empty-handed; waiting for its stale copies to be fenced",
              lost);
          await(
              "the stale StatefulSets of " + lost + " deleted",
              () -> sandbox.cluster(lost).list("apps/v1", "StatefulSet", "", Map.of()).isEmpty(),
              Duration.ofMinutes(2));
          say("cluster %s fenced: none of its old instances runs", lost);
        }
        return summary(subjects, clients, verified, fullAfter, untouched);
      } finally {
        clients.values().forEach(Workload::close);
      }
    }
  }

  private int summary(
      List<Subject> subjects,
      Map<Subject, Workload> clients,
      Map<Subject, Workload.Verification> verified,
      Map<Subject, Double> fullAfter,
      boolean untouched) {
    out.println();
    out.println("SUMMARY");
    out.printf(
        "%-10s %-12s %-14s %-13s %-5s %s%n",
        "MIDDLEWARE", "LONGEST GAP", "FULL STRENGTH", "ACKNOWLEDGED", "LOST", "PROMISE");
    boolean pass = untouched;
    for (Subject s : subjects) {
      Workload.Stats st = clients.get(s).stats();
      Workload.Verification v = verified.get(s);
      Double full = fullAfter.get(s);
      out.printf(
          "%-10s %-12s %-14s %-13s %-5s %s%n",
          s.name(),
          String.format("%.1f s", st.longestGap().toMillis() / 1000.0),
          full == null ? "not reached" : String.format("%.1f s", full),
          v == null ? st.acknowledged() : v.acknowledged(),
          v == null ? "?" : v.lost(),
          s.lossless() ? "no acknowledged write lost" : "asynchronous: losses reported");
      if (full == null || v == null || (s.lossless() && v.lost() > 0) || v.acknowledged() == 0) {
        pass = false;
      }
    }
    out.println(pass ? "PASSED" : "FAILED");
    out.flush();
    return pass ? 0 : 1;
  }

  /**
   * Stops the control plane for a while in the steady state; returns whether, once it was back, no
   * process had been restarted.
   */
  private boolean controlPlaneOutage(Sandbox sandbox, Map<Subject, Workload> clients) {
    Set<Long> before = pids(sandbox);
    say("stopping the control plane: the member clusters go on on their own");
    sandbox.stopControlPlane();
    steady(clients, Duration.ofSeconds(10));
    say("starting the control plane again");
    sandbox.startControlPlane();
    steady(clients, Duration.ofSeconds(10));
    Set<Long> after = pids(sandbox);
    boolean same = before.equals(after);
    say(
        same
            ? "the control plane is back and changed nothing: the same %d processes run"
            : "the control plane restarted or moved processes: %d before, %s after",
        before.size(),
        after.size());
    return same;
  }

  private static Set<Long> pids(Sandbox sandbox) {
    return sandbox.clusters().values().stream()
        .flatMap(c -> c.processes().stream())
        .map(RunningInstance::pid)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private void steady(Map<Subject, Workload> clients, Duration d) {
    long until = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < until) {
      Sandbox.pause(Duration.ofSeconds(2));
      say("%s", clientLine(clients));
    }
  }

  private static String clientLine(Map<Subject, Workload> clients) {
    return clients.entrySet().stream()
        .map(
            e -> {
              Workload.Stats s = e.getValue().stats();
              return String.format(
                  "%s client: %d acknowledged, %d failed, current gap %.1f s",
                  e.getKey().name(),
                  s.acknowledged(),
                  s.failed(),
                  s.currentGap().toMillis() / 1000.0);
            })
        .collect(Collectors.joining("; "));
  }

  private static String progress(Sandbox sandbox, List<Subject> subjects) {
    StringBuilder b = new StringBuilder();
    for (Subject s : subjects) {
      b.append(s.name()).append(": ").append(placement(sandbox, s)).append("; ");
    }
    return b.toString().strip();
  }

  private static JsonNode view(Sandbox sandbox, Subject s) {
    for (JsonNode m : sandbox.globalView().path("middlewares")) {
      if (m.path("name").asString("").equals(s.name())) {
        return m;
      }
    }
    return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
  }

  /** Instances by cluster with ids and readiness, e.g. "dc1 [1 2] dc2 [6 7*]" (* not ready). */
  static String placement(Sandbox sandbox, Subject s) {
    Map<String, List<String>> by = new TreeMap<>();
    for (JsonNode i : view(sandbox, s).path("instances")) {
      by.computeIfAbsent(i.path("cluster").asString(), k -> new ArrayList<>())
          .add(
              i.path("role").asString()
                  + "-"
                  + i.path("id").asInt()
                  + (i.path("ready").asBoolean() ? "" : "*"));
    }
    return by.entrySet().stream()
        .map(e -> e.getKey() + " [" + String.join(" ", e.getValue()) + "]")
        .collect(Collectors.joining(" "));
  }

  private static boolean fullStrength(Sandbox sandbox, Subject s, Set<String> without) {
    Optional<KubeObject> mw =
        sandbox
            .store()
            .get(new ObjectRef(ApiVersion.API_VERSION, Middleware.KIND, "default", s.name()));
    if (mw.isEmpty() || !condition(mw.get(), "Available")) {
      return false;
    }
    JsonNode instances = view(sandbox, s).path("instances");
    // the scheduled placement's count, not the spec's replicas: a Duplicated role runs its
    // replicas in every cluster
    int replicas = 0;
    for (JsonNode role : mw.get().at("/status/placement")) {
      for (JsonNode count : role) {
        replicas += count.asInt();
      }
    }
    if (instances.size() != replicas) {
      return false;
    }
    for (JsonNode i : instances) {
      if (!i.path("ready").asBoolean() || without.contains(i.path("cluster").asString())) {
        return false;
      }
    }
    return true;
  }

  /** Drains a cluster (adds the drain's taints) or uncordons it (removes them). */
  private static void taint(Sandbox sandbox, String cluster, boolean drain) {
    ObjectRef ref = new ObjectRef(ApiVersion.API_VERSION, "MemberCluster", "", cluster);
    for (int attempt = 1; ; attempt++) {
      KubeObject c = sandbox.store().get(ref).orElseThrow();
      try {
        sandbox
            .store()
            .update(
                c.edit(
                    n -> {
                      tools.jackson.databind.node.ObjectNode spec =
                          n.get("spec") instanceof tools.jackson.databind.node.ObjectNode o
                              ? o
                              : n.putObject("spec");
                      tools.jackson.databind.node.ArrayNode kept = spec.arrayNode();
                      for (JsonNode t : spec.path("taints")) {
                        boolean ours =
                            DRAIN_TAINTS.stream()
                                .anyMatch(
                                    d ->
                                        d[0].equals(t.path("key").asString(""))
                                            && d[1].equals(t.path("effect").asString("")));
                        if (!ours) {
                          kept.add(t);
                        }
                      }
                      if (drain) {
                        for (String[] d : DRAIN_TAINTS) {
                          kept.addObject().put("key", d[0]).put("value", "").put("effect", d[1]);
                        }
                      }
                      spec.set("taints", kept);
                    }));
        return;
      } catch (io.flotilla.store.StoreException e) {
        if (attempt >= 5 || e.reason() != io.flotilla.store.StoreException.Reason.CONFLICT) {
          throw e;
        }
      }
    }
  }

  /** Whether an object's status condition of {@code type} is True. */
  static boolean condition(KubeObject o, String type) {
    for (JsonNode c : o.at("/status/conditions")) {
      if (c.path("type").asString("").equals(type)) {
        return c.path("status").asString("").equals("True");
      }
    }
    return false;
  }

  private static List<String> addresses(Sandbox sandbox, Subject s) {
    List<String> out = new ArrayList<>();
    for (JsonNode i : view(sandbox, s).path("instances")) {
      String a = i.path("address").asString("");
      if (!a.isEmpty() && i.path("role").asString().equals(s.clientRole())) {
        out.add(a);
      }
    }
    return out;
  }

  private static Map<String, String> credentials(Sandbox sandbox, Subject s) {
    Map<String, String> out = new TreeMap<>();
    sandbox
        .store()
        .get(
            new ObjectRef(
                "v1", "Secret", "default", s.name() + MiddlewareReconciler.CREDENTIALS_SUFFIX))
        .ifPresent(
            secret ->
                secret
                    .at("/stringData")
                    .properties()
                    .forEach(e -> out.put(e.getKey(), e.getValue().asString())));
    return out;
  }

  /** The cluster holding the most instances of the subject's voter role (then by name). */
  private static String mostVoters(Sandbox sandbox, Subject s) {
    Map<String, Integer> count = new TreeMap<>();
    for (JsonNode i : view(sandbox, s).path("instances")) {
      if (i.path("role").asString().equals(s.voterRole())) {
        count.merge(i.path("cluster").asString(), 1, Integer::sum);
      }
    }
    return count.entrySet().stream()
        .max(Comparator.comparingInt(Map.Entry<String, Integer>::getValue))
        .map(Map.Entry::getKey)
        .orElseThrow(() -> new IllegalStateException(s.name() + " has no " + s.voterRole()));
  }

  private static String holding(Sandbox sandbox, Subject s, String cluster) {
    List<String> ids = new ArrayList<>();
    for (JsonNode i : view(sandbox, s).path("instances")) {
      if (i.path("cluster").asString().equals(cluster)) {
        ids.add(i.path("role").asString() + "-" + i.path("id").asInt());
      }
    }
    return s.name() + " " + String.join(", ", ids);
  }

  /** A Middleware of {@code examples/sandbox}. */
  static KubeObject example(Distributions d, String file) {
    Path p = d.home().resolve("examples/sandbox").resolve(file);
    try {
      return KubeObject.of(
          (ObjectNode) ManifestReader.read(p.toString(), Files.readString(p)).get(0).node());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the example " + p, e);
    }
  }

  private void await(String what, java.util.function.BooleanSupplier done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the demo waited "
                + timeout.toSeconds()
                + " s for "
                + what
                + "; logs under "
                + options.dir().resolve("clusters"));
      }
      Sandbox.pause(Duration.ofMillis(500));
    }
  }

  /**
   * Starts from nothing: the directory of an earlier drill is removed — never a running sandbox's,
   * and never a directory that is not a sandbox's.
   */
  private static void wipe(Path dir) {
    Optional<Sandbox.SandboxInfo> info = Sandbox.SandboxInfo.read(dir);
    if (info.isPresent() && info.get().alive()) {
      throw new IllegalStateException(
          "a sandbox runs in " + dir + " (pid " + info.get().pid() + "): flotilla sandbox down");
    }
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent() && !Files.isDirectory(dir.resolve("control-plane"))) {
        throw new IllegalStateException(
            dir
                + " holds files and is not a sandbox's directory: the demo clears its directory,"
                + " so give it an empty or new one (--dir)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the demo's directory " + dir, e);
    }
    new PidFiles(dir.resolve("pids")).reap();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the demo's directory " + dir, e);
    }
  }
}
