package io.flotilla.store;

import static io.flotilla.store.testing.Waits.eventually;
import static io.flotilla.store.testing.Waits.throughout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.store.StoreException.Reason;
import io.flotilla.store.StoreHandler.Change;
import io.flotilla.store.testing.MutableClock;
import io.flotilla.store.testing.RecordingHandler;
import io.flotilla.store.testing.RecordingHandler.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every {@link ObjectStore} must do: each sentence of its Javadoc as cases. An
 * implementation's test extends this class and says how to make a store; hooks for what only some
 * stores can do (reopen the same data, keep a bounded history) default to skipping their cases.
 *
 * <p>Another module's store uses it through this module's test jar ({@code flotilla-store}, type
 * {@code test-jar}, scope test) and extends it from any package.
 *
 * <p>Fixtures: {@code Middleware} (flotilla.io, namespaced), {@code MemberCluster} (flotilla.io,
 * cluster-scoped) and {@code StatefulSet} (apps, under v1 and v1beta1). The clock starts at
 * 2025-03-01T10:15:30.250Z and moves only when a case moves it.
 */
public abstract class ObjectStoreContract {
  protected static final String FLOTILLA = "flotilla.io/v1alpha1";
  protected static final Instant START = Instant.parse("2025-03-01T10:15:30.250Z");

  protected final MutableClock clock = new MutableClock(START);
  protected ObjectStore store;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  /** A new, empty store whose timestamps come from {@code clock}. */
  protected abstract ObjectStore newStore(Clock clock);

  /**
   * Closes {@code old} and opens a store on the same data, as a restart would. Stores that keep
   * nothing across a restart leave this as it is, which skips the cases that need it.
   */
  protected ObjectStore reopen(ObjectStore old) {
    return Assumptions.abort("this store keeps nothing across a restart");
  }

  /**
   * A new, empty store that keeps exactly the latest {@code changes} changes for watches from a
   * version. Stores that cannot bound their history this way leave this as it is, which skips the
   * cases that need it.
   */
  protected ObjectStore newStoreKeepingHistory(Clock clock, int changes) {
    return Assumptions.abort("this store cannot keep a given number of changes");
  }

  /**
   * Things a store may not do, for stores over a server that does them its own way (a Kubernetes
   * API server) or not at all (fabric8's mock API server). The stores of this module do all of
   * them. A store's test that cannot says so in {@link #keeps}, which skips the cases (or the parts
   * of a case) that need it; the store's documentation lists them and why.
   */
  protected enum Capability {
    /** Timestamps come from the clock given to {@link #newStore} (not the server's own). */
    STORE_CLOCK,
    /**
     * One object under every version of its group, read back with the apiVersion it was written
     * with (no conversion, and any version is accepted).
     */
    VERSIONS_SHARE_OBJECTS,
    /**
     * Removing an object (a delete without finalizers, or an update removing its last finalizer)
     * takes a new resource version, which the DELETED event carries.
     */
    REMOVAL_TAKES_A_VERSION,
    /**
     * Marking for deletion moves the generation; an update keeps the deletionTimestamp and adds no
     * finalizer to a marked object.
     */
    DELETION_MARK_RULES,
    /** updateStatus checks the resourceVersion like update. */
    STATUS_CONFLICTS,
    /** A watch from a past version gets exactly the changes after it. */
    WATCH_FROM_A_PAST_VERSION,
    /** A write whose result (merged with what is stored) is too large is refused. */
    SIZE_LIMIT_OF_THE_RESULT,
    /** A cluster-scoped read (namespace "") never finds a namespaced object of that name. */
    SCOPES_APART
  }

  /** Whether the store does {@code capability}; every store does unless its test says otherwise. */
  protected boolean keeps(Capability capability) {
    return true;
  }

  private void assumeKeeps(Capability... capabilities) {
    for (Capability c : capabilities) {
      Assumptions.assumeTrue(keeps(c), () -> "this store does not keep " + c);
    }
  }

  @BeforeEach
  void openStore() {
    store = closeLater(newStore(clock));
  }

  @AfterEach
  void closeEverything() throws Exception {
    Collections.reverse(toClose);
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  // ---------------------------------------------------------------- fixtures

  protected static KubeObject middleware(String namespace, String name) {
    return KubeObject.parse(
        """
        {"apiVersion": "flotilla.io/v1alpha1", "kind": "Middleware",
         "metadata": {"namespace": "%s", "name": "%s", "labels": {"team": "payments"}},
         "spec": {"type": "zookeeper", "version": "3.9.5", "replicas": 3}}
        """
            .formatted(namespace, name));
  }

  protected static KubeObject memberCluster(String name) {
    return KubeObject.parse(
        """
        {"apiVersion": "flotilla.io/v1alpha1", "kind": "MemberCluster",
         "metadata": {"name": "%s", "labels": {"zone": "a"}},
         "spec": {"access": "local"}}
        """
            .formatted(name));
  }

  protected static KubeObject statefulSet(String apiVersion, String namespace, String name) {
    return KubeObject.parse(
        """
        {"apiVersion": "%s", "kind": "StatefulSet",
         "metadata": {"namespace": "%s", "name": "%s"},
         "spec": {"replicas": 3, "ordinals": {"start": 10}}}
        """
            .formatted(apiVersion, namespace, name));
  }

  private static ObjectNode meta(ObjectNode n) {
    return n.withObjectProperty("metadata");
  }

  protected static KubeObject withReplicas(KubeObject o, int replicas) {
    return o.edit(n -> n.withObjectProperty("spec").put("replicas", replicas));
  }

  protected static KubeObject withFinalizers(KubeObject o, String... finalizers) {
    return o.edit(
        n -> {
          var list = meta(n).putArray("finalizers");
          for (String f : finalizers) {
            list.add(f);
          }
        });
  }

  protected static KubeObject withStatus(KubeObject o, String phase) {
    return o.edit(n -> n.putObject("status").put("phase", phase));
  }

  private static KubeObject withMeta(KubeObject o, String field, String value) {
    return o.edit(n -> meta(n).put(field, value));
  }

  private static KubeObject withoutMeta(KubeObject o, String field) {
    return o.edit(n -> meta(n).remove(field));
  }

  private static ObjectRef ref(String apiVersion, String kind, String namespace, String name) {
    return new ObjectRef(apiVersion, kind, namespace, name);
  }

  private static long version(KubeObject o) {
    return Long.parseLong(o.resourceVersion().orElseThrow());
  }

  private long storeVersion() {
    return Long.parseLong(store.resourceVersion());
  }

  private static String text(KubeObject o, String pointer) {
    return o.at(pointer).asString();
  }

  private static void assertFails(Reason reason, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  /**
   * The handler got nothing after its first {@code count} events: a change made now (creating
   * {@code probe}) is the very next one, since a watch delivers in order.
   */
  private void assertNextEventIsAProbe(RecordingHandler handler, int count, KubeObject probe) {
    KubeObject written = store.create(probe);
    List<Event> events = handler.awaitEvents(count + 1);
    assertThat(events).hasSize(count + 1);
    assertThat(events.get(count).object()).isEqualTo(written);
  }

  private void assertNextEventIsAProbe(RecordingHandler handler, int count) {
    assertNextEventIsAProbe(handler, count, middleware("probe", "probe"));
  }

  /** A closed watch's handler stays at {@code count} events (nothing else can show it). */
  private static void assertNoEventsAfterClose(RecordingHandler handler, int count) {
    throughout(Duration.ofMillis(300)).until(() -> handler.events().size() == count);
  }

  private RecordingHandler watchMiddleware(String from) {
    RecordingHandler handler = new RecordingHandler();
    closeLater(store.watch(FLOTILLA, "Middleware", from, handler));
    return handler;
  }

  // ---------------------------------------------------------------- create

  @Test
  void createSetsUidResourceVersionCreationTimestampAndGenerationOneReplacingGivenValues() {
    KubeObject given =
        middleware("payments", "zk")
            .edit(
                n -> {
                  meta(n).put("uid", "forged");
                  meta(n).put("resourceVersion", "99");
                  meta(n).put("generation", 7);
                  meta(n).put("creationTimestamp", "2000-01-01T00:00:00Z");
                  meta(n).put("deletionTimestamp", "2000-01-01T00:00:00Z");
                });

    KubeObject created = store.create(given);

    assertThat(text(created, "/metadata/uid"))
        .isNotEqualTo("forged")
        .satisfies(uid -> assertThat(UUID.fromString(uid)).isNotNull());
    assertThat(created.resourceVersion()).contains(store.resourceVersion());
    if (keeps(Capability.STORE_CLOCK)) {
      assertThat(text(created, "/metadata/creationTimestamp")).isEqualTo("2025-03-01T10:15:30Z");
    } else {
      assertThat(text(created, "/metadata/creationTimestamp")).isNotEqualTo("2000-01-01T00:00:00Z");
    }
    assertThat(created.generation()).isEqualTo(1);
    assertThat(created.deletionTimestamp()).isEmpty();
    assertThat(created.at("/metadata/deletionTimestamp").isMissingNode()).isTrue();
    assertThat(store.get(created.ref())).contains(created);
  }

  @Test
  void createStoresSpecStatusLabelsAnnotationsAndFinalizersAsGiven() {
    KubeObject given =
        withStatus(
            withFinalizers(
                middleware("payments", "zk").withAnnotation("note", "first"),
                "flotilla.io/cleanup"),
            "Pending");

    KubeObject created = store.create(given);

    ObjectNode expected = given.json();
    ObjectNode got = created.json();
    for (String serverSet : List.of("uid", "resourceVersion", "creationTimestamp", "generation")) {
      meta(got).remove(serverSet);
    }
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void createOfAnObjectThatExistsFailsWithAlreadyExistsAndChangesNothing() {
    KubeObject first = store.create(middleware("payments", "zk"));
    String version = store.resourceVersion();

    assertThatThrownBy(() -> store.create(withReplicas(middleware("payments", "zk"), 5)))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS);
              assertThat(e.ref()).isEqualTo(first.ref());
              assertThat(e.getMessage()).contains("payments/zk");
            });
    assertThat(store.get(first.ref())).contains(first);
    assertThat(store.resourceVersion()).isEqualTo(version);
  }

