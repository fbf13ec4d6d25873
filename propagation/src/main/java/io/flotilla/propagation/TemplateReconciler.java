package io.flotilla.propagation;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.policy.OverridePolicy;
import io.flotilla.api.policy.PropagationPolicy;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.propagation.render.ClusterInfo;
import io.flotilla.propagation.render.OverrideFailure;
import io.flotilla.propagation.render.OverrideRenderer;
import io.flotilla.propagation.render.PolicyMatcher;
import io.flotilla.propagation.render.RenderResult;
import io.flotilla.store.ObjectStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reconciles one resource template, level-triggered and idempotent: from what the store and the
 * members hold now, it brings every member's copy to what the policies say, and writes the binding.
 * Runs in short named steps; each cluster's failure is kept in its row and does not stop the
 * others.
 */
final class TemplateReconciler {
  /** Holds a template until its copies are deleted from every member. */
  static final String FINALIZER = "flotilla.io/propagation";

  /** Marks every copy Flotilla applies, so that member watches select them. */
  static final String MANAGED_BY = "flotilla.io/managed-by";

  static final String MANAGED_BY_VALUE = "flotilla";

  /** On a copy: the template generation it was rendered from. */
  static final String TEMPLATE_GENERATION = "flotilla.io/template-generation";

  /** What one pass concluded, for the engine. */
  record Outcome(boolean retry, Map<ObjectRef, List<OverrideFailure>> overrideFailures) {}

  private final ObjectStore store;
  private final MemberRegistry members;
  private final PolicyCache policies;
  private final Clock clock;
  private final ApplyObserver applies;
  private final OwnWrites bindingWrites;

  /**
   * Whether the engine is closing: a pass it cuts short writes no binding, since its member calls
   * failed on the interrupt, which says nothing of the members.
   */
  private final BooleanSupplier closing;

  /**
   * The namespaces known to exist on each connected member (weakly keyed: a reconnected member is a
   * new one), so that a copy's apply does not read its namespace every time; forgotten when an
   * apply to that member fails (the namespace may have been deleted by hand).
   */
  private final Map<Member, Set<String>> namespaces =
      Collections.synchronizedMap(new WeakHashMap<>());

  TemplateReconciler(
      ObjectStore store,
      MemberRegistry members,
      PolicyCache policies,
      Clock clock,
      ApplyObserver applies,
      OwnWrites bindingWrites,
      BooleanSupplier closing) {
    this.store = store;
    this.closing = closing;
    this.bindingWrites = bindingWrites;
    this.applies = applies;
    this.members = members;
    this.policies = policies;
    this.clock = clock;
  }

  Outcome reconcile(ObjectRef ref) {
    Optional<KubeObject> template = store.get(ref);
    ObjectRef bindingRef = bindingRef(ref);
    Optional<KubeObject> bindingObject = store.get(bindingRef);
    Optional<ResourceBinding> previous = bindingObject.map(ResourceBinding::fromObject);
    Optional<PropagationPolicy> policy =
        template.flatMap(
            t ->
                PolicyMatcher.governingPolicy(
                    t, policies.propagation(ref.namespace(), ref.name())));
    if (template.isEmpty() || template.get().deletionTimestamp().isPresent() || policy.isEmpty()) {
      return withdraw(ref, template, previous, policy);
    }
    KubeObject t = ensureFinalizer(template.get());
    List<String> targets = PolicyMatcher.targetClusters(policy.get(), members.clusters());
    // clusters not Ready are left alone: their copies wait for the pass their return queues, and
    // no timed retry hammers a member that does not answer
    Set<String> waiting = new TreeSet<>();
    List<String> pending = removeFromUntargeted(ref, previous, targets, waiting);
    List<OverridePolicy> overrides = policies.overrides(ref.namespace(), ref.name());
    List<ClusterRow> rows = new ArrayList<>();
    java.util.LinkedHashMap<ObjectRef, List<OverrideFailure>> failures =
        new java.util.LinkedHashMap<>();
    boolean retry = !waiting.containsAll(pending);
    for (String cluster : targets) {
      ClusterRow row = applyTo(cluster, t, overrides, failures, waiting);
      rows.add(row);
      retry |= !row.applied() && !waiting.contains(cluster);
    }
    ResourceBinding binding =
        new ResourceBinding(
            ref, policy.get().namespace() + "/" + policy.get().name(), targets, pending, rows);
    writeBinding(binding, bindingObject);
    return new Outcome(retry, failures);
  }

