package io.flotilla.store.kubernetes;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Finds the REST resource (the plural in the URL) of an apiVersion and kind: the flotilla.io kinds
 * from the model, fabric8's built-in kinds from its registry, any other kind by API discovery (once
 * found, kept; a kind not served yet is asked again next time, so a CRD installed later is seen).
 *
 * <p>Scope follows the store's rule, not discovery's: an object with a namespace is addressed in
 * it, one without at the cluster level; the API server refuses a wrong one.
 */
final class ApiResources {
  private final KubernetesClient client;
  private final ConcurrentMap<String, String> plurals = new ConcurrentHashMap<>();

  ApiResources(KubernetesClient client) {
    this.client = client;
  }

  /** The generic operations on {@code kind} of {@code apiVersion}, or empty when not served. */
  Optional<
          MixedOperation<
              GenericKubernetesResource,
              GenericKubernetesResourceList,
              Resource<GenericKubernetesResource>>>
      ops(String apiVersion, String kind, boolean namespaced) {
    return plural(apiVersion, kind)
        .map(
            plural -> {
              int slash = apiVersion.indexOf('/');
              ResourceDefinitionContext context =
                  new ResourceDefinitionContext.Builder()
                      .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
                      .withVersion(apiVersion.substring(slash + 1))
                      .withKind(kind)
                      .withPlural(plural)
                      .withNamespaced(namespaced)
                      .build();
              return client.genericKubernetesResources(context);
            });
  }

  private Optional<String> plural(String apiVersion, String kind) {
    String key = apiVersion + "/" + kind;
    String known = plurals.get(key);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<String> found = lookUp(apiVersion, kind);
    found.ifPresent(p -> plurals.put(key, p));
    return found;
  }

  private Optional<String> lookUp(String apiVersion, String kind) {
    if (apiVersion.equals(FlotillaKind.API_VERSION)) {
      Optional<FlotillaKind> flotilla = FlotillaKinds.byKind(kind);
      if (flotilla.isPresent()) {
        return Optional.of(flotilla.get().plural());
      }
    }
    Class<? extends KubernetesResource> builtIn =
        client.getKubernetesSerialization().getRegisteredKubernetesResource(apiVersion, kind);
    if (builtIn != null && HasMetadata.class.isAssignableFrom(builtIn)) {
      return Optional.of(HasMetadata.getPlural(builtIn.asSubclass(HasMetadata.class)));
    }
    APIResourceList served;
    try {
      served = client.getApiResources(apiVersion);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    if (served == null || served.getResources() == null) {
      return Optional.empty();
    }
    return served.getResources().stream()
        .filter(r -> kind.equals(r.getKind()) && r.getName() != null && !r.getName().contains("/"))
        .map(APIResource::getName)
        .findFirst();
  }
}
