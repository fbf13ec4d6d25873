package io.flotilla.store.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.store.GroupKind;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.ResourceVersions;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreException.Reason;
import io.flotilla.store.StoreHandler;
import io.flotilla.store.StoreWatch;
import io.flotilla.store.WriteRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The object store of Kubernetes mode: the objects live in a host cluster's API server (the
 * flotilla.io kinds as the CustomResourceDefinitions of {@code deploy/crds}), reached through a
 * fabric8 client the caller owns and closes.
 *
 * <p>What the store's contract calls the store's own work is the API server's here: uid,
 * creationTimestamp and deletionTimestamp (from the server's clock), generation, resource versions
 * and conflicts, finalizers and the removal of an object whose last finalizer goes, the status
 * subresource. This class sends requests and maps answers: it does not redo any of that on the
 * client. It checks before sending only what the contract says of every store's input ({@link
 * WriteRules#checked}: names, apiVersion, finalizers, size), and that an update carries a
 * resourceVersion (the contract has no unconditional updates; the API server would take one).
 *
 * <p>Where a real API server differs from the contract, it wins (see docs/kubernetes-mode.md):
 * timestamps come from its clock; versions of a group are converted, not kept as written; a watch
 * from a version the server has compacted away is re-listed rather than refused with GONE. Create
 * with a status is two writes when the kind has the status subresource (the server drops a status
 * given to create): the object, then its status; a watch sees ADDED, then MODIFIED.
 */
public final class KubernetesObjectStore implements ObjectStore {
  private final KubernetesClient client;
  private final ApiResources resources;
  private final Set<KubeWatch> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public KubernetesObjectStore(KubernetesClient client) {
    this.client = client;
    this.resources = new ApiResources(client);
  }

  // ------------------------------------------------------------------ writes

  @Override
  public KubeObject create(KubeObject object) {
    open();
    KubeObject checked = WriteRules.checked(object);
    ObjectRef ref = checked.ref();
    var ops = served(ref, "create");
    // the server refuses a create that carries a resourceVersion; the contract replaces it
    KubeObject body = checked.edit(n -> n.withObjectProperty("metadata").remove("resourceVersion"));
    KubeObject created;
    try {
      created = toKube(in(ops, ref).resource(toGeneric(body)).create(), ref);
    } catch (KubernetesClientException e) {
      throw Errors.of(e, ref, "create");
    }
    // with the status subresource the server drops a status given to create: write it through
    // the subresource, so that create stores the status as the contract says (two writes)
    JsonNode status = checked.json().get("status");
    if (status != null && !status.equals(created.json().get("status"))) {
      created = updateStatus(created.edit(n -> n.set("status", status)));
    }
    return created;
  }

  @Override
  public KubeObject update(KubeObject object) {
    open();
    KubeObject checked = WriteRules.checked(object);
    ObjectRef ref = checked.ref();
    requireVersion(checked, "update");
    var ops = served(ref, "update");
    // the contract ignores a given uid; the API server would take one that differs as a conflict
    KubeObject body = checked.edit(n -> n.withObjectProperty("metadata").remove("uid"));
    try {
      GenericKubernetesResource written = in(ops, ref).resource(toGeneric(body)).update();
      // a server that removed the object (its last finalizer gone) may answer without a body
      return written == null ? checked : toKube(written, ref);
    } catch (KubernetesClientException e) {
      throw Errors.of(e, ref, "update");
    }
  }

  @Override
  public KubeObject updateStatus(KubeObject object) {
    open();
    KubeObject checked = WriteRules.checked(object);
    ObjectRef ref = checked.ref();
    requireVersion(checked, "update the status of");
    var ops = served(ref, "update the status of");
    try {
      return toKube(in(ops, ref).resource(toGeneric(checked)).updateStatus(), ref);
    } catch (KubernetesClientException e) {
      throw Errors.of(e, ref, "update the status of");
    }
  }

  @Override
  public Optional<KubeObject> delete(ObjectRef ref) {
    open();
    var ops = resources.ops(ref.apiVersion(), ref.kind(), !ref.namespace().isEmpty());
    if (ops.isEmpty()) {
      return Optional.empty();
    }
    try {
      in(ops.get(), ref).withName(ref.name()).delete();
      // the answer to a DELETE is a Status or the object; fabric8 keeps neither, so read it back
      return Optional.ofNullable(in(ops.get(), ref).withName(ref.name()).get())
          .map(r -> toKube(r, ref))
          .filter(o -> o.deletionTimestamp().isPresent());
    } catch (KubernetesClientException e) {
      throw Errors.of(e, ref, "delete");
    }
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    open();
    var ops = resources.ops(ref.apiVersion(), ref.kind(), !ref.namespace().isEmpty());
    if (ops.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(in(ops.get(), ref).withName(ref.name()).get())
          .map(r -> toKube(r, ref));
    } catch (KubernetesClientException e) {
      throw Errors.of(e, ref, "get");
    }
  }

  @Override
  public List<KubeObject> list(String apiVersion, String kind, String namespace) {
    open();
    var ops = resources.ops(apiVersion, kind, !namespace.isEmpty());
    if (ops.isEmpty()) {
      return List.of();
    }
    ObjectRef what = new ObjectRef(apiVersion, kind, namespace, "*");
    try {
      GenericKubernetesResourceList list =
          namespace.isEmpty() ? ops.get().list() : ops.get().inNamespace(namespace).list();
      List<KubeObject> out = new ArrayList<>();
      for (GenericKubernetesResource r : list.getItems()) {
        out.add(toKube(r, what));
      }
      out.sort(Comparator.comparing(KubeObject::namespace).thenComparing(KubeObject::name));
      return out;
    } catch (KubernetesClientException e) {
      throw Errors.of(e, null, "list " + GroupKind.of(apiVersion, kind));
    }
  }

  /**
   * The server's current resource version: that of a one-item list of MemberClusters (a list's
   * resourceVersion is the store-wide one it was read at).
   */
  @Override
  public String resourceVersion() {
    open();
    var ops =
        resources
            .ops(FlotillaKind.API_VERSION, FlotillaKinds.MEMBER_CLUSTER.kind(), false)
            .orElseThrow();
    try {
      return ops.list(new ListOptionsBuilder().withLimit(1L).build())
          .getMetadata()
          .getResourceVersion();
    } catch (KubernetesClientException e) {
      throw Errors.of(e, null, "read the resource version");
    }
  }

  @Override
  public StoreWatch watch(
      String apiVersion, String kind, String fromResourceVersion, StoreHandler handler) {
    open();
    GroupKind groupKind = GroupKind.of(apiVersion, kind);
    if (!fromResourceVersion.isEmpty()) {
      long from = ResourceVersions.parse(fromResourceVersion);
      long now = ResourceVersions.parse(resourceVersion());
      if (from > now) {
        throw new StoreException(
            Reason.GONE,
            null,
            "watch "
                + groupKind
                + " from resourceVersion "
                + fromResourceVersion
                + ": the API server is only at "
                + now
                + " (a version from another or a reset store); list again and watch from there");
      }
    }
    var ops =
        resources
            .ops(apiVersion, kind, false)
            .orElseThrow(
                () ->
                    new StoreException(
                        Reason.INVALID,
                        null,
                        "watch " + groupKind + ": " + notServed(apiVersion, kind)));
    KubeWatch w =
        new KubeWatch(
            "flotilla-store-watch-" + groupKind,
            ops,
            r -> toKube(r, new ObjectRef(apiVersion, kind, "", "*")),
            handler,
            watches::remove);
    watches.add(w);
    try {
      w.start(fromResourceVersion);
    } catch (KubernetesClientException e) {
      w.close();
      throw Errors.of(e, null, "watch " + groupKind);
    }
    return w;
  }

  @Override
  public void close() {
    closed = true;
    for (KubeWatch w : List.copyOf(watches)) {
      w.close();
    }
  }

  // ------------------------------------------------------------------ helpers

  private void open() {
    if (closed) {
      throw new IllegalStateException("the Kubernetes object store is closed");
    }
  }

  private MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      served(ObjectRef ref, String action) {
    return resources
        .ops(ref.apiVersion(), ref.kind(), !ref.namespace().isEmpty())
        .orElseThrow(
            () ->
                new StoreException(
                    action.equals("create") ? Reason.INVALID : Reason.NOT_FOUND,
                    ref,
                    action + " " + ref + ": " + notServed(ref.apiVersion(), ref.kind())));
  }

  private static String notServed(String apiVersion, String kind) {
    return "kind "
        + kind
        + " of "
        + apiVersion
        + " is not served by the API server (are the CustomResourceDefinitions of deploy/crds"
        + " installed?)";
  }

  private static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      in(
          MixedOperation<
                  GenericKubernetesResource,
                  GenericKubernetesResourceList,
                  Resource<GenericKubernetesResource>>
              ops,
          ObjectRef ref) {
    return ref.namespace().isEmpty() ? ops : ops.inNamespace(ref.namespace());
  }

  /**
   * The contract has no unconditional updates: without a resourceVersion an update is refused
   * before it is sent (NOT_FOUND when there is no such object, else CONFLICT).
   */
  private void requireVersion(KubeObject given, String action) {
    if (given.resourceVersion().isPresent()) {
      return;
    }
    ObjectRef ref = given.ref();
    if (get(ref).isEmpty()) {
      throw new StoreException(Reason.NOT_FOUND, ref, action + " " + ref + ": not found");
    }
    throw new StoreException(
        Reason.CONFLICT,
        ref,
        action
            + " "
            + ref
            + ": made from no resourceVersion; read the object and reapply the change to it");
  }

  private GenericKubernetesResource toGeneric(KubeObject o) {
    return client
        .getKubernetesSerialization()
        .unmarshal(o.toJson(), GenericKubernetesResource.class);
  }

  /**
   * A resource the server returned, in canonical form. List items may lack apiVersion and kind (the
   * list says them once): those come from what was asked.
   */
  private KubeObject toKube(GenericKubernetesResource r, ObjectRef asked) {
    KubeObject o = KubeObject.parse(client.getKubernetesSerialization().asJson(r));
    return o.edit(
        n -> {
          fill(n, "apiVersion", asked.apiVersion());
          fill(n, "kind", asked.kind());
        });
  }

  private static void fill(ObjectNode n, String field, String value) {
    JsonNode v = n.get(field);
    if (v == null || !v.isString() || v.stringValue().isEmpty()) {
      n.put(field, value);
    }
  }
}
