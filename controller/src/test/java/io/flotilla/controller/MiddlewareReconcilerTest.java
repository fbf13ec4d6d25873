package io.flotilla.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.Condition;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler's steps over an in-memory store, with pretend member clusters. */
class MiddlewareReconcilerTest {
  static final String ZK =
      """
      apiVersion: flotilla.io/v1alpha1
      kind: Middleware
      metadata: {name: zk, namespace: default}
      spec:
        type: zookeeper
        replicaRequirements:
          - {role: participant, replicas: 3, resourceRequest: {requests: {cpu: 500m, memory: 1Gi}}}
      """;

  Harness h;
  MiddlewareReconciler r;

  @BeforeEach
  void clusters() {
    h = new Harness();
    for (String c : List.of("dc1", "dc2", "dc3")) {
      h.cluster(c, true, false);
    }
    r = h.reconciler();
  }

  private ConditionStatus condition(String type) {
    return h.status().condition(type).map(Condition::status).orElse(ConditionStatus.Unknown);
  }

  private String reason(String type) {
    return h.status().condition(type).map(Condition::reason).orElse("");
  }

  @Test
  void aNewMiddlewareRollsOutOneClusterAtATimeThenJoinsItsMembers() {
    h.middleware(ZK);
    List<List<String>> reached = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      MiddlewareReconciler.Outcome o = r.reconcile(Harness.ZK);
      reached.add(h.propagatedTo());
      if (o.requeueAfter().isEmpty()) {
        break;
      }
    }
    assertThat(reached)
        .as("each pass adds at most one cluster to the generated PropagationPolicy")
        .startsWith(List.of("dc1"), List.of("dc1", "dc2"), List.of("dc1", "dc2", "dc3"));
    MiddlewareStatus s = h.status();
    assertThat(s.ids().baseIds(s.placement()).bases().get("participant"))
        .containsExactly(
            java.util.Map.entry("dc1", 1),
            java.util.Map.entry("dc2", 4),
            java.util.Map.entry("dc3", 7));
    assertThat(h.membershipCalls).containsExactly("[] -> [dc1:1,dc2:4,dc3:7] lost []");
    assertThat(condition("Available")).isEqualTo(ConditionStatus.True);
    assertThat(condition("Propagated")).isEqualTo(ConditionStatus.True);
    assertThat(condition("SurvivesClusterLoss")).isEqualTo(ConditionStatus.True);
    assertThat(condition("FailingOver")).isEqualTo(ConditionStatus.False);
    assertThat(h.overrides()).containsOnlyKeys("dc1", "dc2", "dc3");
    assertThat(h.store.get(Harness.ZK).orElseThrow().finalizers())
        .contains(MiddlewareReconciler.FINALIZER);
  }

  @Test
  void aClusterNotYetReadyHoldsTheRolloutThere() {
    h.middleware(ZK);
    h.reports.put(
        "dc1", new ShareReadiness.Report(ShareReadiness.State.PENDING, "1 of 1 pods not ready"));
    for (int i = 0; i < 5; i++) {
      r.reconcile(Harness.ZK);
    }
    assertThat(h.propagatedTo()).containsExactly("dc1");
    assertThat(reason("Propagated")).isEqualTo("Rolling");
    assertThat(h.status().condition("Propagated").orElseThrow().message())
        .isEqualTo("waiting for cluster dc1: 1 of 1 pods not ready");
    h.reports.remove("dc1");
    h.settle(r);
    assertThat(h.propagatedTo()).containsExactly("dc1", "dc2", "dc3");
  }

  @Test
  void aFailedClusterStopsTheRolloutWithAConditionInsteadOfRetrying() {
    h.middleware(ZK);
    h.reports.put(
        "dc2", new ShareReadiness.Report(ShareReadiness.State.FAILED, "apply: quota exceeded"));
    List<String> passes = h.settle(r);
    assertThat(passes.get(passes.size() - 1))
        .isEqualTo("failed: cluster dc2: apply: quota exceeded");
    assertThat(h.propagatedTo()).containsExactly("dc1", "dc2");
    assertThat(reason("Propagated")).isEqualTo("RolloutFailed");
    assertThat(h.membershipCalls).isEmpty();
  }

  @Test
  void anUpdateIsHeldWhileItWouldTakeTheVotersBelowQuorum() {
    h.middleware(ZK);
    h.settle(r);
    h.reports.put("dc2", new ShareReadiness.Report(ShareReadiness.State.PENDING, "restarting"));
    h.middleware(
        ZK.replace("replicas: 3,", "replicas: 3, maxSkew: 1,")
            .replace("memory: 1Gi", "memory: 2Gi"));
    r.reconcile(Harness.ZK);
    assertThat(reason("Propagated")).isEqualTo("WaitingForQuorum");
    assertThat(h.status().condition("Propagated").orElseThrow().message())
        .isEqualTo(
            "rolling cluster dc1 would leave 1 of 3 participant voters up, below the quorum of 2");
    h.reports.remove("dc2");
    h.settle(r);
    assertThat(condition("Available")).isEqualTo(ConditionStatus.True);
  }

  @Test
  void losingAClusterMovesItsShareWithFreshIdsAndTheMembershipDropsTheLostOne() {
    h.middleware(ZK);
    h.settle(r);
    h.cluster("dc3", false, true);
    h.holdingCopies.add("dc3");
    r.reconcile(Harness.ZK);
    assertThat(condition("FailingOver")).isEqualTo(ConditionStatus.True);
    assertThat(h.propagatedTo()).doesNotContain("dc3");
    assertThat(h.overrides()).doesNotContainKey("dc3");
    h.settle(r);
    MiddlewareStatus s = h.status();
    assertThat(s.placement().role("participant")).doesNotContainKey("dc3");
    assertThat(s.placement().total("participant")).isEqualTo(3);
    assertThat(h.membershipCalls)
        .last()
        .asString()
        .matches(
            "\\[dc1:1,dc2:4,dc3:7\\] -> \\[dc1:1,(dc1:2,dc2:4|dc2:4,dc2:5)\\] lost \\[dc3:7\\]");
    assertThat(condition("Available")).isEqualTo(ConditionStatus.True);
    assertThat(reason("FailingOver")).isEqualTo("FailedOver");
    assertThat(s.lost()).containsOnlyKeys("dc3");

    // back, but its stale copies are still there: it stays lost until they are gone
    h.cluster("dc3", true, false);
    for (int i = 0; i < 3; i++) {
      assertThat(r.reconcile(Harness.ZK).requeueAfter())
          .as("looks again while fencing")
          .isPresent();
    }
    assertThat(h.status().lost()).containsOnlyKeys("dc3");
    h.holdingCopies.remove("dc3");
    h.settle(r);
    assertThat(h.status().fenced()).containsOnlyKeys("dc3");
    assertThat(h.status().lost()).isEmpty();

    // failback is never by default: a scale-up places nothing on dc3
    h.middleware(ZK.replace("replicas: 3", "replicas: 5"));
    h.settle(r);
    assertThat(h.status().placement().role("participant")).doesNotContainKey("dc3");
  }

  @Test
  void aFailoverPassNamesTheNewShareInOnePolicyWriteAfterItsOverridesStatefulSetsLast() {
    h.middleware(ZK);
    h.settle(r);
    h.cluster("dc3", false, true);
    List<String> writes = Collections.synchronizedList(new ArrayList<>());
    String from = h.store.resourceVersion();
    for (String kind : List.of("PropagationPolicy", "OverridePolicy")) {
      h.store.watch(
          ApiVersion.API_VERSION,
          kind,
          from,
          (change, o) ->
              writes.add(
                  Long.parseLong(o.resourceVersion().orElseThrow())
                      + " "
                      + change
                      + " "
                      + o.kind()
                      + " "
                      + o.name()));
    }

    r.reconcile(Harness.ZK);

    // the pass ends with the lost cluster's overrides deleted: three, one per object
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> writes.stream().filter(w -> w.contains("DELETED")).count() == 3);
    String gaining =
        h.status().placement().role("participant").entrySet().stream()
            .filter(e -> e.getValue() == 2)
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();
    List<String> inOrder =
        writes.stream()
            .sorted(Comparator.comparingLong(w -> Long.parseLong(w.split(" ")[0])))
            .map(w -> w.substring(w.indexOf(' ') + 1))
            .toList();
    assertThat(inOrder)
        .as(
            "the gaining cluster's overrides, its StatefulSet's last; then the policy, once; then"
                + " the lost cluster's overrides")
        .containsExactly(
            "MODIFIED OverridePolicy zk-service-" + gaining,
            "MODIFIED OverridePolicy zk-participant-configmap-" + gaining,
            "MODIFIED OverridePolicy zk-participant-statefulset-" + gaining,
            "MODIFIED PropagationPolicy zk",
            "DELETED OverridePolicy zk-service-dc3",
            "DELETED OverridePolicy zk-participant-configmap-dc3",
            "DELETED OverridePolicy zk-participant-statefulset-dc3");
    assertThat(h.propagatedTo()).doesNotContain("dc3").contains(gaining);
  }

  @Test
  void podsLastPutsEveryStatefulSetAfterTheOtherObjectsKeepingTheirOrder() {
    KubeObject svc = KubeObject.create("v1", "Service", "default", "a");
    KubeObject sts1 = KubeObject.create("apps/v1", "StatefulSet", "default", "b");
    KubeObject cm = KubeObject.create("v1", "ConfigMap", "default", "c");
    KubeObject sts2 = KubeObject.create("apps/v1", "StatefulSet", "default", "d");
    assertThat(MiddlewareReconciler.podsLast(List.of(sts1, svc, sts2, cm)))
        .containsExactly(svc, cm, sts1, sts2);
    assertThat(MiddlewareReconciler.podsLast(List.of())).isEmpty();
  }

  @Test
  void losingTheFirstClusterRewritesNoTemplate() {
    h.middleware(ZK);
    h.settle(r);
    Map<ObjectRef, String> before = templateVersions();
    assertThat(before).isNotEmpty();

    h.cluster("dc1", false, true);
    h.settle(r);

    assertThat(h.status().placement().role("participant")).doesNotContainKey("dc1");
    assertThat(h.overrides()).doesNotContainKey("dc1");
    assertThat(templateVersions())
        .as("each copy takes its body from its override: the templates stay as they were")
        .isEqualTo(before);
  }

  @Test
  void aTemplateEditedByHandIsPutBackAtTheNextPassAndAnUntouchedOneIsNotWritten() {
    h.middleware(ZK);
    h.settle(r);
    Map<ObjectRef, String> before = templateVersions();
    ObjectRef sts = new ObjectRef("apps/v1", "StatefulSet", "default", "zk-participant");
    KubeObject edited =
        h.store
            .get(sts)
            .orElseThrow()
            .edit(
                o ->
                    o.withObjectProperty("metadata")
                        .withObjectProperty("labels")
                        .remove(DesiredState.MIDDLEWARE_LABEL));
    h.store.update(edited);

    r.reconcile(Harness.ZK);

    assertThat(h.store.get(sts).orElseThrow().labels())
        .as("the pass compares the changed template again and puts its label back")
        .containsEntry(DesiredState.MIDDLEWARE_LABEL, "zk");
    Map<ObjectRef, String> after = templateVersions();
    after.remove(sts);
    before.remove(sts);
    assertThat(after).as("the templates nobody touched are not written").isEqualTo(before);
  }

  /** The resourceVersion of every template (StatefulSet, ConfigMap, Service, Secret). */
  private Map<ObjectRef, String> templateVersions() {
    Map<ObjectRef, String> out = new java.util.LinkedHashMap<>();
    for (String[] k :
        new String[][] {
          {"apps/v1", "StatefulSet"}, {"v1", "ConfigMap"}, {"v1", "Service"}, {"v1", "Secret"}
        }) {
      for (KubeObject o : h.store.list(k[0], k[1], "default")) {
        out.put(o.ref(), o.resourceVersion().orElseThrow());
      }
    }
    return out;
  }

  @Test
  void withFailbackWhenReadyReplicasReturnOnceTheClusterHasBeenReadyLongEnough() {
    h.middleware(
        ZK.replace(
            "type: zookeeper",
            "type: zookeeper\n  failback: {policy: WhenReady, readyForSeconds: 60}"));
    h.settle(r);
    h.cluster("dc3", false, true);
    h.settle(r);
    h.cluster("dc3", true, false);
    for (int i = 0; i < 3; i++) {
      assertThat(r.reconcile(Harness.ZK).requeueAfter())
          .as("looks again when the cluster is due for failback")
          .hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(60)));
      h.clock.advance(Duration.ofSeconds(1));
    }
    assertThat(h.status().fenced()).containsOnlyKeys("dc3");
    assertThat(h.status().placement().role("participant")).doesNotContainKey("dc3");
    h.clock.advance(Duration.ofSeconds(61));
    h.settle(r);
    MiddlewareStatus s = h.status();
    assertThat(s.placement().role("participant")).containsEntry("dc3", 1);
    assertThat(s.ids().block("participant", "dc3").start())
        .as("the returning share gets ids never given out before")
        .isGreaterThanOrEqualTo(10);
    assertThat(s.fenced()).isEmpty();
  }

  @Test
  void movingAnInstanceByHandIsValidatedAndRolledOutTheSameWay() {
    h.middleware(ZK);
    h.settle(r);
    h.middleware(
        ZK.replace(
            "resourceRequest: {requests: {cpu: 500m, memory: 1Gi}}}",
            "resourceRequest: {requests: {cpu: 500m, memory: 1Gi}}}\n  pinnedPlacement: {participant: {dc1: 2, dc2: 1}}"));
    h.settle(r);
    MiddlewareStatus s = h.status();
    assertThat(s.placement().role("participant"))
        .containsExactly(java.util.Map.entry("dc1", 2), java.util.Map.entry("dc2", 1));
    assertThat(h.propagatedTo()).containsExactly("dc1", "dc2");
    assertThat(h.overrides()).containsOnlyKeys("dc1", "dc2");
    assertThat(h.membershipCalls).last().asString().endsWith("lost [dc3:7]");
  }

  @Test
  void drainingAClusterMovesEveryShareOffItRollingAsInAFailoverWithFreshIds() {
    h.middleware(ZK);
    h.settle(r);
    h.taint("dc3", "flotilla.io/cordoned", "NoSchedule");
    h.taint("dc3", "flotilla.io/drained", "NoExecute");
    List<List<String>> reached = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      MiddlewareReconciler.Outcome o = r.reconcile(Harness.ZK);
      reached.add(h.propagatedTo());
      if (o.requeueAfter().isEmpty()) {
        break;
      }
      h.clock.advance(Duration.ofSeconds(1));
    }
    MiddlewareStatus s = h.status();
    assertThat(s.placement().role("participant")).doesNotContainKey("dc3");
    assertThat(s.placement().total("participant")).isEqualTo(3);
    assertThat(reached)
        .as("the new share is rolled out while dc3 still runs its own, then dc3 leaves")
        .anySatisfy(l -> assertThat(l).containsExactly("dc1", "dc2", "dc3"))
        .last()
        .isEqualTo(List.of("dc1", "dc2"));
    assertThat(h.membershipCalls)
        .last()
        .asString()
        .as("the drained instance leaves the membership; its replacement has a new id")
        .matches(
            "\\[dc1:1,dc2:4,dc3:7\\] -> \\[dc1:1,(dc1:2,dc2:4|dc2:4,dc2:5)\\] lost \\[dc3:7\\]");
    assertThat(s.lost()).as("a drained cluster is not a lost one").isEmpty();
    assertThat(condition("Available")).isEqualTo(ConditionStatus.True);
  }

  @Test
  void aDrainTheSpecToleratesMovesNothing() {
    h.middleware(
        ZK.replace(
            "type: zookeeper",
            "type: zookeeper\n  tolerations: [{key: flotilla.io/drained, operator: Exists,"
                + " effect: NoExecute}]"));
    h.settle(r);
    MiddlewareStatus before = h.status();
    h.taint("dc3", "flotilla.io/drained", "NoExecute");
    assertThat(h.settle(r)).hasSize(1);
    assertThat(h.status().placement()).isEqualTo(before.placement());
    assertThat(h.membershipCalls).hasSize(1);
  }

  @Test
  void eventsTellThePlacementTheRolloutAClusterLossAndTheRecovery() {
    h.middleware(ZK);
    h.reports.put("dc2", new ShareReadiness.Report(ShareReadiness.State.STARTED, "0/1 ready"));
    for (int i = 0; i < 6; i++) {
      r.reconcile(Harness.ZK);
    }
    h.reports.clear();
    h.settle(r);
    assertThat(h.events())
        .as("a new Middleware")
        .contains(
            "Normal Scheduled: participant dc1=1,dc2=1,dc3=1",
            "Normal EveryVoterRoleSurvives: participant: 3 voters, quorum 2, survives the loss"
                + " of any one cluster",
            "Normal Rolling: rolling out to cluster dc1",
            "Normal Rolling: rolling out to cluster dc3",
            "Normal AllInstancesReady: every instance ready")
        .noneMatch(e -> e.contains("waiting for cluster"));
    h.cluster("dc3", false, true);
    h.settle(r);
    assertThat(h.events())
        .as("after losing dc3")
        .contains("Warning ClusterLost: lost: dc3", "Normal FailedOver: moved off dc3")
        .last()
        .isEqualTo("Normal FailedOver: moved off dc3");
  }

  @Test
  void anInvalidSpecIsReportedAsAConditionNamingTheFieldAndRule() {
    h.middleware(
        ZK.replace("role: participant, replicas: 3", "role: participant, replicas: 3, shard: 1"));
    h.settle(r);
    assertThat(reason("Scheduled")).isEqualTo("InvalidSpec");
    assertThat(h.status().condition("Scheduled").orElseThrow().message()).contains("shard");
    assertThat(h.propagatedTo()).isEmpty();
  }

  @Test
  void deletingTheMiddlewareDeletesEverythingItGeneratedThenReleasesIt() {
    h.middleware(ZK);
    h.settle(r);
    h.store.delete(Harness.ZK);
    h.settle(r);
    assertThat(h.store.get(Harness.ZK)).isEmpty();
    assertThat(h.endState().lines().filter(l -> l.startsWith("{"))).isEmpty();
  }
}