  /** The binding that records a template's propagation. */
  static ObjectRef bindingRef(ObjectRef template) {
    return new ObjectRef(
        io.flotilla.api.ApiVersion.API_VERSION,
        ResourceBinding.KIND,
        template.namespace(),
        ResourceBinding.nameFor(template));
  }

  /**
   * The template is gone, being deleted, or no longer selected by any policy: delete its copies
   * everywhere (unless the policy that propagated it preserves them), then let it go.
   */
  private Outcome withdraw(
      ObjectRef ref,
      Optional<KubeObject> template,
      Optional<ResourceBinding> previous,
      Optional<PropagationPolicy> policy) {
    TreeSet<String> everywhere = new TreeSet<>();
    previous.ifPresent(
        b -> {
          everywhere.addAll(b.clusters());
          everywhere.addAll(b.pendingRemoval());
        });
    boolean preserve =
        template.isPresent()
            && template.get().deletionTimestamp().isPresent()
            && policies.preservesOnDeletion(previous.map(ResourceBinding::policy).orElse(""));
    List<String> left = new ArrayList<>();
    Set<String> waiting = new TreeSet<>();
    if (!preserve) {
      for (String cluster : everywhere) {
        if (!deleteCopy(cluster, ref, waiting)) {
          left.add(cluster);
        }
      }
    }
    if (!left.isEmpty()) {
      // Some members cannot be reached: keep the finalizer and the binding, and come back.
      previous.ifPresent(
          b ->
              writeBinding(
                  new ResourceBinding(ref, b.policy(), List.of(), left, List.of()),
                  store.get(bindingRef(ref))));
      return new Outcome(!waiting.containsAll(left), Map.of());
    }
    template.ifPresent(this::removeFinalizer);
    store.delete(bindingRef(ref));
    return new Outcome(false, Map.of());
  }

  /**
   * Deletes copies on clusters the policy no longer targets; returns those still to do (clusters
   * not Ready among them are added to {@code waiting}).
   */
  private List<String> removeFromUntargeted(
      ObjectRef ref,
      Optional<ResourceBinding> previous,
      List<String> targets,
      Set<String> waiting) {
    TreeSet<String> before = new TreeSet<>();
    previous.ifPresent(
        b -> {
          before.addAll(b.clusters());
          before.addAll(b.pendingRemoval());
        });
    before.removeAll(targets);
    List<String> pending = new ArrayList<>();
    for (String cluster : before) {
      if (!deleteCopy(cluster, ref, waiting)) {
        pending.add(cluster);
      }
    }
    return pending;
  }

  /**
   * Deletes one copy; false when the member cannot be reached (try again later) or is not Ready
   * (not tried; added to {@code waiting}).
   */
  private boolean deleteCopy(String cluster, ObjectRef ref, Set<String> waiting) {
    if (members.notReady(cluster).isPresent()) {
      waiting.add(cluster);
      return false;
    }
    Optional<Member> m = members.member(cluster);
    if (m.isEmpty()) {
      return members.entry(cluster).isEmpty(); // a cluster that no longer exists holds nothing
    }
    try {
      m.get().delete(ref);
      return true;
    } catch (MemberException e) {
      return false;
    }
  }

  /**
   * Renders the template for one cluster and applies it there; a cluster not Ready is not tried
   * (added to {@code waiting}, its row says why).
   */
  private ClusterRow applyTo(
      String cluster,
      KubeObject template,
      List<OverridePolicy> overrides,
      Map<ObjectRef, List<OverrideFailure>> failures,
      Set<String> waiting) {
    Optional<String> notReady = members.notReady(cluster);
    if (notReady.isPresent()) {
      waiting.add(cluster);
      return ClusterRow.failed(cluster, 0, notReady.get());
    }
    long generation = template.generation();
    Optional<Member> member = members.member(cluster);
    if (member.isEmpty()) {
      return ClusterRow.failed(cluster, 0, members.whyMissing(cluster));
    }
    ClusterInfo info = members.info(cluster).orElse(ClusterInfo.named(cluster));
    RenderResult rendered = OverrideRenderer.render(template, info, overrides);
    if (!rendered.isClean()) {
      for (OverrideFailure f : rendered.failures()) {
        failures.computeIfAbsent(f.policy(), p -> new ArrayList<>()).add(f);
      }
      return ClusterRow.failed(
          cluster, 0, "override failed: " + rendered.failures().get(0).describe());
    }
    KubeObject desired = copyOf(rendered.object(), generation);
    try {
      ensureNamespace(member.get(), desired.namespace());
      KubeObject live = member.get().apply(desired);
      return row(cluster, generation, live);
    } catch (MemberException e) {
      namespaces.remove(member.get());
      applies.applyFailed(cluster, template.ref());
      return ClusterRow.failed(cluster, 0, e.getMessage());
    }
  }