  @Test
  void createUnderAnotherVersionOfTheSameGroupFindsTheSameObject() {
    assumeKeeps(Capability.VERSIONS_SHARE_OBJECTS);
    store.create(statefulSet("apps/v1", "payments", "zk"));

    assertFails(
        Reason.ALREADY_EXISTS, () -> store.create(statefulSet("apps/v1beta1", "payments", "zk")));
  }

  @Test
  void createOfAnObjectBeingDeletedFailsWithAlreadyExists() {
    KubeObject zk = store.create(withFinalizers(middleware("payments", "zk"), "f"));
    store.delete(zk.ref());

    assertFails(Reason.ALREADY_EXISTS, () -> store.create(middleware("payments", "zk")));
  }

  @Test
  void theSameNameInAnotherNamespaceKindGroupOrScopeIsAnotherObject() {
    List<KubeObject> created =
        List.of(
            store.create(middleware("payments", "zk")),
            store.create(middleware("orders", "zk")),
            store.create(statefulSet("apps/v1", "payments", "zk")),
            store.create(statefulSet("example.com/v1", "payments", "zk")),
            store.create(memberCluster("zk")),
            store.create(withMeta(memberCluster("zk"), "namespace", "payments")));

    for (KubeObject o : created) {
      assertThat(store.get(o.ref())).contains(o);
    }
    assertThat(created.stream().map(o -> text(o, "/metadata/uid")).distinct()).hasSize(6);
  }

  @Test
  void everyChangeTakesTheNextStoreWideResourceVersionAcrossKinds() {
    assumeKeeps(Capability.REMOVAL_TAKES_A_VERSION);
    long start = storeVersion();
    KubeObject zk = store.create(middleware("payments", "zk"));
    KubeObject dc1 = store.create(memberCluster("dc1"));
    KubeObject zk2 = store.update(withReplicas(zk, 5));
    KubeObject dc1Status = store.updateStatus(withStatus(dc1, "Ready"));
    KubeObject sts = store.create(statefulSet("apps/v1", "payments", "zk"));
    store.delete(sts.ref());
    long afterDelete = storeVersion();

    List<Long> versions =
        List.of(start, version(zk), version(dc1), version(zk2), version(dc1Status), version(sts));
    assertThat(versions).isSorted().doesNotHaveDuplicates();
    assertThat(afterDelete).isGreaterThan(version(sts));
    assertThat(store.resourceVersion()).isEqualTo(Long.toString(afterDelete));
  }

  @Test
  void aRecreatedObjectGetsANewUid() {
    KubeObject first = store.create(middleware("payments", "zk"));
    store.delete(first.ref());

    KubeObject second = store.create(middleware("payments", "zk"));

    assertThat(text(second, "/metadata/uid")).isNotEqualTo(text(first, "/metadata/uid"));
    assertThat(version(second)).isGreaterThan(version(first));
  }

  static Stream<Arguments> invalidObjects() {
    String huge = "x".repeat(WriteRules.MAX_OBJECT_BYTES);
    return Stream.of(
        Arguments.of(
            named("no apiVersion", withoutField(middleware("payments", "zk"), "apiVersion")),
            "apiVersion"),
        Arguments.of(named("an apiVersion of three parts", withApiVersion("a/b/c")), "apiVersion"),
        Arguments.of(
            named("an apiVersion with an empty group", withApiVersion("/v1")), "apiVersion"),
        Arguments.of(
            named("an upper-case name", middleware("payments", "ZooKeeper")), "metadata.name"),
        Arguments.of(named("a name with '_'", middleware("payments", "zk_1")), "metadata.name"),
        Arguments.of(
            named("a name of 254 characters", middleware("payments", "a".repeat(254))),
            "metadata.name"),
        Arguments.of(
            named("a namespace with a dot", middleware("pay.ments", "zk")), "metadata.namespace"),
        Arguments.of(
            named("a namespace of 64 characters", middleware("a".repeat(64), "zk")),
            "metadata.namespace"),
        Arguments.of(
            named(
                "finalizers that are not a list",
                middleware("payments", "zk").edit(n -> meta(n).put("finalizers", "f"))),
            "metadata.finalizers"),
        Arguments.of(
            named(
                "a finalizer that is not a string",
                middleware("payments", "zk").edit(n -> meta(n).putArray("finalizers").add(1))),
            "metadata.finalizers"),
        Arguments.of(
            named(
                "more than 1.5 MiB of JSON",
                middleware("payments", "zk")
                    .edit(n -> n.withObjectProperty("spec").put("blob", huge))),
            "bytes"));
  }

  private static KubeObject withoutField(KubeObject o, String field) {
    return o.edit(n -> n.remove(field));
  }

  private static KubeObject withApiVersion(String apiVersion) {
    return middleware("payments", "zk").edit(n -> n.put("apiVersion", apiVersion));
  }

  @ParameterizedTest(name = "{0} is INVALID and names {1}")
  @MethodSource("invalidObjects")
  void anInvalidObjectIsRefusedNamingTheField(KubeObject invalid, String field) {
    String version = store.resourceVersion();

    assertThatThrownBy(() -> store.create(invalid))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
        .hasMessageContaining(field);
    assertThat(store.resourceVersion()).isEqualTo(version);
    assertThat(store.list(FLOTILLA, "Middleware", "")).isEmpty();
  }

  @Test
  void namesAtKubernetesLimitsAndTheCoreGroupAreAccepted() {
    List<KubeObject> valid =
        List.of(
            middleware("a".repeat(63), ("a".repeat(62) + ".").repeat(4) + "a"),
            middleware("payments", "zk-0.headless"),
            KubeObject.create("v1", "ConfigMap", "payments", "zk-config"));

    for (KubeObject o : valid) {
      assertThat(store.get(store.create(o).ref())).isPresent();
    }
  }

