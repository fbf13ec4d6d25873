package io.flotilla.cluster;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One member cluster as Flotilla uses it: apply and delete objects, read them and the pods behind
 * them, watch for changes, probe health, and read capacity. Implemented for Kubernetes (fabric8)
 * and, by the sandbox, for local clusters. Implementations are thread-safe. Every failure is a
 * {@link MemberException} that names the cluster, the object and the reason.
 */
public interface Member extends AutoCloseable {
  /** The member cluster's name (its MemberCluster's metadata.name). */
  String name();

  /**
   * Makes the member's copy of {@code desired} match it, and returns the copy as stored.
   *
   * <p>Creates the object when absent. Otherwise updates what Flotilla sets — the labels and
   * annotations it names, and every top-level field other than {@code metadata} and {@code status}
   * — and keeps what others set (other labels and annotations, status, server fields). A hand edit
   * of a field Flotilla sets (drift) is put back. Uses server-side apply (field manager {@code
   * flotilla}) where the server supports it, else an update carrying the resourceVersion it read,
   * retried on conflict. Nothing is written when the copy already matches.
   *
   * <p>{@code desired}'s status and server-set metadata (resourceVersion, uid, ...) are ignored. A
   * namespaced object without a namespace goes to the member's default namespace (the kubeconfig
   * context's, else {@code default}).
   */
  KubeObject apply(KubeObject desired);

  /**
   * Deletes an object (dependents in the background); returns false when it did not exist. An
   * object with finalizers is only marked for deletion (its deletionTimestamp set) until they are
   * removed; that counts as deleted here.
   */
  boolean delete(ObjectRef ref);

  /** The object as stored, or empty when it does not exist. */
  Optional<KubeObject> get(ObjectRef ref);

  /**
   * The objects of a kind that carry every given label, sorted by namespace and name.
   *
   * @param namespace "" for every namespace (or for cluster-scoped kinds)
   */
  List<KubeObject> list(
      String apiVersion, String kind, String namespace, Map<String, String> labels);

  /**
   * The pods that carry every given label, with their phase, readiness and addresses, sorted by
   * namespace and name.
   *
   * @param namespace "" for every namespace
   */
  List<PodStatus> pods(String namespace, Map<String, String> labels);

  /**
   * Watches the objects of a kind that carry every given label. The handler first gets the current
   * objects as {@code ADDED}, then every change, in order, on one thread per watch; each object is
   * ADDED once (a server replaying current objects when the watch starts does not duplicate them).
   * A watch that breaks is reopened a few times from where it was; when the member fails for good
   * (or cannot resume), the watch is closed and the handler told why, once: watch again to go on.
   *
   * @throws MemberException when the watch cannot start (the member is down, the kind unknown)
   */
  MemberWatch watch(
      String apiVersion,
      String kind,
      String namespace,
      Map<String, String> labels,
      WatchHandler handler);

  /**
   * One health probe, answered within {@code timeout}: an authenticated request, so that rejected
   * credentials fail it as {@link FailureReason#UNAUTHORIZED}. Never throws.
   */
  ProbeResult probe(Duration timeout);

  /**
   * Allocatable and allocated cpu and memory: the allocatable of nodes that are Ready, and the
   * effective requests of pods not terminated (phase Pending or Running), counted as Kubernetes
   * counts them (see {@link ResourceSummer}).
   */
  ResourceUsage resources();

  /** Releases connections and stops watches. */
  @Override
  void close();
}
