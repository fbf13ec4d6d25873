package io.flotilla.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
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
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member cluster reached through the Kubernetes API with fabric8's client (its JDK HTTP
 * transport). Objects of any kind go through fabric8's generic resources and become {@link
 * KubeObject}s through JSON.
 *
 * <p>fabric8's own retries are off (a failure is reported at once and the caller decides); every
 * request is bounded by {@link KubernetesMemberOptions#requestTimeout()}.
 */
public final class KubernetesMember implements Member {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesMember.class);

  /** The name fabric8 gives its HttpLoggingInterceptor among a client's interceptors. */
  private static final String FABRIC8_HTTP_LOGGING = "HttpLogging";

  private static final Comparator<KubeObject> BY_REF = Comparator.comparing(KubeObject::ref);

  private final String name;
  private final KubernetesClient client;
  private final Kinds kinds;
  private final Applier applier;
  private final Prober prober;
  private final Set<ObjectWatch> watches = ConcurrentHashMap.newKeySet();

  private KubernetesMember(String name, KubernetesClient client) {
    this.name = Objects.requireNonNull(name, "name");
    this.client = Objects.requireNonNull(client, "client");
    this.kinds = new Kinds(client);
    this.applier = new Applier(name, client.getKubernetesSerialization());
    this.prober = new Prober(name, client);
  }

  /**
   * Connects to the member a kubeconfig's current context names. No request is made yet: an
   * unreachable server shows in the first call (or probe).
   *
   * @param name the member cluster's name (its MemberCluster's metadata.name)
   */
  public static KubernetesMember connect(
      String name, Kubeconfig kubeconfig, KubernetesMemberOptions options) {
    Config config;
    try {
      config = configure(kubeconfig.toFabric8Config(), options);
    } catch (RuntimeException e) {
      throw new MemberException(
          FailureReason.INVALID_CONFIG,
          "member cluster "
              + name
              + ": "
              + kubeconfig
              + " cannot be used: "
              + Failures.describe(e));
    }
    KubernetesClient client;
    try {
      client = clientBuilder(config).build();
    } catch (RuntimeException e) {
      throw new MemberException(
          FailureReason.INVALID_CONFIG,
          "member cluster "
              + name
              + ": "
              + kubeconfig
              + " gives no working client (its certificates or keys may be malformed): "
              + Failures.describe(e));
    }
    LOG.atInfo()
        .addKeyValue("cluster", name)
        .addKeyValue("server", kubeconfig.server())
        .addKeyValue("context", kubeconfig.context())
        .addKeyValue("credentials", kubeconfig.credentials())
        .addKeyValue("tlsVerified", !kubeconfig.insecureSkipTlsVerify())
        .log("member cluster connected");
    return new KubernetesMember(name, client);
  }

  /** A member over a client built elsewhere (tests add interceptors this way); takes ownership. */
  static KubernetesMember of(String name, KubernetesClient client) {
    return new KubernetesMember(name, client);
  }

  /**
   * A fabric8 client builder for {@code config} that never logs request headers. fabric8 logs every
   * request with its headers, the bearer token included, when its HttpLoggingInterceptor logger is
   * at TRACE; that interceptor is replaced by one that does nothing.
   */
  static KubernetesClientBuilder clientBuilder(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientBuilderConsumer(KubernetesMember::withoutHeaderLogging);
  }

  /** Replaces fabric8's HTTP logging (which shows headers, tokens included) with nothing. */
  static HttpClient.Builder withoutHeaderLogging(HttpClient.Builder builder) {
    return builder.addOrReplaceInterceptor(FABRIC8_HTTP_LOGGING, new Interceptor() {});
  }

  /** Applies {@code options} to a fabric8 configuration: timeouts, no retries, watch reopening. */
  static Config configure(Config config, KubernetesMemberOptions options) {
    config.setConnectionTimeout((int) options.connectTimeout().toMillis());
    config.setRequestTimeout((int) options.requestTimeout().toMillis());
    config.setRequestRetryBackoffLimit(0);
    config.setWatchReconnectLimit(options.watchReconnectLimit());
    config.setWatchReconnectInterval((int) options.watchReconnectInterval().toMillis());
    return config;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public KubeObject apply(KubeObject desired) {
    ObjectRef ref = desired.ref();
    return call(
        "apply " + ref,
        () -> applier.apply(kinds.in(ref.apiVersion(), ref.kind(), ref.namespace()), desired));
  }

  @Override
  public boolean delete(ObjectRef ref) {
    return call(
        "delete " + ref,
        () ->
            !kinds
                .in(ref.apiVersion(), ref.kind(), ref.namespace())
                .withName(ref.name())
                .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                .delete()
                .isEmpty());
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    return call(
        "get " + ref,
        () ->
            Optional.ofNullable(
                    kinds
                        .in(ref.apiVersion(), ref.kind(), ref.namespace())
                        .withName(ref.name())
                        .get())
                .map(r -> toKube(r, ref)));
  }

  @Override
  public List<KubeObject> list(
      String apiVersion, String kind, String namespace, Map<String, String> labels) {
    return call(
        "list " + kind + " " + where(namespace, labels),
        () -> listObjects(apiVersion, kind, namespace, labels).stream().sorted(BY_REF).toList());
  }

  @Override
  public List<PodStatus> pods(String namespace, Map<String, String> labels) {
    return call(
        "list pods " + where(namespace, labels),
        () ->
            listObjects("v1", "Pod", namespace, labels).stream()
                .sorted(BY_REF)
                .map(PodStatuses::of)
                .toList());
  }

  @Override
  public MemberWatch watch(
      String apiVersion,
      String kind,
      String namespace,
      Map<String, String> labels,
      WatchHandler handler) {
    String what = kind + " " + where(namespace, labels);
    return call(
        "watch " + what,
        () -> {
          ObjectWatch w =
              new ObjectWatch(
                  name,
                  what,
                  apiVersion,
                  kind,
                  kinds.selecting(apiVersion, kind, namespace, labels),
                  client.getKubernetesSerialization(),
                  handler,
                  watches::remove,
                  prober);
          watches.add(w);
          try {
            w.start();
          } catch (RuntimeException e) {
            w.close();
            throw e;
          }
          return w;
        });
  }

  @Override
  public ProbeResult probe(Duration timeout) {
    return prober.probe(timeout);
  }

  @Override
  public ResourceUsage resources() {
    return call(
        "read nodes and pods",
        () -> {
          List<KubeObject> nodes = listObjects("v1", "Node", "", Map.of());
          List<KubeObject> pods = listObjects("v1", "Pod", "", Map.of());
          try {
            return ResourceSummer.usage(nodes, pods);
          } catch (IllegalArgumentException e) {
            throw new MemberException(
                FailureReason.ERROR, "member cluster " + name + ": " + e.getMessage(), e);
          }
        });
  }

  @Override
  public void close() {
    for (ObjectWatch w : List.copyOf(watches)) {
      w.close();
    }
    client.close();
  }

  @Override
  public String toString() {
    return "KubernetesMember " + name + " (" + client.getMasterUrl() + ")";
  }

  private List<KubeObject> listObjects(
      String apiVersion, String kind, String namespace, Map<String, String> labels) {
    return kinds.selecting(apiVersion, kind, namespace, labels).list().getItems().stream()
        .map(r -> Fabric8Json.toKube(client.getKubernetesSerialization(), r, apiVersion, kind))
        .toList();
  }

  private KubeObject toKube(GenericKubernetesResource r, ObjectRef ref) {
    return Fabric8Json.toKube(client.getKubernetesSerialization(), r, ref.apiVersion(), ref.kind());
  }

  private static String where(String namespace, Map<String, String> labels) {
    String ns = namespace.isEmpty() ? "in every namespace" : "in namespace " + namespace;
    return labels.isEmpty() ? ns : ns + " with labels " + new java.util.TreeMap<>(labels);
  }

  /** Runs one operation, turning every failure into a MemberException naming cluster and action. */
  private <T> T call(String action, Supplier<T> operation) {
    try {
      return operation.get();
    } catch (MemberException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Failures.of(name, action, e);
    }
  }
}