  // ---------------------------------------------------------------- get and list

  @Test
  void getFindsAnObjectUnderAnyVersionOfItsGroupAsItWasWritten() {
    assumeKeeps(Capability.VERSIONS_SHARE_OBJECTS);
    KubeObject sts = store.create(statefulSet("apps/v1", "payments", "zk"));

    assertThat(store.get(ref("apps/v1beta1", "StatefulSet", "payments", "zk"))).contains(sts);
    assertThat(store.get(ref("apps/v1beta1", "StatefulSet", "payments", "zk")).orElseThrow())
        .extracting(KubeObject::apiVersion)
        .isEqualTo("apps/v1");
  }

  @Test
  void getOfAnObjectThatIsNotThereIsEmpty() {
    assumeKeeps(Capability.SCOPES_APART);
    store.create(statefulSet("apps/v1", "payments", "zk"));

    assertThat(store.get(ref("apps/v1", "StatefulSet", "payments", "kafka"))).isEmpty();
    assertThat(store.get(ref("apps/v1", "StatefulSet", "orders", "zk"))).isEmpty();
    assertThat(store.get(ref("apps/v1", "StatefulSet", "", "zk"))).isEmpty();
    assertThat(store.get(ref("apps/v1", "Deployment", "payments", "zk"))).isEmpty();
    assertThat(store.get(ref("example.com/v1", "StatefulSet", "payments", "zk"))).isEmpty();
  }

  @Test
  void listSortsByNamespaceThenNameWithClusterScopedObjectsFirst() {
    for (String[] nsName :
        new String[][] {
          {"orders", "b"}, {"payments", "a"}, {"orders", "a"}, {"", "z"}, {"", "c"}
        }) {
      store.create(
          nsName[0].isEmpty()
              ? KubeObject.create(FLOTILLA, "Middleware", "", nsName[1])
              : middleware(nsName[0], nsName[1]));
    }

    assertThat(store.list(FLOTILLA, "Middleware", "").stream().map(KubeObject::ref))
        .extracting(r -> r.namespace() + "/" + r.name())
        .containsExactly("/c", "/z", "orders/a", "orders/b", "payments/a");
    assertThat(store.list(FLOTILLA, "Middleware", "orders").stream().map(KubeObject::name))
        .containsExactly("a", "b");
    assertThat(store.list(FLOTILLA, "Middleware", "payments").stream().map(KubeObject::name))
        .containsExactly("a");
    assertThat(store.list(FLOTILLA, "Middleware", "order")).isEmpty();
  }

  @Test
  void refsAreTheReferencesOfTheListInItsOrder() {
    for (String[] nsName :
        new String[][] {{"orders", "b"}, {"payments", "a"}, {"orders", "a"}, {"", "c"}}) {
      store.create(
          nsName[0].isEmpty()
              ? KubeObject.create(FLOTILLA, "Middleware", "", nsName[1])
              : middleware(nsName[0], nsName[1]));
    }

    for (String ns : new String[] {"", "orders", "payments", "order"}) {
      assertThat(store.refs(FLOTILLA, "Middleware", ns))
          .as("namespace \"%s\"", ns)
          .containsExactlyElementsOf(
              store.list(FLOTILLA, "Middleware", ns).stream().map(KubeObject::ref).toList());
    }
    assertThat(store.refs(FLOTILLA, "Middleware", "orders"))
        .extracting(ObjectRef::name)
        .containsExactly("a", "b");
  }

  @Test
  void versionsAreTheReferencesAndResourceVersionsOfTheListInItsOrder() {
    store.create(middleware("orders", "b"));
    KubeObject a = store.create(middleware("orders", "a"));
    store.update(a.withLabel("tier", "gold"));

    java.util.Map<ObjectRef, String> expected = new java.util.LinkedHashMap<>();
    for (KubeObject o : store.list(FLOTILLA, "Middleware", "orders")) {
      expected.put(o.ref(), o.resourceVersion().orElseThrow());
    }
    assertThat(store.versions(FLOTILLA, "Middleware", "orders")).containsExactlyEntriesOf(expected);
    assertThat(store.versions(FLOTILLA, "Middleware", "payments")).isEmpty();
  }

  @Test
  void versionIsTheStoredObjectsResourceVersionUnderAnyVersionOfItsGroup() {
    KubeObject a = store.create(middleware("orders", "a"));
    assertThat(store.version(a.ref())).isEqualTo(a.resourceVersion());
    KubeObject updated = store.update(a.withLabel("tier", "gold"));
    assertThat(store.version(a.ref())).isEqualTo(updated.resourceVersion());
    assertThat(store.version(a.ref())).isNotEqualTo(a.resourceVersion());
    assertThat(store.version(middleware("orders", "missing").ref())).isEmpty();

    assumeKeeps(Capability.VERSIONS_SHARE_OBJECTS);
    KubeObject v1 = store.create(statefulSet("apps/v1", "payments", "s"));
    assertThat(store.version(statefulSet("apps/v1beta1", "payments", "s").ref()))
        .isEqualTo(v1.resourceVersion());
  }

  @Test
  void listReturnsTheStoredObjectsOfOneGroupAndKindUnderAnyVersion() {
    assumeKeeps(Capability.VERSIONS_SHARE_OBJECTS);
    KubeObject v1 = store.create(statefulSet("apps/v1", "payments", "a"));
    KubeObject v1beta1 = store.create(statefulSet("apps/v1beta1", "payments", "b"));
    KubeObject beingDeleted =
        store.create(withFinalizers(statefulSet("apps/v1", "payments", "c"), "f"));
    beingDeleted = store.delete(beingDeleted.ref()).orElseThrow();
    store.create(statefulSet("example.com/v1", "payments", "other-group"));
    store.create(middleware("payments", "other-kind"));

    assertThat(store.list("apps/v1", "StatefulSet", "")).containsExactly(v1, v1beta1, beingDeleted);
    assertThat(store.list("apps/v1beta2", "StatefulSet", "payments"))
        .containsExactly(v1, v1beta1, beingDeleted);
    assertThat(store.list("apps/v1", "Deployment", "")).isEmpty();
  }

  // ---------------------------------------------------------------- update

  @Test
  void updateWithTheStoredVersionReplacesSpecAndMetadata() {
    KubeObject zk = store.create(middleware("payments", "zk"));
    KubeObject changed =
        withFinalizers(withReplicas(zk, 5), "flotilla.io/cleanup")
            .withLabel("tier", "gold")
            .withAnnotation("note", "scaled");

    KubeObject updated = store.update(changed);

    assertThat(updated.at("/spec/replicas").asInt()).isEqualTo(5);
    assertThat(updated.labels()).containsEntry("tier", "gold").containsEntry("team", "payments");
    assertThat(updated.annotations()).containsEntry("note", "scaled");
    assertThat(updated.finalizers()).containsExactly("flotilla.io/cleanup");
    assertThat(version(updated)).isGreaterThan(version(zk));
    assertThat(updated.resourceVersion()).contains(store.resourceVersion());
    assertThat(updated.generation()).isEqualTo(2);
    assertThat(store.get(zk.ref())).contains(updated);
  }

