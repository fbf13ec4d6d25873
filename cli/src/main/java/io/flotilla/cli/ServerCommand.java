package io.flotilla.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.flotilla.api.InvalidInputException;
import io.flotilla.api.Problem;
import io.flotilla.cluster.kubernetes.KubernetesMemberOptions;
import io.flotilla.controller.ControlPlane;
import io.flotilla.controller.DriverMembership;
import io.flotilla.controller.MiddlewareReconciler;
import io.flotilla.propagation.KubernetesMemberFactory;
import io.flotilla.propagation.MemberFactory;
import io.flotilla.runtime.Distributions;
import io.flotilla.runtime.Tools;
import io.flotilla.server.ApiServer;
import io.flotilla.server.EventRoutes;
import io.flotilla.server.Tokens;
import io.flotilla.store.LeaderElection;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.file.FileLeaderElection;
import io.flotilla.store.file.FileObjectStore;
import io.flotilla.store.kubernetes.KubernetesLeaderElection;
import io.flotilla.store.kubernetes.KubernetesObjectStore;
import io.flotilla.store.kubernetes.LeaderPodLabel;
import io.flotilla.store.kubernetes.LeaseTimings;
import io.flotilla.traffic.dns.DnsConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla server}: runs the control plane and its API in the foreground. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the control plane: the federation scheduler and controller, propagation to the member"
          + " clusters and the REST API, until stopped (Ctrl-C or SIGTERM give the lead up at"
          + " once).",
      "Embedded mode (the default) keeps desired state in --data-dir; --kubernetes keeps it as"
          + " CRDs in the host cluster of the current kubeconfig (or the pod's service account)."
          + " Several replicas may run: one leads, the others stand by and take over within a"
          + " few seconds of its death. A standby answers 503 to API requests and /readyz.",
      "The API's bearer token is read from DATA_DIR/token, created and printed once on first"
          + " start."
    },
    footer = {
      "",
      "Examples:",
      "  flotilla server",
      "  flotilla server --data-dir /var/lib/flotilla --port 9090",
      "  flotilla server --kubernetes --namespace flotilla-system --address 0.0.0.0"
    })
