package io.flotilla.propagation;

import io.flotilla.api.ClusterAccess;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.kubernetes.Kubeconfig;
import io.flotilla.cluster.kubernetes.Kubeconfigs;
import io.flotilla.cluster.kubernetes.KubernetesMember;
import io.flotilla.cluster.kubernetes.KubernetesMemberOptions;
import io.flotilla.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/**
 * Connects to Kubernetes member clusters: the kubeconfig comes from a file, or from a Secret in the
 * store ({@code data} base64-encoded, or {@code stringData}). Failures name the cluster and where
 * the kubeconfig was looked for, never its contents.
 */
public final class KubernetesMemberFactory implements MemberFactory {
  private final ObjectStore store;
  private final KubernetesMemberOptions options;

  public KubernetesMemberFactory(ObjectStore store, KubernetesMemberOptions options) {
    this.store = store;
    this.options = options;
  }

  @Override
  public Member connect(String cluster, ClusterAccess access) {
    if (access instanceof ClusterAccess.Local) {
      throw new MemberException(
          FailureReason.INVALID_CONFIG,
          "member cluster "
              + cluster
              + " is a local cluster of the sandbox: only flotilla sandbox can reach it");
    }
    Kubeconfig kubeconfig =
        access instanceof ClusterAccess.KubeconfigFile f
            ? Kubeconfigs.fromFile(Path.of(f.path()))
            : fromSecret(cluster, (ClusterAccess.KubeconfigSecret) access);
    return KubernetesMember.connect(cluster, kubeconfig, options);
  }

  private Kubeconfig fromSecret(String cluster, ClusterAccess.KubeconfigSecret s) {
    KubeObject secret =
        store
            .get(new ObjectRef("v1", "Secret", s.namespace(), s.name()))
            .orElseThrow(
                () ->
                    new MemberException(
                        FailureReason.INVALID_CONFIG,
                        "member cluster " + cluster + ": " + s + " does not exist"));
    JsonNode data = secret.at("/data/" + s.key());
    byte[] bytes;
    if (data.isString()) {
      try {
        bytes = Base64.getDecoder().decode(data.stringValue());
      } catch (IllegalArgumentException e) {
        throw new MemberException(
            FailureReason.INVALID_CONFIG,
            "member cluster " + cluster + ": " + s + " is not valid base64 in data");
      }
    } else if (secret.at("/stringData/" + s.key()).isString()) {
      bytes = secret.at("/stringData/" + s.key()).stringValue().getBytes(StandardCharsets.UTF_8);
    } else {
      throw new MemberException(
          FailureReason.INVALID_CONFIG,
          "member cluster " + cluster + ": " + s + " has no such key in data or stringData");
    }
    return Kubeconfigs.fromBytes(s.toString(), bytes);
  }
}