  static Stream<Arguments> generationRules() {
    return Stream.of(
        Arguments.of(
            named(
                "a label change keeps the generation",
                (UnaryOperator<KubeObject>) o -> o.withLabel("tier", "gold")),
            1),
        Arguments.of(
            named(
                "an annotation change keeps it",
                (UnaryOperator<KubeObject>) o -> o.withAnnotation("note", "x")),
            1),
        Arguments.of(
            named(
                "a finalizer change keeps it",
                (UnaryOperator<KubeObject>) o -> withFinalizers(o, "f")),
            1),
        Arguments.of(
            named(
                "an ownerReferences change keeps it",
                (UnaryOperator<KubeObject>)
                    o ->
                        o.edit(
                            n -> meta(n).putArray("ownerReferences").addObject().put("uid", "u"))),
            1),
        Arguments.of(
            named(
                "a spec change moves it up by one",
                (UnaryOperator<KubeObject>) o -> withReplicas(o, 5)),
            2),
        Arguments.of(
            named(
                "a new field in spec moves it up by one",
                (UnaryOperator<KubeObject>)
                    o -> o.edit(n -> n.withObjectProperty("spec").put("paused", true))),
            2),
        Arguments.of(
            named(
                "a change to another top-level field moves it up by one",
                (UnaryOperator<KubeObject>) o -> o.edit(n -> n.putObject("data").put("k", "v"))),
            2),
        Arguments.of(
            named(
                "removing spec moves it up by one",
                (UnaryOperator<KubeObject>) o -> o.edit(n -> n.remove("spec"))),
            2),
        Arguments.of(
            named(
                "a spec and a label change move it up by one, not two",
                (UnaryOperator<KubeObject>) o -> withReplicas(o, 5).withLabel("tier", "gold")),
            2),
        Arguments.of(
            named(
                "another apiVersion of the group keeps it",
                (UnaryOperator<KubeObject>)
                    o -> o.edit(n -> n.put("apiVersion", "flotilla.io/v1"))),
            1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("generationRules")
  void generationMovesOnlyWhenSomethingButMetadataAndStatusChanged(
      UnaryOperator<KubeObject> change, long generation) {
    KubeObject zk = store.create(middleware("payments", "zk"));
    if (!change.apply(zk).apiVersion().equals(zk.apiVersion())) {
      assumeKeeps(Capability.VERSIONS_SHARE_OBJECTS);
    }

    KubeObject updated = store.update(change.apply(zk));

    assertThat(updated.generation()).isEqualTo(generation);
    assertThat(version(updated)).as("a real change is written").isGreaterThan(version(zk));
    assertThat(store.get(zk.ref())).contains(updated);
  }

  @Test
  void anUpdateUnderAnotherVersionOfTheGroupIsStoredWithThatApiVersion() {
    assumeKeeps(Capability.VERSIONS_SHARE_OBJECTS);
    KubeObject sts = store.create(statefulSet("apps/v1beta1", "payments", "zk"));

    KubeObject updated = store.update(sts.edit(n -> n.put("apiVersion", "apps/v1")));

    assertThat(updated.apiVersion()).isEqualTo("apps/v1");
    assertThat(store.get(sts.ref())).contains(updated);
    assertThat(store.list("apps/v1beta1", "StatefulSet", "")).containsExactly(updated);
  }

  @Test
  void updateFromAStaleReadConflictsAndChangesNothing() {
    KubeObject read = store.create(middleware("payments", "zk"));
    KubeObject first = store.update(withReplicas(read, 5));

    assertThatThrownBy(() -> store.update(withReplicas(read, 7)))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
              assertThat(e.ref()).isEqualTo(read.ref());
            });
    assertThat(store.get(read.ref())).contains(first);
    assertThat(store.resourceVersion()).isEqualTo(first.resourceVersion().orElseThrow());
  }

  @Test
  void updateWithoutAResourceVersionConflicts() {
    KubeObject zk = store.create(middleware("payments", "zk"));

    assertFails(
        Reason.CONFLICT, () -> store.update(withoutMeta(withReplicas(zk, 5), "resourceVersion")));
    assertThat(store.get(zk.ref())).contains(zk);
  }

  @Test
  void updateOfAnObjectThatIsNotThereIsNotFound() {
    KubeObject zk = store.create(middleware("payments", "zk"));

    assertFails(Reason.NOT_FOUND, () -> store.update(withMeta(zk, "name", "kafka")));
    assertFails(Reason.NOT_FOUND, () -> store.updateStatus(withMeta(zk, "name", "kafka")));
  }

  @Test
  void updateFromACopyOfAnEarlierLifeOfTheObjectConflicts() {
    KubeObject firstLife = store.create(middleware("payments", "zk"));
    store.delete(firstLife.ref());
    KubeObject secondLife = store.create(middleware("payments", "zk"));

    assertFails(Reason.CONFLICT, () -> store.update(withReplicas(firstLife, 5)));
    assertThat(store.get(firstLife.ref())).contains(secondLife);
  }

  @Test
  void updateKeepsTheStoredStatus() {
    KubeObject zk = store.create(withStatus(middleware("payments", "zk"), "Running"));

    KubeObject updated = store.update(withStatus(withReplicas(zk, 5), "Failed"));
    KubeObject withoutStatus = store.update(withReplicas(updated, 7).edit(n -> n.remove("status")));

    assertThat(text(updated, "/status/phase")).isEqualTo("Running");
    assertThat(text(withoutStatus, "/status/phase")).isEqualTo("Running");
    assertThat(store.get(zk.ref())).contains(withoutStatus);
  }

  @Test
  void updateKeepsTheServerSetMetadata() {
    assumeKeeps(Capability.DELETION_MARK_RULES);
    KubeObject zk = store.create(middleware("payments", "zk"));
    clock.advance(Duration.ofHours(1));
    KubeObject forged =
        zk.withLabel("tier", "gold")
            .edit(
                n -> {
                  meta(n).put("uid", "forged");
                  meta(n).put("creationTimestamp", "2000-01-01T00:00:00Z");
                  meta(n).put("deletionTimestamp", "2000-01-01T00:00:00Z");
                  meta(n).put("generation", 42);
                });

    KubeObject updated = store.update(forged);

    assertThat(text(updated, "/metadata/uid")).isEqualTo(text(zk, "/metadata/uid"));
    assertThat(text(updated, "/metadata/creationTimestamp"))
        .isEqualTo(text(zk, "/metadata/creationTimestamp"));
    if (keeps(Capability.STORE_CLOCK)) {
      assertThat(text(updated, "/metadata/creationTimestamp")).isEqualTo("2025-03-01T10:15:30Z");
    }
    assertThat(updated.deletionTimestamp()).isEmpty();
    assertThat(updated.generation()).isEqualTo(1);
    assertThat(updated.labels()).containsEntry("tier", "gold");
  }

  @Test
  void anUpdateThatChangesNothingWritesNothingAndTellsNoWatch() {
    KubeObject zk = store.create(withStatus(middleware("payments", "zk"), "Running"));
    RecordingHandler watch = watchMiddleware(store.resourceVersion());
    KubeObject sameButIgnoredFields =
        withStatus(zk, "Failed")
            .edit(
                n -> {
                  meta(n).put("generation", 9);
                  meta(n).put("uid", "forged");
                });

    KubeObject same = store.update(zk);
    KubeObject alsoSame = store.update(sameButIgnoredFields);
    KubeObject sameStatus = store.updateStatus(zk);
    KubeObject other = store.create(middleware("payments", "other"));

    assertThat(same).isEqualTo(zk);
    assertThat(alsoSame).isEqualTo(zk);
    assertThat(sameStatus).isEqualTo(zk);
    assertThat(store.get(zk.ref())).contains(zk);
    assertThat(watch.awaitEvents(1)).extracting(Event::object).containsExactly(other);
    assertNextEventIsAProbe(watch, 1);
  }

  @Test
  void anUpdateTooLargeToStoreIsInvalidAndChangesNothing() {
    assumeKeeps(Capability.SIZE_LIMIT_OF_THE_RESULT);
    KubeObject zk = store.create(middleware("payments", "zk"));
    String blob = "x".repeat(WriteRules.MAX_OBJECT_BYTES / 2 + 1024);
    KubeObject big = store.update(zk.edit(n -> n.withObjectProperty("spec").put("blob", blob)));
    String version = store.resourceVersion();
    KubeObject statusOnly =
        KubeObject.create(FLOTILLA, "Middleware", "payments", "zk")
            .edit(
                n -> {
                  meta(n).put("resourceVersion", big.resourceVersion().orElseThrow());
                  n.putObject("status").put("blob", blob);
                });

    assertFails(
        Reason.INVALID,
        () -> store.update(big.edit(n -> n.withObjectProperty("spec").put("blob2", blob))));
    assertFails(Reason.INVALID, () -> store.updateStatus(statusOnly));
    assertThat(store.resourceVersion()).isEqualTo(version);
    assertThat(store.get(zk.ref())).contains(big);
  }

  // ---------------------------------------------------------------- updateStatus

  @Test
  void updateStatusReplacesOnlyTheStatus() {
    KubeObject zk = store.create(withStatus(middleware("payments", "zk"), "Pending"));
    KubeObject given = withStatus(withReplicas(zk, 5).withLabel("tier", "gold"), "Running");

    KubeObject updated = store.updateStatus(given);

    assertThat(text(updated, "/status/phase")).isEqualTo("Running");
    assertThat(updated.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(updated.labels()).doesNotContainKey("tier");
    assertThat(updated.generation()).isEqualTo(1);
    assertThat(version(updated)).isGreaterThan(version(zk));
    assertThat(withStatus(updated, "Pending").edit(n -> meta(n).setAll(meta(zk.json()))))
        .isEqualTo(zk);
    assertThat(store.get(zk.ref())).contains(updated);
  }

  @Test
  void updateStatusFromAStaleReadConflicts() {
    assumeKeeps(Capability.STATUS_CONFLICTS);
    KubeObject zk = store.create(middleware("payments", "zk"));
    KubeObject running = store.updateStatus(withStatus(zk, "Running"));

    assertFails(Reason.CONFLICT, () -> store.updateStatus(withStatus(zk, "Failed")));
    assertFails(
        Reason.CONFLICT,
        () -> store.updateStatus(withoutMeta(withStatus(zk, "Failed"), "resourceVersion")));
    assertThat(store.get(zk.ref())).contains(running);
  }

  @Test
  void updateStatusWithoutAStatusClearsIt() {
    KubeObject zk = store.create(withStatus(middleware("payments", "zk"), "Running"));

    KubeObject cleared = store.updateStatus(zk.edit(n -> n.remove("status")));

    assertThat(cleared.at("/status").isMissingNode()).isTrue();
    assertThat(version(cleared)).isGreaterThan(version(zk));
  }

  @Test
  void updateStatusWorksOnAnObjectBeingDeleted() {
    KubeObject zk = store.create(withFinalizers(middleware("payments", "zk"), "f"));
    KubeObject marked = store.delete(zk.ref()).orElseThrow();

    KubeObject updated = store.updateStatus(withStatus(marked, "Terminating"));

    assertThat(text(updated, "/status/phase")).isEqualTo("Terminating");
    assertThat(updated.deletionTimestamp()).isEqualTo(marked.deletionTimestamp());
    assertThat(updated.finalizers()).containsExactly("f");
  }

  // ---------------------------------------------------------------- delete and finalizers

  @Test
  void deleteOfAnObjectWithoutFinalizersRemovesItAtOnce() {
    assumeKeeps(Capability.REMOVAL_TAKES_A_VERSION);
    KubeObject zk = store.create(middleware("payments", "zk"));

    assertThat(store.delete(zk.ref())).isEmpty();

    assertThat(store.get(zk.ref())).isEmpty();
    assertThat(store.list(FLOTILLA, "Middleware", "")).isEmpty();
    assertThat(storeVersion()).isGreaterThan(version(zk));
  }

  @Test
  void deleteOfAnObjectWithFinalizersSetsDeletionTimestampAndKeepsIt() {
    KubeObject zk =
        store.create(withFinalizers(middleware("payments", "zk"), "flotilla.io/cleanup"));
    clock.advance(Duration.ofHours(1));

    KubeObject marked = store.delete(zk.ref()).orElseThrow();

    if (keeps(Capability.STORE_CLOCK)) {
      assertThat(marked.deletionTimestamp()).contains(Instant.parse("2025-03-01T11:15:30Z"));
      assertThat(text(marked, "/metadata/deletionTimestamp")).isEqualTo("2025-03-01T11:15:30Z");
    } else {
      assertThat(marked.deletionTimestamp()).isPresent();
    }
    assertThat(marked.finalizers()).containsExactly("flotilla.io/cleanup");
    if (keeps(Capability.DELETION_MARK_RULES)) {
      assertThat(marked.generation()).as("being deleted is a new desired state").isEqualTo(2);
    }
    assertThat(marked.resourceVersion()).contains(store.resourceVersion());
    assertThat(version(marked)).isGreaterThan(version(zk));
    assertThat(store.get(zk.ref())).contains(marked);
    assertThat(store.list(FLOTILLA, "Middleware", "payments")).containsExactly(marked);
  }

  @Test
  void aSecondDeleteOfAnObjectBeingDeletedChangesNothingAndReturnsIt() {
    KubeObject zk = store.create(withFinalizers(middleware("payments", "zk"), "f"));
    KubeObject marked = store.delete(zk.ref()).orElseThrow();
    RecordingHandler watch = watchMiddleware(store.resourceVersion());
    clock.advance(Duration.ofHours(1));

    assertThat(store.delete(zk.ref())).contains(marked);

    assertThat(store.resourceVersion()).isEqualTo(marked.resourceVersion().orElseThrow());
    KubeObject other = store.create(middleware("payments", "other"));
    assertThat(watch.awaitEvents(1)).extracting(Event::object).containsExactly(other);
  }

  @Test
  void deleteOfAnObjectThatIsNotThereIsEmptyAndWritesNothing() {
    store.create(middleware("payments", "zk"));
    String version = store.resourceVersion();

    assertThat(store.delete(ref(FLOTILLA, "Middleware", "payments", "kafka"))).isEmpty();
    assertThat(store.delete(ref(FLOTILLA, "Middleware", "orders", "zk"))).isEmpty();

    assertThat(store.resourceVersion()).isEqualTo(version);
  }

  @Test
  void deleteUnderAnotherVersionOfTheGroupDeletesTheObject() {
    assumeKeeps(Capability.VERSIONS_SHARE_OBJECTS);
    KubeObject sts = store.create(statefulSet("apps/v1", "payments", "zk"));

    assertThat(store.delete(ref("apps/v1beta1", "StatefulSet", "payments", "zk"))).isEmpty();

    assertThat(store.get(sts.ref())).isEmpty();
  }

  @Test
  void removingTheLastFinalizerOfAnObjectBeingDeletedDeletesIt() {
    assumeKeeps(Capability.REMOVAL_TAKES_A_VERSION);
    KubeObject zk = store.create(withFinalizers(middleware("payments", "zk"), "a", "b"));
    KubeObject marked = store.delete(zk.ref()).orElseThrow();
    RecordingHandler watch = watchMiddleware(store.resourceVersion());

    KubeObject oneLeft = store.update(withFinalizers(marked, "b"));
    KubeObject last = store.update(withFinalizers(oneLeft).withLabel("done", "yes"));

    assertThat(oneLeft.finalizers()).containsExactly("b");
    assertThat(oneLeft.deletionTimestamp()).isEqualTo(marked.deletionTimestamp());
    assertThat(store.get(zk.ref())).isEmpty();
    assertThat(last.finalizers()).isEmpty();
    assertThat(last.labels()).containsEntry("done", "yes");
    assertThat(last.resourceVersion()).contains(store.resourceVersion());
    assertThat(version(last)).isGreaterThan(version(oneLeft));
    assertThat(watch.awaitEvents(2))
        .extracting(Event::change, Event::object)
        .containsExactly(tuple(Change.MODIFIED, oneLeft), tuple(Change.DELETED, last));
    assertNextEventIsAProbe(watch, 2);
    assertThat(store.create(middleware("payments", "zk")).finalizers()).isEmpty();
  }

  @Test
  void removingTheLastFinalizerOfAnObjectNotBeingDeletedKeepsIt() {
    KubeObject zk = store.create(withFinalizers(middleware("payments", "zk"), "f"));

    KubeObject updated = store.update(withFinalizers(zk));

    assertThat(store.get(zk.ref())).contains(updated);
    assertThat(updated.finalizers()).isEmpty();
  }

  @Test
  void anObjectBeingDeletedCannotGainFinalizers() {
    assumeKeeps(Capability.DELETION_MARK_RULES);
    KubeObject zk = store.create(withFinalizers(middleware("payments", "zk"), "a"));
    KubeObject marked = store.delete(zk.ref()).orElseThrow();

    assertThatThrownBy(() -> store.update(withFinalizers(marked, "a", "b")))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID))
        .hasMessageContaining("finalizers");
    assertFails(Reason.INVALID, () -> store.update(withFinalizers(marked, "b")));
    assertThat(store.get(zk.ref())).contains(marked);
  }

