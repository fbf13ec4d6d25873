package io.flotilla.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.testing.MockMember;
import io.flotilla.cluster.testing.MockMembers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Member.apply, get, list and delete against a fabric8 mock API server (no server-side apply). */
class ApplyTest {
  @RegisterExtension static final MockMembers MEMBERS = MockMembers.start("dc1");

  private static MockMember dc1() {
    return MEMBERS.get("dc1");
  }

  private static KubeObject configMap(String name, String value) {
    return KubeObject.create("v1", "ConfigMap", "default", name)
        .withLabel("app.kubernetes.io/managed-by", "flotilla")
        .withAnnotation("flotilla.io/template", "zk")
        .edit(n -> n.putObject("data").put("key", value));
  }

  private static ObjectRef ref(String name) {
    return new ObjectRef("v1", "ConfigMap", "default", name);
  }

  /** What others see of the object, read with a client of their own. */
  private static KubeObject readDirectly(String name) {
    return dc1().member().get(ref(name)).orElseThrow();
  }

  @Test
  void applyCreatesAnAbsentObjectAndReturnsItAsStored() {
    KubeObject stored = dc1().member().apply(configMap("zk-config", "a"));

    assertThat(stored.resourceVersion()).isPresent();
    assertThat(stored.at("/data/key").stringValue()).isEqualTo("a");
    assertThat(stored.labels()).containsEntry("app.kubernetes.io/managed-by", "flotilla");
    assertThat(stored.annotations()).containsEntry("flotilla.io/template", "zk");
    assertThat(readDirectly("zk-config")).isEqualTo(stored);
  }

  @Test
  void applyingTheSameObjectAgainWritesNothing() {
    List<String> methods = Collections.synchronizedList(new ArrayList<>());
    try (KubernetesMember counting =
        memberWith((request, others) -> methods.add(request.method()))) {
      KubeObject first = counting.apply(configMap("zk-config", "a"));
      methods.clear();

      KubeObject second = counting.apply(configMap("zk-config", "a"));
      KubeObject third = counting.apply(configMap("zk-config", "a"));

      assertThat(methods).containsExactly("GET", "GET");
      assertThat(second.resourceVersion()).isEqualTo(first.resourceVersion());
      assertThat(third.resourceVersion()).isEqualTo(first.resourceVersion());
      assertThat(readDirectly("zk-config").resourceVersion()).isEqualTo(first.resourceVersion());
    }
  }

  @Test
  void applyingAChangeUpdatesTheObject() {
    KubeObject first = dc1().member().apply(configMap("zk-config", "a"));

    KubeObject second = dc1().member().apply(configMap("zk-config", "b"));

    assertThat(second.at("/data/key").stringValue()).isEqualTo("b");
    assertThat(second.resourceVersion()).isNotEqualTo(first.resourceVersion());
  }

  @Test
  void aHandEditOfAFieldFlotillaSetsIsPutBackAndALabelAddedBySomeoneElseIsKept() {
    dc1().member().apply(configMap("zk-config", "a"));
    handEdit(
        "zk-config",
        n -> {
          n.withObjectProperty("data").put("key", "edited by hand");
          n.withObjectProperty("metadata").withObjectProperty("labels").put("team", "storage");
          n.withObjectProperty("metadata")
              .withObjectProperty("labels")
              .put("app.kubernetes.io/managed-by", "someone");
        });

    KubeObject repaired = dc1().member().apply(configMap("zk-config", "a"));

    assertThat(repaired.at("/data/key").stringValue()).isEqualTo("a");
    assertThat(repaired.labels())
        .containsEntry("team", "storage")
        .containsEntry("app.kubernetes.io/managed-by", "flotilla");
    assertThat(readDirectly("zk-config")).isEqualTo(repaired);
  }

  @Test
  void fieldsFlotillaDoesNotSetAreKept() {
    dc1().member().apply(configMap("zk-config", "a"));
    handEdit("zk-config", n -> n.putObject("binaryData").put("extra", "AAEC"));

    KubeObject applied = dc1().member().apply(configMap("zk-config", "a"));

    assertThat(applied.at("/binaryData/extra").stringValue()).isEqualTo("AAEC");
  }

