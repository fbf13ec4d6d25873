package io.flotilla.store;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where desired state lives: Kubernetes-style objects with optimistic concurrency, finalizers and
 * watches, with the semantics of a Kubernetes API server reduced to what Flotilla needs. One
 * interface, several implementations (in memory; durable on disk; a host cluster's API server), all
 * held to the same contract tests ({@code ObjectStoreContract} in the test jar).
 *
 * <p>Objects are identified by API group, kind, namespace ("" when cluster-scoped) and name; the
 * version part of apiVersion does not matter. Every change takes the next value of one store-wide,
 * increasing resource version (as etcd's revision), written into the object's {@code
 * metadata.resourceVersion}.
 *
 * <p>Details every implementation keeps (each is a case of the contract tests):
 *
 * <ul>
 *   <li><b>Versions.</b> A resource version is a decimal number; callers may compare them as
 *       numbers but must not assume they go up by one. A write that changes nothing takes no
 *       version and tells no watch.
 *   <li><b>apiVersion.</b> There is no conversion between versions: an object reads back with the
 *       apiVersion it was last written with, whichever version it is asked for by.
 *   <li><b>Scope.</b> The store does not know which kinds are namespaced: an object with namespace
 *       "" is cluster-scoped, and the same name in a namespace is another object.
 *   <li><b>Valid objects</b> (else INVALID, naming the field): apiVersion "version" or
 *       "group/version"; name a DNS subdomain, namespace a DNS label (Kubernetes' rules for custom
 *       resources); finalizers a list of strings; at most 1.5 MiB of JSON ({@link
 *       WriteRules#MAX_OBJECT_BYTES}).
 *   <li><b>Server-set metadata:</b> uid, resourceVersion, creationTimestamp, deletionTimestamp and
 *       generation are the store's; values a caller sends are replaced (create) or ignored
 *       (update). Timestamps are RFC 3339 in UTC, whole seconds, from the store's clock.
 *   <li><b>Calls after {@link #close}</b> throw IllegalStateException.
 * </ul>
 */
public interface ObjectStore extends AutoCloseable {
  /**
   * Stores a new object, status included. Sets {@code metadata.uid}, {@code resourceVersion},
   * {@code creationTimestamp} and {@code generation} (1), replacing any given values, and drops a
   * given {@code deletionTimestamp}. A recreated object (same name after a deletion) gets a new
   * uid.
   *
   * @throws StoreException with {@link StoreException.Reason#ALREADY_EXISTS} (also while an object
   *     of that name is being deleted, and when it was created under another version of the same
   *     group), {@link StoreException.Reason#INVALID}
   */
  KubeObject create(KubeObject object);

  /** The stored object, under any version of its group; empty when there is none. */
  Optional<KubeObject> get(ObjectRef ref);

  /**
   * The stored object's {@code metadata.resourceVersion}, under any version of its group; empty
   * when there is none: for callers that keep what they parsed from an object and read it again
   * only when it changed. A store that holds its objects packed answers without unpacking.
   */
  default Optional<String> version(ObjectRef ref) {
    return get(ref).map(o -> o.resourceVersion().orElse(""));
  }

  /**
   * The objects of a kind, sorted by namespace and name (cluster-scoped ones first), objects being
   * deleted included.
   *
   * <p>To watch after listing without missing a change, read {@link #resourceVersion()} before the
   * list and watch from it (a change made between the two is then seen twice, never lost); or watch
   * from "", which lists and watches in one step.
   *
   * @param namespace "" for every namespace
   */
  List<KubeObject> list(String apiVersion, String kind, String namespace);

  /**
   * Whether reads are answered in this process, without I/O (the embedded stores): callers may then
   * read again rather than keep their own copies. False for a store behind a network.
   */
  default boolean readsAreLocal() {
    return false;
  }

  /**
   * The references of the objects {@link #list} returns, in its order: for callers that only queue
   * them. A store that holds its objects packed answers without unpacking any.
   *
   * @param namespace "" for every namespace
   */
  default List<ObjectRef> refs(String apiVersion, String kind, String namespace) {
    return list(apiVersion, kind, namespace).stream().map(KubeObject::ref).toList();
  }

  /**
   * The reference and {@code metadata.resourceVersion} of each object {@link #list} returns, in its
   * order: for callers that keep what they parsed and read again only what changed.
   *
   * @param namespace "" for every namespace
   */
  default Map<ObjectRef, String> versions(String apiVersion, String kind, String namespace) {
    Map<ObjectRef, String> out = new LinkedHashMap<>();
    for (KubeObject o : list(apiVersion, kind, namespace)) {
      out.put(o.ref(), o.resourceVersion().orElse(""));
    }
    return out;
  }

  /**
   * Replaces an object's metadata (labels, annotations, finalizers) and everything but its status,
   * when its {@code metadata.resourceVersion} is the stored one. {@code generation} goes up by one
   * when anything but metadata and status changed. An object being deleted whose last finalizer
   * this removes is deleted. Writes nothing (and returns the stored object) when nothing changed.
   *
   * <p>In detail: the given status is ignored and the stored one kept; so are the given uid,
   * creationTimestamp, deletionTimestamp and generation. A missing resourceVersion is not the
   * stored one (there are no unconditional updates). Changing only the apiVersion (to another
   * version of the group) is a change, but not one that moves the generation. An object being
   * deleted can lose finalizers but not gain any (INVALID, as in Kubernetes). When the update
   * removes the last finalizer of an object being deleted, the object is removed at a new resource
   * version: watches see one DELETED carrying the object as this update left it, and that is what
   * is returned.
   *
   * @throws StoreException with {@link StoreException.Reason#CONFLICT} when the resourceVersion is
   *     not the stored one, {@link StoreException.Reason#NOT_FOUND} when there is no such object,
   *     {@link StoreException.Reason#INVALID} when the object is invalid or adds a finalizer to an
   *     object being deleted (checked in this order: the object's validity, NOT_FOUND, CONFLICT,
   *     the finalizer rule)
   */
  KubeObject update(KubeObject object);

  /**
   * Replaces an object's status only, when its {@code metadata.resourceVersion} is the stored one.
   * Everything else in the given object is ignored; a given object without status clears it; the
   * generation does not move. Writes nothing (and returns the stored object) when the status is the
   * same. Works on an object being deleted.
   *
   * @throws StoreException CONFLICT or NOT_FOUND, as for {@link #update}; INVALID
   */
  KubeObject updateStatus(KubeObject object);

  /**
   * Deletes an object: removes it at once when it has no finalizers, else sets {@code
   * metadata.deletionTimestamp} and keeps it until its finalizers are removed by updates.
   *
   * <p>Removing takes a new resource version; watches see DELETED with the object's last state at
   * that version. Marking takes a new resource version too, and (as in Kubernetes) moves the
   * generation up by one; watches see MODIFIED. Deleting an object already being deleted changes
   * nothing (its deletionTimestamp stays the first one) and returns it.
   *
   * @return the object as it stands after the call (with deletionTimestamp), or empty when it is
   *     gone (or was never there)
   */
  Optional<KubeObject> delete(ObjectRef ref);

  /**
   * Watches the objects of a kind. With {@code fromResourceVersion} empty, the handler first gets
   * every current object as ADDED; otherwise every change after that version (exclusive). Then it
   * gets changes as they happen, in resource-version order, on one thread per watch.
   *
   * <p>In detail: a watch covers every namespace of the kind and any version of its group. The
   * first ADDED events come in the order the objects were last written (resource-version order), so
   * that the whole stream's versions go up and the last version a handler saw is always a safe
   * place to watch from again. The listing and the start of the watch are one step: no change is
   * missed or seen twice between them. "0" is not special: it asks for every change since the store
   * began, which is GONE once the store has forgotten some. Each watch has its own thread and
   * queue: a slow or blocked handler delays only its own watch, never writers or other watches (its
   * queue grows meanwhile). A handler may call the store. A handler that throws is logged and gets
   * the next change. Closing the watch (from any thread, the handler's included) returns without
   * waiting for the handler: a call already under way finishes, and no other starts.
   *
   * @throws StoreException with {@link StoreException.Reason#GONE} when changes since {@code
   *     fromResourceVersion} are no longer kept (list again, then watch from the list's version),
   *     or when the version is newer than the store's own (it came from another or a reset store:
   *     the same recovery applies); {@link StoreException.Reason#INVALID} when it is not a decimal
   *     number
   */
  StoreWatch watch(
      String apiVersion, String kind, String fromResourceVersion, StoreHandler handler);

  /** The store's current resource version (that of its latest change). */
  String resourceVersion();

  /** Closes every watch of this store; may be called more than once. */
  @Override
  void close();
}