  @Test
  void anUpdateCannotUndoADeletion() {
    assumeKeeps(Capability.DELETION_MARK_RULES);
    KubeObject zk = store.create(withFinalizers(middleware("payments", "zk"), "f"));
    KubeObject marked = store.delete(zk.ref()).orElseThrow();

    KubeObject updated =
        store.update(withoutMeta(marked, "deletionTimestamp").withLabel("tier", "gold"));

    assertThat(updated.deletionTimestamp()).isEqualTo(marked.deletionTimestamp());
    assertThat(updated.labels()).containsEntry("tier", "gold");
  }

  // ---------------------------------------------------------------- watch

  @Test
  void watchFromEmptyGivesEveryCurrentObjectAsAddedInVersionOrderThenEachChange() {
    assumeKeeps(Capability.REMOVAL_TAKES_A_VERSION);
    KubeObject a = store.create(middleware("orders", "a"));
    KubeObject b = store.create(middleware("orders", "b"));
    KubeObject c = store.create(withFinalizers(middleware("payments", "c"), "f"));
    a = store.update(withReplicas(a, 5));
    c = store.delete(c.ref()).orElseThrow();
    store.create(memberCluster("dc1"));
    store.create(statefulSet("apps/v1", "orders", "a"));

    RecordingHandler watch = watchMiddleware("");
    List<Event> initial = watch.awaitEvents(3);
    KubeObject b2 = store.update(withReplicas(b, 7));
    store.delete(a.ref());
    KubeObject d = store.create(middleware("payments", "d"));
    List<Event> all = watch.awaitEvents(6);

    assertThat(initial)
        .extracting(Event::change, Event::object)
        .containsExactly(tuple(Change.ADDED, b), tuple(Change.ADDED, a), tuple(Change.ADDED, c));
    assertThat(all.subList(3, 6))
        .extracting(Event::summary)
        .containsExactly(
            "MODIFIED Middleware orders/b",
            "DELETED Middleware orders/a",
            "ADDED Middleware payments/d");
    assertThat(all.get(3).object()).isEqualTo(b2);
    assertThat(all.get(5).object()).isEqualTo(d);
    assertThat(all).extracting(Event::version).isSorted().doesNotHaveDuplicates();
    assertNextEventIsAProbe(watch, 6);
  }