  @Test
  void anUpdateRacingTheApplyIsRetriedOnTheNewerVersion() {
    dc1().member().apply(configMap("zk-config", "a"));
    AtomicInteger races = new AtomicInteger();
    List<String> requests = Collections.synchronizedList(new ArrayList<>());
    try (KubernetesMember racing =
        memberWith(
            (request, others) -> {
              requests.add(request.method());
              if (request.method().equals("PUT") && races.getAndIncrement() == 0) {
                others.accept("raced once");
              }
            })) {

      KubeObject applied = racing.apply(configMap("zk-config", "b"));

      assertThat(applied.at("/data/key").stringValue()).isEqualTo("b");
      assertThat(applied.annotations()).containsEntry("flotilla.io/template", "zk");
      assertThat(applied.labels()).containsEntry("raced", "raced-once");
      assertThat(requests).containsSubsequence("GET", "PUT", "GET", "PUT");
      assertThat(requests.stream().filter("PUT"::equals)).hasSize(2);
    }
  }

  @Test
  void aConflictThatPersistsAfterFiveRetriesIsAConflictNamingClusterAndObject() {
    dc1().member().apply(configMap("zk-config", "a"));
    AtomicInteger puts = new AtomicInteger();
    try (KubernetesMember racing =
        memberWith(
            (request, others) -> {
              if (request.method().equals("PUT")) {
                others.accept("race " + puts.incrementAndGet());
              }
            })) {

      assertThatThrownBy(() -> racing.apply(configMap("zk-config", "b")))
          .isInstanceOfSatisfying(
              MemberException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.CONFLICT);
                assertThat(e.getMessage())
                    .contains("member cluster dc1", "ConfigMap default/zk-config", "5 retries");
              });
      assertThat(puts.get()).isEqualTo(1 + Applier.CONFLICT_RETRIES);
    }
  }

  @Test
  void aServerWithoutServerSideApplyIsAskedOnceThenNeverAgain() {
    List<String> methods = Collections.synchronizedList(new ArrayList<>());
    try (KubernetesMember counting =
        memberWith((request, others) -> methods.add(request.method()))) {
      counting.apply(configMap("first", "a"));
      counting.apply(configMap("first", "b"));
      counting.apply(configMap("second", "a"));
    }

    assertThat(methods.stream().filter("PATCH"::equals)).hasSize(1);
    assertThat(methods).containsExactly("PATCH", "GET", "POST", "GET", "PUT", "GET", "POST");
  }

  @Test
  void anObjectWithoutANamespaceGoesToTheContextNamespace() {
    KubeObject noNamespace =
        KubeObject.create("v1", "ConfigMap", "", "plain")
            .edit(n -> n.putObject("data").put("k", "v"));

    KubeObject stored = dc1().member().apply(noNamespace);

    assertThat(stored.namespace()).isEqualTo("default");
  }

  @Test
  void clusterScopedObjectsAreAppliedToo() {
    KubeObject namespace =
        KubeObject.create("v1", "Namespace", "", "middleware").withLabel("team", "a");

    KubeObject stored = dc1().member().apply(namespace);

    assertThat(stored.namespace()).isEmpty();
    assertThat(dc1().member().get(new ObjectRef("v1", "Namespace", "", "middleware")))
        .contains(stored);
  }

  @Test
  void aCustomKindIsAppliedOnceTheServerServesIt() {
    dc1().serveKind("flotilla.io/v1alpha1", "Widget", "widgets", true);
    KubeObject widget =
        KubeObject.create("flotilla.io/v1alpha1", "Widget", "default", "w1")
            .edit(n -> n.putObject("spec").put("size", 3));

    KubeObject stored = dc1().member().apply(widget);
    KubeObject again = dc1().member().apply(widget);

    assertThat(stored.at("/spec/size").intValue()).isEqualTo(3);
    assertThat(again.resourceVersion()).isEqualTo(stored.resourceVersion());
  }

  @Test
  void aKindTheServerDoesNotServeIsRejectedWithAClearMessage() {
    KubeObject unknown = KubeObject.create("example.org/v1", "Gadget", "default", "g1");

    assertThatThrownBy(() -> dc1().member().apply(unknown))
        .isInstanceOfSatisfying(
            MemberException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.REJECTED);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "member cluster dc1: apply Gadget default/g1: kind Gadget of example.org/v1"
                          + " is not served (is its CustomResourceDefinition installed?)");
            });
  }

  @Test
  void getOfAnAbsentObjectIsEmpty() {
    assertThat(dc1().member().get(ref("nothing"))).isEmpty();
  }

  @Test
  void deleteRemovesTheObjectAndSaysWhetherItExisted() {
    dc1().member().apply(configMap("zk-config", "a"));

    assertThat(dc1().member().delete(ref("zk-config"))).isTrue();
    assertThat(dc1().member().get(ref("zk-config"))).isEmpty();
    assertThat(dc1().member().delete(ref("zk-config"))).isFalse();
  }

  @Test
  void deletingAnObjectWithAFinalizerLeavesItTerminating() {
    KubeObject held =
        configMap("held", "a")
            .edit(
                n ->
                    n.withObjectProperty("metadata")
                        .putArray("finalizers")
                        .add("flotilla.io/propagation"));
    dc1().member().apply(held);

    assertThat(dc1().member().delete(ref("held"))).isTrue();

    KubeObject terminating = dc1().member().get(ref("held")).orElseThrow();
    assertThat(terminating.deletionTimestamp()).isPresent();
    assertThat(terminating.finalizers()).containsExactly("flotilla.io/propagation");
  }

  @Test
  void listReturnsTheObjectsCarryingEveryLabelSortedByName() {
    dc1().member().apply(configMap("b", "1").withLabel("role", "x"));
    dc1().member().apply(configMap("a", "1").withLabel("role", "x"));
    dc1().member().apply(configMap("c", "1").withLabel("role", "y"));
    dc1()
        .member()
        .apply(
            KubeObject.create("v1", "ConfigMap", "other", "d")
                .withLabel("role", "x")
                .withLabel("app.kubernetes.io/managed-by", "flotilla"));

    List<KubeObject> inDefault =
        dc1().member().list("v1", "ConfigMap", "default", Map.of("role", "x"));
    List<KubeObject> everywhere =
        dc1()
            .member()
            .list(
                "v1",
                "ConfigMap",
                "",
                Map.of("role", "x", "app.kubernetes.io/managed-by", "flotilla"));

    assertThat(inDefault).extracting(KubeObject::name).containsExactly("a", "b");
    assertThat(everywhere)
        .extracting(KubeObject::toString)
        .containsExactly("ConfigMap default/a", "ConfigMap default/b", "ConfigMap other/d");
  }

  private static void handEdit(String name, Consumer<tools.jackson.databind.node.ObjectNode> edit) {
    KubeObject live = readDirectly(name).edit(edit);
    var json = dc1().client().getKubernetesSerialization();
    dc1()
        .client()
        .genericKubernetesResources("v1", "ConfigMap")
        .inNamespace("default")
        .resource(
            json.unmarshal(
                live.toJson(), io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
        .update();
  }

  /** Sees each request before it is sent; may act as someone else (labels the object). */
  interface RequestHook {
    void before(HttpRequest request, Consumer<String> actAsSomeoneElse);
  }

  /**
   * A member of dc1 whose requests pass {@code hook} first. Acting as someone else sets the label
   * "raced" on ConfigMap default/zk-config through another client, which moves its resourceVersion.
   */
  private static KubernetesMember memberWith(RequestHook hook) {
    Consumer<String> someoneElse =
        value -> {
          KubeObject live = readDirectly("zk-config").withLabel("raced", value.replace(' ', '-'));
          var json = dc1().client().getKubernetesSerialization();
          dc1()
              .client()
              .genericKubernetesResources("v1", "ConfigMap")
              .inNamespace("default")
              .resource(
                  json.unmarshal(
                      live.toJson(),
                      io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
              .update();
        };
    Config config =
        KubernetesMember.configure(
            Config.fromKubeconfig(dc1().kubeconfig()), MockMembers.testOptions());
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientBuilderConsumer(
                b ->
                    KubernetesMember.withoutHeaderLogging(b)
                        .addOrReplaceInterceptor(
                            "test-hook",
                            new Interceptor() {
                              @Override
                              public void before(
                                  BasicBuilder builder, HttpRequest request, RequestTags tags) {
                                hook.before(request, someoneElse);
                              }
                            }))
            .build();
    return KubernetesMember.of("dc1", client);
  }
}
