package io.flotilla.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flotilla.api.KubeObject;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.MemberException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link io.flotilla.cluster.Member#apply} for one member: server-side apply (field manager {@code
 * flotilla}, conflicts forced) while the server supports it; otherwise get, then create or update
 * with the resourceVersion read, retried on conflict.
 *
 * <p>The server is taken not to support server-side apply when it answers the apply patch with 415
 * Unsupported Media Type or 405 Method Not Allowed, or with 404 Not Found for an object that a
 * plain create then makes (a server with server-side apply creates absent objects itself, so its
 * 404 means a missing namespace or kind, and then the create fails too). The finding is kept for
 * the member's lifetime.
 */
final class Applier {
  static final String FIELD_MANAGER = "flotilla";

  /** Conflicts retried after the first attempt, each after reading the object again. */
  static final int CONFLICT_RETRIES = 5;

  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

  private final String cluster;
  private final KubernetesSerialization json;
  private final AtomicBoolean serverSideApplyUnsupported = new AtomicBoolean();

  Applier(String cluster, KubernetesSerialization json) {
    this.cluster = cluster;
    this.json = json;
  }

  /** True once the member was found to lack server-side apply. */
  boolean usesFallback() {
    return serverSideApplyUnsupported.get();
  }

  KubeObject apply(
      NonNamespaceOperation<
              GenericKubernetesResource,
              GenericKubernetesResourceList,
              Resource<GenericKubernetesResource>>
          ops,
      KubeObject desired) {
    KubeObject body = ObjectMerge.forWrite(desired);
    if (!serverSideApplyUnsupported.get()) {
      try {
        GenericKubernetesResource applied =
            ops.resource(toGeneric(body))
                .fieldManager(FIELD_MANAGER)
                .forceConflicts()
                .serverSideApply();
        return toKube(applied, body);
      } catch (KubernetesClientException e) {
        int code = Failures.httpCode(e);
        if (code == 415 || code == 405) {
          fallBack(code);
        } else if (code == 404) {
          KubeObject stored = getCreateOrUpdate(ops, body);
          fallBack(code);
          return stored;
        } else {
          throw failure(body, e);
        }
      }
    }
    return getCreateOrUpdate(ops, body);
  }

  private void fallBack(int code) {
    if (serverSideApplyUnsupported.compareAndSet(false, true)) {
      LOG.atInfo()
          .addKeyValue("cluster", cluster)
          .addKeyValue("status", code)
          .log("server-side apply not supported; applying by get and update from now on");
    }
  }

  private KubeObject getCreateOrUpdate(
      NonNamespaceOperation<
              GenericKubernetesResource,
              GenericKubernetesResourceList,
              Resource<GenericKubernetesResource>>
          ops,
      KubeObject body) {
    String name = body.name();
    for (int attempt = 0; ; attempt++) {
      boolean lastAttempt = attempt == CONFLICT_RETRIES;
      GenericKubernetesResource found;
      try {
        found = ops.withName(name).get();
      } catch (KubernetesClientException e) {
        throw failure(body, e);
      }
      if (found == null) {
        try {
          return toKube(ops.resource(toGeneric(body)).create(), body);
        } catch (KubernetesClientException e) {
          if (Failures.httpCode(e) != 409 || lastAttempt) {
            throw failure(body, e);
          }
          LOG.atDebug()
              .addKeyValue("cluster", cluster)
              .addKeyValue("object", body.ref())
              .log("created concurrently; updating instead");
          continue;
        }
      }
      KubeObject live = toKube(found, body);
      KubeObject merged = ObjectMerge.merge(live, body);
      if (ObjectMerge.sameContent(merged, live)) {
        return live;
      }
      try {
        return toKube(ops.resource(toGeneric(merged)).update(), body);
      } catch (KubernetesClientException e) {
        if (Failures.httpCode(e) != 409) {
          throw failure(body, e);
        }
        if (lastAttempt) {
          throw new MemberException(
              FailureReason.CONFLICT,
              "member cluster "
                  + cluster
                  + ": apply "
                  + body.ref()
                  + ": still conflicting after "
                  + CONFLICT_RETRIES
                  + " retries (someone else keeps changing it): "
                  + Failures.describe(e),
              e);
        }
        LOG.atDebug()
            .addKeyValue("cluster", cluster)
            .addKeyValue("object", body.ref())
            .addKeyValue("attempt", attempt + 1)
            .log("update conflicted; reading again");
      }
    }
  }

  private MemberException failure(KubeObject body, Throwable e) {
    return Failures.of(cluster, "apply " + body.ref(), e);
  }

  /** The server's answer, its apiVersion and kind filled in from what was sent if absent. */
  private KubeObject toKube(GenericKubernetesResource r, KubeObject sent) {
    return Fabric8Json.toKube(json, r, sent.apiVersion(), sent.kind());
  }

  private GenericKubernetesResource toGeneric(KubeObject o) {
    return Fabric8Json.toGeneric(json, o);
  }
}