  @Test
  void watchFromAVersionGivesEveryChangeAfterItThenEachChange() {
    assumeKeeps(Capability.WATCH_FROM_A_PAST_VERSION);
    KubeObject a = store.create(middleware("payments", "a"));
    KubeObject b = store.create(middleware("payments", "b"));
    store.create(memberCluster("dc1"));
    KubeObject a2 = store.update(withReplicas(a, 5));
    store.delete(b.ref());
    KubeObject c = store.create(middleware("payments", "c"));

    RecordingHandler watch = watchMiddleware(b.resourceVersion().orElseThrow());
    watch.awaitEvents(3);
    KubeObject c2 = store.updateStatus(withStatus(c, "Running"));
    List<Event> all = watch.awaitEvents(4);

    assertThat(all)
        .extracting(Event::summary)
        .containsExactly(
            "MODIFIED Middleware payments/a",
            "DELETED Middleware payments/b",
            "ADDED Middleware payments/c",
            "MODIFIED Middleware payments/c");
    assertThat(all).extracting(Event::object).containsSubsequence(a2, c, c2);
    assertThat(all).extracting(Event::version).isSorted().doesNotHaveDuplicates();
    assertNextEventIsAProbe(watch, 4);
  }

  @Test
  void aDeletedEventCarriesTheLastStateAtTheVersionOfTheDeletion() {
    KubeObject zk = store.update(withReplicas(store.create(middleware("payments", "zk")), 5));
    RecordingHandler watch = watchMiddleware(store.resourceVersion());

    store.delete(zk.ref());

    Event deleted = watch.awaitEvents(1).get(0);
    assertThat(deleted.change()).isEqualTo(Change.DELETED);
    assertThat(deleted.object().resourceVersion()).contains(store.resourceVersion());
    assertThat(withMeta(deleted.object(), "resourceVersion", zk.resourceVersion().orElseThrow()))
        .isEqualTo(zk);
  }

  @Test
  void watchFromTheCurrentVersionGivesOnlyLaterChanges() {
    store.create(middleware("payments", "a"));
    RecordingHandler watch = watchMiddleware(store.resourceVersion());

    KubeObject b = store.create(middleware("payments", "b"));

    assertThat(watch.awaitEvents(1)).extracting(Event::object).containsExactly(b);
    assertNextEventIsAProbe(watch, 1);
  }

  @Test
  void aWatchCoversEveryNamespaceAndEveryVersionOfItsGroupButNoOtherKind() {
    assumeKeeps(Capability.VERSIONS_SHARE_OBJECTS);
    RecordingHandler watch = new RecordingHandler();
    closeLater(store.watch("apps/v1beta1", "StatefulSet", "", watch));

    store.create(statefulSet("example.com/v1", "payments", "other-group"));
    store.create(middleware("payments", "other-kind"));
    KubeObject a = store.create(statefulSet("apps/v1", "payments", "a"));
    KubeObject b = store.create(statefulSet("apps/v1beta2", "orders", "b"));

    assertThat(watch.awaitEvents(2)).extracting(Event::object).containsExactly(a, b);
    assertNextEventIsAProbe(watch, 2, statefulSet("apps/v1", "probe", "probe"));
  }

  @Test
  void aClusterScopedKindIsWatchedLikeAnyOther() {
    RecordingHandler watch = new RecordingHandler();
    closeLater(store.watch(FLOTILLA, "MemberCluster", "", watch));

    KubeObject dc1 = store.create(memberCluster("dc1"));
    store.delete(dc1.ref());

    assertThat(watch.awaitEvents(2))
        .extracting(Event::summary)
        .containsExactly("ADDED MemberCluster dc1", "DELETED MemberCluster dc1");
  }

  @Test
  void watchFromAVersionWhoseChangesAreForgottenIsGone() {
    ObjectStore small = closeLater(newStoreKeepingHistory(clock, 3));
    List<KubeObject> written = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      written.add(small.create(middleware("payments", "zk-" + i)));
    }
    RecordingHandler watch = new RecordingHandler();

