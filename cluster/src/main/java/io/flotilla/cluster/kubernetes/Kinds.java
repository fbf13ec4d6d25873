package io.flotilla.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.flotilla.cluster.FailureReason;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * fabric8's generic operations per apiVersion and kind. Built-in kinds resolve without a request;
 * other kinds by API discovery, once per member (the result is kept).
 */
final class Kinds {
  /** The member's API does not know a kind: a request for it is rejected. */
  static final class NotServedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotServedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final KubernetesClient client;
  private final ConcurrentMap<
          String,
          MixedOperation<
              GenericKubernetesResource,
              GenericKubernetesResourceList,
              Resource<GenericKubernetesResource>>>
      resolved = new ConcurrentHashMap<>();

  Kinds(KubernetesClient client) {
    this.client = client;
  }

  MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      ops(String apiVersion, String kind) {
    String key = apiVersion + "/" + kind;
    var known = resolved.get(key);
    if (known != null) {
      return known;
    }
    try {
      var ops = client.genericKubernetesResources(apiVersion, kind);
      resolved.put(key, ops);
      return ops;
    } catch (KubernetesClientException e) {
      if (Failures.httpCode(e) == 0 && Failures.reason(e) == FailureReason.ERROR) {
        throw new NotServedException(
            "kind "
                + kind
                + " of "
                + apiVersion
                + " is not served (is its CustomResourceDefinition installed?)",
            e);
      }
      throw e; // the member could not be asked: the caller names the action
    }
  }

  /** The operation for one namespace; "" means the kubeconfig context's namespace (or default). */
  NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      in(String apiVersion, String kind, String namespace) {
    var ops = ops(apiVersion, kind);
    return namespace.isEmpty() ? ops : ops.inNamespace(namespace);
  }

  /** The objects carrying every label, in one namespace or ("") in every namespace. */
  FilterWatchListDeletable<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      selecting(String apiVersion, String kind, String namespace, Map<String, String> labels) {
    var ops = ops(apiVersion, kind);
    if (namespace.isEmpty()) {
      return ops.inAnyNamespace().withLabels(labels);
    }
    return ops.inNamespace(namespace).withLabels(labels);
  }
}