  /** The copy as applied: the rendered template without server fields, marked as Flotilla's. */
  static KubeObject copyOf(KubeObject rendered, long generation) {
    // one copy of the tree, edited in place
    return rendered.edit(
        n -> {
          n.remove("status");
          ObjectNode meta = n.withObjectProperty("metadata");
          for (String f :
              List.of(
                  "uid",
                  "resourceVersion",
                  "generation",
                  "creationTimestamp",
                  "deletionTimestamp",
                  "deletionGracePeriodSeconds",
                  "managedFields",
                  "finalizers",
                  "ownerReferences",
                  "selfLink")) {
            meta.remove(f);
          }
          meta.withObjectProperty("labels").put(MANAGED_BY, MANAGED_BY_VALUE);
          meta.withObjectProperty("annotations")
              .put(TEMPLATE_GENERATION, Long.toString(generation));
        });
  }

  /** A status row from the member's copy. */
  static ClusterRow row(String cluster, long generation, KubeObject live) {
    JsonNode status = live.at("/status");
    JsonNode specReplicas = live.at("/spec/replicas");
    Optional<Integer> replicas =
        specReplicas.isNumber() ? Optional.of(specReplicas.intValue()) : Optional.empty();
    Optional<Integer> ready =
        replicas.isPresent()
            ? Optional.of(status.path("readyReplicas").asInt(0))
            : Optional.empty();
    boolean isReady = replicas.map(r -> ready.orElse(0) >= r).orElse(true);
    return new ClusterRow(cluster, true, generation, replicas, ready, isReady, "");
  }

  private void ensureNamespace(Member member, String namespace) {
    if (namespace.isEmpty()) {
      return;
    }
    Set<String> known = namespaces.computeIfAbsent(member, m -> ConcurrentHashMap.newKeySet());
    if (known.contains(namespace)) {
      return;
    }
    ObjectRef ns = new ObjectRef("v1", "Namespace", "", namespace);
    if (member.get(ns).isEmpty()) {
      // Created, not managed: Flotilla never deletes a namespace.
      member.apply(KubeObject.create("v1", "Namespace", "", namespace));
    }
    known.add(namespace);
  }

  private KubeObject ensureFinalizer(KubeObject template) {
    if (template.finalizers().contains(FINALIZER)) {
      return template;
    }
    // A conflict propagates: the engine runs the whole pass again on the new version.
    return store.update(
        template.edit(
            n -> n.withObjectProperty("metadata").withArrayProperty("finalizers").add(FINALIZER)));
  }

  private void removeFinalizer(KubeObject template) {
    if (!template.finalizers().contains(FINALIZER)) {
      return;
    }
    store.update(
        template.edit(
            n -> {
              ArrayNode kept = n.arrayNode();
              template.finalizers().stream().filter(f -> !f.equals(FINALIZER)).forEach(kept::add);
              n.withObjectProperty("metadata").set("finalizers", kept);
            }));
  }

  /** Creates or updates the binding, writing only what changed. */
  private void writeBinding(ResourceBinding binding, Optional<KubeObject> existing) {
    if (closing.getAsBoolean()) {
      return;
    }
    KubeObject desired = binding.toObject(clock.instant(), existing);
    if (existing.isEmpty()) {
      wrote(store.create(desired));
      return;
    }
    KubeObject current = existing.get();
    if (!current.sameJsonAt("/spec", desired.at("/spec"))) {
      current =
          wrote(
              store.update(
                  desired.editMetadata(m -> m.put("resourceVersion", existingVersion(existing)))));
    }
    if (!current.sameJsonAt("/status", desired.at("/status"))) {
      String rv = current.resourceVersion().orElseThrow();
      wrote(store.updateStatus(desired.editMetadata(m -> m.put("resourceVersion", rv))));
    }
  }

  /** Records a binding this pass wrote: its watch event is not news to the engine. */
  private KubeObject wrote(KubeObject binding) {
    binding.resourceVersion().ifPresent(v -> bindingWrites.wrote(binding.ref(), v));
    return binding;
  }

  private static String existingVersion(Optional<KubeObject> existing) {
    return existing.flatMap(KubeObject::resourceVersion).orElse("");
  }
}