    String beforeTheKept = written.get(2).resourceVersion().orElseThrow();
    closeLater(small.watch(FLOTILLA, "Middleware", beforeTheKept, watch));
    String forgotten = written.get(1).resourceVersion().orElseThrow();
    assertThatThrownBy(() -> small.watch(FLOTILLA, "Middleware", forgotten, new RecordingHandler()))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.GONE);
              assertThat(e.ref()).isNull();
              assertThat(e.getMessage()).contains(forgotten);
            });
    assertThat(watch.awaitEvents(3))
        .extracting(Event::object)
        .containsExactlyElementsOf(written.subList(3, 6));
  }

  @Test
  void watchFromAVersionNewerThanTheStoresIsGone() {
    store.create(middleware("payments", "zk"));
    String future = Long.toString(storeVersion() + 1000);

    assertFails(
        Reason.GONE, () -> store.watch(FLOTILLA, "Middleware", future, new RecordingHandler()));
  }

  @ParameterizedTest(name = "\"{0}\" is INVALID")
  @ValueSource(strings = {"abc", "-1", "1.5", " 1", "0x10", "99999999999999999999999"})
  void watchFromSomethingThatIsNotAVersionIsInvalid(String notAVersion) {
    assertFails(
        Reason.INVALID,
        () -> store.watch(FLOTILLA, "Middleware", notAVersion, new RecordingHandler()));
  }

  @Test
  void everyWatchSeesEveryChangeExactlyOnceInVersionOrderUnderConcurrentWriters() throws Exception {
    assumeKeeps(Capability.REMOVAL_TAKES_A_VERSION);
    int writers = 8;
    int writesEach = 200;
    int objectsEach = 5;
    store.create(middleware("before", "existing"));
    String before = store.resourceVersion();
    RecordingHandler fromEmpty = watchMiddleware("");
    RecordingHandler fromVersion = watchMiddleware(before);
    Map<String, List<String>> written = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  writeObjects(writer, writesEach, objectsEach, written);
                  return null;
                }));
      }
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < writesEach; i++) {
                  store.create(memberCluster("noise-" + i));
                }
                return null;
              }));
      go.countDown();
      RecordingHandler midway = watchMiddleware("");
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }

      int changes = writers * writesEach;
      List<KubeObject> finalState = store.list(FLOTILLA, "Middleware", "");
      List<KubeObject> writtenSince =
          finalState.stream().filter(o -> !o.namespace().equals("before")).toList();
      checkWholeStream(fromVersion.awaitEvents(changes), changes, written, writtenSince);
      checkWholeStream(fromEmpty.awaitEvents(changes + 1), changes + 1, written, finalState);
      eventually().until(() -> replay(midway.events()).equals(finalState));
      checkMidwayStream(midway.events(), written, finalState);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Writer {@code w} creates, updates and deletes its own objects in turn; each object's history
   * (as "CHANGE n=N", N its spec.n) is recorded for the watches to match.
   */
  private void writeObjects(int w, int writes, int objects, Map<String, List<String>> written) {
    KubeObject[] current = new KubeObject[objects];
    for (int i = 0; i < writes; i++) {
      int j = i % objects;
      String name = "w" + w + "-" + j;
      List<String> history =
          written.computeIfAbsent("ns" + w % 3 + "/" + name, k -> new ArrayList<>());
      if (current[j] == null) {
        current[j] =
            store.create(
                middleware("ns" + w % 3, name).edit(n -> n.withObjectProperty("spec").put("n", 0)));
        history.add("ADDED n=0");
      } else if ((i / objects) % 8 == 7) {
        store.delete(current[j].ref());
        history.add("DELETED n=" + current[j].at("/spec/n").asInt());
        current[j] = null;
      } else {
        int n = current[j].at("/spec/n").asInt() + 1;
        current[j] = store.update(current[j].edit(o -> o.withObjectProperty("spec").put("n", n)));
        history.add("MODIFIED n=" + n);
      }
    }
  }

  /** A watch that saw everything: each object's whole history, in order, once. */
  private static void checkWholeStream(
      List<Event> events,
      int count,
      Map<String, List<String>> written,
      List<KubeObject> finalState) {
    checkStream(events, finalState);
    assertThat(events).hasSize(count);
    assertThat(histories(events)).isEqualTo(new TreeMap<>(written));
  }

  /**
   * A watch that started while writers ran: each object first as ADDED (as it stood when the watch
   * started, or created later), then the rest of its history, in order, once.
   */
  private static void checkMidwayStream(
      List<Event> events, Map<String, List<String>> written, List<KubeObject> finalState) {
    checkStream(events, finalState);
    for (Map.Entry<String, List<String>> seen : histories(events).entrySet()) {
      List<String> history = written.get(seen.getKey());
      List<String> tail = seen.getValue();
      String state = history.get(history.size() - tail.size());
      assertThat(tail.get(0))
          .as(seen.getKey() + " first seen")
          .isEqualTo("ADDED " + state.substring(state.indexOf(' ') + 1));
      assertThat(tail.subList(1, tail.size()))
          .as(seen.getKey())
          .isEqualTo(history.subList(history.size() - tail.size() + 1, history.size()));
    }
  }

  private static void checkStream(List<Event> events, List<KubeObject> finalState) {
    assertThat(events).extracting(Event::version).isSorted().doesNotHaveDuplicates();
    assertThat(events).allSatisfy(e -> assertThat(e.object().kind()).isEqualTo("Middleware"));
    assertThat(replay(events)).isEqualTo(finalState);
  }

  /** Each writer's object's events as "CHANGE n=N". */
  private static Map<String, List<String>> histories(List<Event> events) {
    Map<String, List<String>> seen = new TreeMap<>();
    for (Event e : events) {
      if (!e.object().namespace().equals("before")) {
        seen.computeIfAbsent(
                e.object().namespace() + "/" + e.object().name(), k -> new ArrayList<>())
            .add(e.change() + " n=" + e.object().at("/spec/n").asInt());
      }
    }
    return seen;
  }

  /** The objects a handler would hold after applying these events in order. */
  private static List<KubeObject> replay(List<Event> events) {
    TreeMap<String, KubeObject> state = new TreeMap<>();
    for (Event e : events) {
      String key = e.object().namespace() + "/" + e.object().name();
      if (e.change() == Change.DELETED) {
        state.remove(key);
      } else {
        state.put(key, e.object());
      }
    }
    return List.copyOf(state.values());
  }

  @Test
  void concurrentUpdatesRetryingOnConflictLoseNoIncrement() throws Exception {
    KubeObject counter = store.create(middleware("payments", "counter"));
    int threads = 8;
    int incrementsEach = 50;
    AtomicInteger conflicts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < incrementsEach; i++) {
                    while (true) {
                      KubeObject read = store.get(counter.ref()).orElseThrow();
                      int n = read.at("/spec/replicas").asInt();
                      try {
                        store.update(withReplicas(read, n + 1));
                        break;
                      } catch (StoreException e) {
                        assertThat(e.reason()).isEqualTo(Reason.CONFLICT);
                        conflicts.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    KubeObject end = store.get(counter.ref()).orElseThrow();
    assertThat(end.at("/spec/replicas").asInt()).isEqualTo(3 + threads * incrementsEach);
    assertThat(end.generation()).isEqualTo(1 + threads * incrementsEach);
  }

  @Test
  void aBlockedHandlerHoldsUpNeitherWritersNorOtherWatches() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    RecordingHandler slow = new RecordingHandler();
    closeLater(
        store.watch(
            FLOTILLA,
            "Middleware",
            "",
            (change, object) -> {
              slow.onChange(change, object);
              entered.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }));
    RecordingHandler fast = watchMiddleware("");
    try {
      KubeObject zk =
          assertTimeoutPreemptively(
              Duration.ofSeconds(20), () -> store.create(middleware("payments", "zk")));
      assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            KubeObject current = zk;
            for (int i = 0; i < 100; i++) {
              current = store.update(withReplicas(current, 10 + i));
            }
          });

      assertThat(fast.awaitEvents(101)).hasSize(101);
      assertThat(slow.events()).hasSize(1);
    } finally {
      release.countDown();
    }
    assertThat(slow.awaitEvents(101))
        .extracting(Event::object)
        .isEqualTo(fast.events().stream().map(Event::object).toList());
  }

  @Test
  void eachWatchCallsItsHandlerOnItsOwnThread() {
    RecordingHandler first = watchMiddleware("");
    RecordingHandler second = watchMiddleware("");

    for (int i = 0; i < 20; i++) {
      store.create(middleware("payments", "zk-" + i));
    }

    List<Event> a = first.awaitEvents(20);
    List<Event> b = second.awaitEvents(20);
    assertThat(a.stream().map(Event::thread).distinct()).hasSize(1);
    assertThat(b.stream().map(Event::thread).distinct()).hasSize(1);
    assertThat(a.get(0).thread())
        .isNotSameAs(b.get(0).thread())
        .isNotSameAs(Thread.currentThread());
  }

  @Test
  void aHandlerThatThrowsStillGetsTheNextChange() {
    RecordingHandler seen = new RecordingHandler();
    closeLater(
        store.watch(
            FLOTILLA,
            "Middleware",
            "",
            (change, object) -> {
              seen.onChange(change, object);
              if (object.name().equals("bad")) {
                throw new IllegalStateException("handler failure in a test");
              }
            }));

    store.create(middleware("payments", "bad"));
    KubeObject good = store.create(middleware("payments", "good"));

    assertThat(seen.awaitEvents(2)).extracting(Event::object).last().isEqualTo(good);
  }

  @Test
  void aHandlerMayCallTheStore() {
    RecordingHandler seen = new RecordingHandler();
    closeLater(
        store.watch(
            FLOTILLA,
            "Middleware",
            "",
            (change, object) -> {
              seen.onChange(change, object);
              if (change == Change.ADDED) {
                KubeObject read = store.get(object.ref()).orElseThrow();
                store.updateStatus(withStatus(read, "Seen"));
                store.list(FLOTILLA, "Middleware", "");
              }
            }));

    store.create(middleware("payments", "zk"));

    List<Event> events = seen.awaitEvents(2);
    assertThat(events)
        .extracting(Event::summary)
        .containsExactly("ADDED Middleware payments/zk", "MODIFIED Middleware payments/zk");
    assertThat(text(events.get(1).object(), "/status/phase")).isEqualTo("Seen");
  }

  @Test
  void aClosedWatchGetsNoFurtherChanges() {
    RecordingHandler closed = new RecordingHandler();
    StoreWatch watch = store.watch(FLOTILLA, "Middleware", "", closed);
    RecordingHandler open = watchMiddleware("");
    store.create(middleware("payments", "a"));
    closed.awaitEvents(1);

    watch.close();
    store.create(middleware("payments", "b"));
    store.create(middleware("payments", "c"));

    open.awaitEvents(3);
    assertNoEventsAfterClose(closed, 1);
  }

  @Test
  void closingAWatchDuringAHandlerCallReturnsAtOnceLetsTheCallFinishAndStartsNoOther()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    StoreWatch watch =
        closeLater(
            store.watch(
                FLOTILLA,
                "Middleware",
                "",
                (change, object) -> {
                  calls.incrementAndGet();
                  entered.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  finished.incrementAndGet();
                }));
    RecordingHandler open = watchMiddleware("");
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            store.create(middleware("payments", "a"));
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
            store.create(middleware("payments", "b"));
          });

      assertTimeoutPreemptively(Duration.ofSeconds(5), watch::close);
      store.create(middleware("payments", "c"));
    } finally {
      release.countDown();
    }

    open.awaitEvents(3);
    eventually().until(() -> finished.get() == 1);
    throughout(Duration.ofMillis(300)).until(() -> calls.get() == 1);
  }

  @Test
  void aHandlerCanCloseItsOwnWatch() {
    AtomicReference<StoreWatch> self = new AtomicReference<>();
    RecordingHandler seen = new RecordingHandler();
    CountDownLatch watching = new CountDownLatch(1);
    self.set(
        closeLater(
            store.watch(
                FLOTILLA,
                "Middleware",
                "",
                (change, object) -> {
                  seen.onChange(change, object);
                  try {
                    watching.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  self.get().close();
                })));
    watching.countDown();
    RecordingHandler open = watchMiddleware("");

    store.create(middleware("payments", "a"));
    store.create(middleware("payments", "b"));

    open.awaitEvents(2);
    seen.awaitEvents(1);
    assertNoEventsAfterClose(seen, 1);
  }

  @Test
  void closingAWatchTwiceIsHarmless() {
    StoreWatch watch = store.watch(FLOTILLA, "Middleware", "", new RecordingHandler());

    watch.close();
    watch.close();

    assertThat(store.create(middleware("payments", "zk"))).isNotNull();
  }

  @Test
  void closingTheStoreEndsItsWatchesAndRefusesEveryLaterCall() {
    ObjectStore own = closeLater(newStore(clock));
    KubeObject zk = own.create(middleware("payments", "zk"));
    RecordingHandler watch = new RecordingHandler();
    own.watch(FLOTILLA, "Middleware", "", watch);
    watch.awaitEvents(1);

    own.close();
    own.close();

    List<ThrowingCallable> calls =
        List.of(
            () -> own.create(middleware("payments", "kafka")),
            () -> own.get(zk.ref()),
            () -> own.list(FLOTILLA, "Middleware", ""),
            () -> own.update(withReplicas(zk, 5)),
            () -> own.updateStatus(withStatus(zk, "Running")),
            () -> own.delete(zk.ref()),
            () -> own.watch(FLOTILLA, "Middleware", "", new RecordingHandler()),
            own::resourceVersion);
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call).isInstanceOf(IllegalStateException.class);
    }
    assertNoEventsAfterClose(watch, 1);
  }

  // ---------------------------------------------------------------- restart (durable stores)

  @Test
  void aReopenedStoreHoldsEveryAcknowledgedChange() {
    KubeObject zk = store.create(withFinalizers(middleware("payments", "zk"), "f"));
    zk = store.update(withReplicas(zk, 5));
    zk = store.delete(zk.ref()).orElseThrow();
    KubeObject dc1 = store.updateStatus(withStatus(store.create(memberCluster("dc1")), "Ready"));
    KubeObject gone = store.create(middleware("payments", "gone"));
    store.delete(gone.ref());
    String version = store.resourceVersion();

    store = closeLater(reopen(store));

    assertThat(store.get(zk.ref())).contains(zk);
    assertThat(store.get(dc1.ref())).contains(dc1);
    assertThat(store.get(gone.ref())).isEmpty();
    assertThat(store.list(FLOTILLA, "Middleware", "")).containsExactly(zk);
    assertThat(store.resourceVersion()).isEqualTo(version);
  }

  @Test
  void aReopenedStoreNeverReusesAResourceVersion() {
    KubeObject zk = store.create(middleware("payments", "zk"));
    KubeObject stale = zk;
    zk = store.update(withReplicas(zk, 5));
    KubeObject removed = store.create(middleware("payments", "removed"));
    store.delete(removed.ref());
    long before = storeVersion();

    store = closeLater(reopen(store));
    KubeObject next = store.create(middleware("payments", "next"));
    KubeObject updated = store.update(withReplicas(zk, 7));

    assertThat(version(next)).isGreaterThan(before);
    assertThat(version(updated)).isGreaterThan(version(next));
    KubeObject staleCopy = stale;
    assertFails(Reason.CONFLICT, () -> store.update(withReplicas(staleCopy, 9)));
  }

  @Test
  void aWatchFromAVersionBeforeTheReopenResumesExactlyOrIsGone() {
    KubeObject a = store.create(middleware("payments", "a"));
    String from = store.resourceVersion();
    KubeObject a2 = store.update(withReplicas(a, 5));
    KubeObject b = store.create(middleware("payments", "b"));

    store = closeLater(reopen(store));
    RecordingHandler watch = new RecordingHandler();
    try {
      closeLater(store.watch(FLOTILLA, "Middleware", from, watch));
    } catch (StoreException e) {
      assertThat(e.reason()).isEqualTo(Reason.GONE);
      return;
    }
    KubeObject c = store.create(middleware("payments", "c"));
    assertThat(watch.awaitEvents(3)).extracting(Event::object).containsExactly(a2, b, c);
    assertNextEventIsAProbe(watch, 3);
  }
}