final class ServerCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = ".flotilla/server",
      description =
          "Holds the token and, in embedded mode, the store and the leader lease"
              + " (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "The API's port; 0 takes a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--address",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description = "The address the API binds (default: ${DEFAULT-VALUE}).")
  String address;

  @Option(
      names = "--kubernetes",
      description = "Keep desired state as CRDs in the host Kubernetes cluster.")
  boolean kubernetes;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      defaultValue = "${env:POD_NAMESPACE:-flotilla-system}",
      description =
          "Kubernetes mode: the namespace of the leader Lease (env POD_NAMESPACE; default:"
              + " ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Kubernetes mode: the host cluster's kubeconfig (default: $KUBECONFIG, ~/.kube/config,"
              + " or the pod's service account).")
  Path kubeconfig;

  @Option(
      names = "--dns",
      paramLabel = "FILE",
      description =
          "Keep the records of published Services and Ingresses in each data centre's DNS"
              + " (CoreDNS's etcd plugin, RFC 2136 with TSIG), as this file configures"
              + " (docs/traffic.md).")
  Path dns;

  @Option(
      names = "--identity",
      paramLabel = "NAME",
      description = "This replica's name in the leader lease (default: host-pid).")
  String identity;

  @picocli.CommandLine.Mixin LogFormatOption logFormat = new LogFormatOption();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Server server;
    try {
      logFormat.apply();
      server = start(out);
    } catch (InvalidInputException e) {
      spec.commandLine().getErr().println("flotilla server: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "flotilla-server-shutdown"));
    stopped.await();
    return 0;
  }

  /** The --dns file, read and checked before anything starts. */
  private Optional<DnsConfig> dnsConfig() {
    if (dns == null) {
      return Optional.empty();
    }
    String text;
    try {
      text = Files.readString(dns);
    } catch (IOException e) {
      throw bad("--dns", dns + " cannot be read: " + e.getMessage());
    }
    Path base = dns.toAbsolutePath().getParent();
    return Optional.of(DnsConfig.read(dns.toString(), text, base));
  }

  /**
   * Starts the control plane and its API; the returned server runs until closed.
   *
   * @throws InvalidInputException naming the option when the address cannot be bound or the data
   *     directory cannot be used
   */
  Server start(PrintWriter out) {
    InetSocketAddress bind = bindAddress();
    Optional<DnsConfig> dnsConfig = dnsConfig();
    String me = identity != null && !identity.isBlank() ? identity : defaultIdentity();
    Clock clock = Clock.systemUTC();
    Mode mode = kubernetes ? kubernetesMode(me, clock) : embeddedMode(me);
    // the token last among what can be refused, so that one created is also printed
    Tokens.Token token;
    try {
      token = Tokens.loadOrCreate(dataDir);
    } catch (IOException | UncheckedIOException e) {
      mode.close();
      throw bad("--data-dir", dataDir + " cannot hold the token: " + e.getMessage());
    }
    ControlPlane controlPlane =
        new ControlPlane(
            mode.election(),
            mode.backend(),
            ControlPlane.Settings.defaults(),
            new DriverMembership(new Tools(distributions()), clock),
            MiddlewareReconciler.randomSecrets(new SecureRandom()),
            dnsConfig,
            clock);
    ApiServer api = new ApiServer().serveMetrics(controlPlane.metrics());
    int bound;
    try {
      bound =
          api.start(
              bind,
              controlPlane.apiStore(),
              controlPlane.view(),
              token.value(),
              controlPlane::ready,
              EventRoutes.of(controlPlane.events()));
    } catch (IOException e) {
      mode.close();
      throw bad("--port", "cannot listen on " + address + ":" + port + ": " + e.getMessage());
    }
    controlPlane.start();
    if (token.created()) {
      out.println(
          "API token (printed once; kept in "
              + dataDir.resolve(Tokens.FILE_NAME)
              + "): "
              + token.value());
    }
    out.println(
        "flotilla server: replica "
            + me
            + ", "
            + (kubernetes ? "Kubernetes mode (namespace " + namespace + ")" : "embedded mode")
            + ", data in "
            + dataDir.toAbsolutePath().normalize()
            + ", API on http://"
            + hostForUrl(bind)
            + ":"
            + bound
            + " (ready once this replica leads)");
    out.flush();
    return new Server(controlPlane, api, mode, bound);
  }

  /** A running server: the control plane of this replica, its API and what they were built on. */
  record Server(ControlPlane controlPlane, ApiServer api, Mode mode, int port)
      implements AutoCloseable {
    @Override
    public void close() {
      api.close();
      controlPlane.close();
      mode.close();
    }
  }

  /** How one mode elects its leader and keeps its state. */
  record Mode(LeaderElection election, ControlPlane.Backend backend, AutoCloseable resources) {
    /** Closes the election (idempotent) and what the mode opened. */
    void close() {
      election.close();
      try {
        resources.close();
      } catch (Exception e) {
        // nothing left to do: the process is stopping
      }
    }
  }

  private Mode embeddedMode(String me) {
    Path storeDir = dataDir.resolve("store");
    FileLeaderElection election = FileLeaderElection.inDirectory(dataDir.resolve("election"), me);
    ControlPlane.Backend backend =
        new ControlPlane.Backend() {
          @Override
          public ObjectStore openStore() {
            return FileObjectStore.open(storeDir, Clock.systemUTC());
          }

          @Override
          public MemberFactory members(ObjectStore store) {
            return new KubernetesMemberFactory(store, KubernetesMemberOptions.defaults());
          }
        };
    return new Mode(election, backend, () -> {});
  }

  private Mode kubernetesMode(String me, Clock clock) {
    Config base;
    if (kubeconfig != null) {
      try {
        base = Config.fromKubeconfig(Files.readString(kubeconfig));
      } catch (IOException | RuntimeException e) {
        throw bad("--kubeconfig", kubeconfig + " cannot be used: " + e.getMessage());
      }
    } else {
      base = Config.autoConfigure(null);
    }
    Config config = new ConfigBuilder(base).withRequestRetryBackoffLimit(2).build();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    KubernetesLeaderElection election =
        new KubernetesLeaderElection(
            client, namespace, "flotilla-controller", me, LeaseTimings.DEFAULT, clock);
    // in a pod (the Deployment gives POD_NAME), the leader labels its pod for the Service
    String pod = System.getenv("POD_NAME");
    LeaderElection elected =
        pod != null && !pod.isBlank()
            ? new LeaderPodLabel(election, client, namespace, pod)
            : election;
    KubernetesObjectStore store = new KubernetesObjectStore(client);
    ControlPlane.Backend backend =
        new ControlPlane.Backend() {
          @Override
          public ObjectStore openStore() {
            return store;
          }

          @Override
          public MemberFactory members(ObjectStore s) {
            return new KubernetesMemberFactory(s, KubernetesMemberOptions.defaults());
          }

          @Override
          public boolean closesStore() {
            return false;
          }
        };
    return new Mode(
        elected,
        backend,
        () -> {
          store.close();
          client.close();
        });
  }

  /** The server distributions for the membership tools of the JVM middleware. */
  private static Distributions distributions() {
    try {
      return Distributions.locate();
    } catch (IllegalStateException e) {
      // Outside a checkout the tools' jars are found under -Dflotilla.home; a membership change
      // that needs them fails with a message naming the build command, recorded as a condition.
      return Distributions.at(Path.of(""));
    }
  }

  private InetSocketAddress bindAddress() {
    if (port < 0 || port > 65_535) {
      throw bad("--port", "must be between 0 and 65535, got " + port);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(address), port);
    } catch (UnknownHostException e) {
      throw bad("--address", "is not an address of this machine: " + address);
    }
  }

  private static String hostForUrl(InetSocketAddress bind) {
    String host = bind.getAddress().getHostAddress();
    if (bind.getAddress().isAnyLocalAddress()) {
      return "127.0.0.1";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static String defaultIdentity() {
    String pod = System.getenv("POD_NAME");
    return pod != null && !pod.isBlank() ? pod : FileLeaderElection.defaultIdentity();
  }

  private static InvalidInputException bad(String option, String why) {
    return new InvalidInputException(option, List.of(new Problem("", why)));
  }
}
