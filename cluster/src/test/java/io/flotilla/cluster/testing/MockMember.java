package io.flotilla.cluster.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.flotilla.api.KubeObject;
import io.flotilla.cluster.kubernetes.Kubeconfigs;
import io.flotilla.cluster.kubernetes.KubernetesMember;
import io.flotilla.cluster.kubernetes.KubernetesMemberOptions;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Objects;

/**
 * One member cluster of {@link MockMembers}: a fabric8 mock API server in CRUD mode on 127.0.0.1, a
 * kubeconfig pointing at it, a {@link KubernetesMember} built from that kubeconfig, and a plain
 * fabric8 client for doing what others do to the cluster (hand edits, nodes, pods).
 *
 * <p>{@link #stop()} takes the server off its port, as a data centre outage would; {@link
 * #start(Data)} brings it back on the same port, with its objects kept or lost. The member and the
 * client keep working across a restart (they open new connections).
 */
public final class MockMember {
  /** What a restarted server holds. */
  public enum Data {
    /** Every object as it was when the server stopped (its storage survived). */
    KEPT,
    /** Nothing (its storage was lost). */
    LOST
  }

  private final String name;
  private final KubernetesMemberOptions options;
  private KubernetesCrudDispatcher dispatcher;
  private KubernetesMockServer server;
  private final int port;
  private final String kubeconfig;
  private final KubernetesMember member;
  private final KubernetesClient client;

  MockMember(String name, KubernetesMemberOptions options) {
    this.name = Objects.requireNonNull(name, "name");
    this.options = options;
    this.dispatcher = new KubernetesCrudDispatcher();
    this.server = serve(dispatcher, 0);
    this.port = server.getPort();
    this.kubeconfig = kubeconfigFor(name, "http://127.0.0.1:" + port);
    this.member =
        KubernetesMember.connect(
            name,
            Kubeconfigs.fromBytes(
                "mock kubeconfig of " + name, kubeconfig.getBytes(StandardCharsets.UTF_8)),
            options);
    Config config = Config.fromKubeconfig(kubeconfig);
    config.setRequestRetryBackoffLimit(0);
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A kubeconfig with one context, "current", for a server; the token is a dummy. */
  public static String kubeconfigFor(String name, String server) {
    return """
        apiVersion: v1
        kind: Config
        current-context: %1$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s-admin
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        users:
        - name: %1$s-admin
          user:
            token: mock-token-%1$s
        """
        .formatted(name, server);
  }

  private static KubernetesMockServer serve(KubernetesCrudDispatcher dispatcher, int port) {
    KubernetesMockServer s =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    s.init(InetAddress.getLoopbackAddress(), port);
    return s;
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  /** http://127.0.0.1:port */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The kubeconfig (YAML) pointing at this member's server. */
  public String kubeconfig() {
    return kubeconfig;
  }

  /** The member as Flotilla sees it, built from {@link #kubeconfig()}. */
  public KubernetesMember member() {
    return member;
  }

  /** A fabric8 client of the same server, for acting as someone else would. */
  public KubernetesClient client() {
    return client;
  }

  public synchronized boolean running() {
    return server != null;
  }

  /** Takes the server off its port: connections are refused until {@link #start(Data)}. */
  public synchronized void stop() {
    if (server != null) {
      try {
        server.destroy();
      } catch (IllegalStateException e) {
        // the mock gives its HTTP server 10 s to close, and a watch closed just before can hold
        // that longer (its listener waits for the executor still sending to it); the close goes
        // on, so wait for the port to refuse connections as stop() promises
        if (!"Unable to close MockWebServer".equals(e.getMessage())) {
          throw e;
        }
        org.awaitility.Awaitility.await("member " + name + " off port " + port)
            .atMost(java.time.Duration.ofSeconds(90))
            .pollInterval(java.time.Duration.ofMillis(200))
            .until(this::refusesConnections);
      }
      server = null;
    }
  }

  private boolean refusesConnections() {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return false;
    } catch (java.io.IOException e) {
      return true;
    }
  }

  /** Serves again on the same port, with the objects kept or lost. */
  public synchronized void start(Data data) {
    if (server != null) {
      throw new IllegalStateException("member " + name + " is running");
    }
    if (data == Data.LOST) {
      dispatcher = new KubernetesCrudDispatcher();
    }
    server = serve(dispatcher, port);
  }

  /** {@link #stop()} then {@link #start(Data)}. */
  public void restart(Data data) {
    stop();
    start(data);
  }

  /** Deletes every object (and every kind served with {@link #serveKind}). */
  public synchronized void reset() {
    dispatcher.reset();
  }

  /**
   * Makes the server answer API discovery for a custom kind, as installing its
   * CustomResourceDefinition would (the mock knows built-in kinds only).
   */
  public synchronized void serveKind(
      String apiVersion, String kind, String plural, boolean namespaced) {
    int slash = apiVersion.indexOf('/');
    dispatcher.expectCustomResource(
        new CustomResourceDefinitionContext.Builder()
            .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
            .withVersion(apiVersion.substring(slash + 1))
            .withKind(kind)
            .withPlural(plural)
            .withScope(namespaced ? "Namespaced" : "Cluster")
            .build());
  }

  /** Creates a Node whose Ready condition is True, with allocatable cpu and memory. */
  public KubeObject readyNode(String nodeName, String cpu, String memory) {
    return node(nodeName, cpu, memory, "True");
  }

  /** Creates a Node whose Ready condition is False. */
  public KubeObject notReadyNode(String nodeName, String cpu, String memory) {
    return node(nodeName, cpu, memory, "False");
  }

  private KubeObject node(String nodeName, String cpu, String memory, String ready) {
    KubeObject node =
        KubeObject.create("v1", "Node", "", nodeName)
            .edit(
                n -> {
                  var status = n.putObject("status");
                  status.putObject("allocatable").put("cpu", cpu).put("memory", memory);
                  status.putObject("capacity").put("cpu", cpu).put("memory", memory);
                  status
                      .putArray("conditions")
                      .addObject()
                      .put("type", "Ready")
                      .put("status", ready);
                });
    return create(node);
  }

  /** Starts a Pod to create with {@link MockPod#create()}. */
  public MockPod pod(String namespace, String podName) {
    return new MockPod(this, namespace, podName);
  }

  /** Creates any object as someone other than Flotilla would. */
  public KubeObject create(KubeObject object) {
    var json = client.getKubernetesSerialization();
    GenericKubernetesResource r = json.unmarshal(object.toJson(), GenericKubernetesResource.class);
    var ops = client.genericKubernetesResources(object.apiVersion(), object.kind());
    var created =
        object.namespace().isEmpty()
            ? ops.resource(r).create()
            : ops.inNamespace(object.namespace()).resource(r).create();
    return KubeObject.parse(json.asJson(created));
  }

  void close() {
    member.close();
    client.close();
    stop();
  }

  @Override
  public String toString() {
    return "MockMember " + name + " (" + url() + (running() ? "" : ", stopped") + ")";
  }
}
