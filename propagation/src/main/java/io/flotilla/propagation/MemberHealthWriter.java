package io.flotilla.propagation;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.ObjectRef;
import io.flotilla.cluster.health.MemberHealth;
import io.flotilla.cluster.status.MemberClusterStatusWriter;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.StoreException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the health monitor finds into each MemberCluster: the Ready condition (status) and
 * the NoExecute taint {@code flotilla.io/unreachable} (spec) when it is not ready, and the resource
 * summary. Retries a write that conflicts with another writer.
 */
final class MemberHealthWriter {
  private static final Logger LOG = LoggerFactory.getLogger(MemberHealthWriter.class);
  private static final int ATTEMPTS = 5;

  private final ObjectStore store;

  MemberHealthWriter(ObjectStore store) {
    this.store = store;
  }

  void onHealthChanged(String member, MemberHealth health) {
    write(member, o -> MemberClusterStatusWriter.withHealth(o, health));
    LOG.atInfo()
        .addKeyValue("cluster", member)
        .addKeyValue("ready", health.ready())
        .addKeyValue("reason", health.reason())
        .log("member cluster health changed: {}", health.message());
  }

  /**
   * Applies a change to the MemberCluster's spec (taints) and status, each written only if it
   * changed.
   */
  void write(String member, UnaryOperator<KubeObject> change) {
    ObjectRef ref = new ObjectRef(ApiVersion.API_VERSION, MemberCluster.KIND, "", member);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Optional<KubeObject> current = store.get(ref);
      if (current.isEmpty()) {
        return;
      }
      KubeObject desired = change.apply(current.get());
      try {
        KubeObject now = current.get();
        if (!desired.at("/spec").equals(now.at("/spec"))) {
          now = store.update(desired);
        }
        if (!desired.at("/status").equals(now.at("/status"))) {
          String rv = now.resourceVersion().orElseThrow();
          store.updateStatus(
              desired.edit(n -> n.withObjectProperty("metadata").put("resourceVersion", rv)));
        }
        return;
      } catch (StoreException e) {
        if (e.reason() != StoreException.Reason.CONFLICT) {
          LOG.warn("cannot write the health of member cluster {}: {}", member, e.getMessage());
          return;
        }
      }
    }
    LOG.warn(
        "gave up writing the health of member cluster {} after {} conflicts", member, ATTEMPTS);
  }
}
