package io.flotilla.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.propagation.ResourceBinding;
import io.flotilla.store.memory.InMemoryObjectStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;

/** {@link MemberShareReadiness}: a binding row's last error fails the share, as it is now. */
class MemberShareReadinessTest {
  private static final ObjectRef STS = new ObjectRef("apps/v1", "StatefulSet", "ns", "zk");

  private final InMemoryObjectStore store = new InMemoryObjectStore(Clock.systemUTC());
  private final MemberShareReadiness readiness =
      new MemberShareReadiness(store, cluster -> Optional.empty());

  private KubeObject binding(String dc1Error) {
    return KubeObject.create(
            ApiVersion.API_VERSION, ResourceBinding.KIND, "ns", ResourceBinding.nameFor(STS))
        .edit(
            o -> {
              ArrayNode rows = o.putObject("status").putArray("clusters");
              rows.addObject().put("name", "dc1").put("lastError", dc1Error);
              rows.addObject().put("name", "dc2");
            });
  }

  @Test
  void aRowWithALastErrorFailsThatClusterOnlyAndAFixedOneNoLonger() {
    KubeObject b = store.create(binding("apply: quota exceeded"));
    store.updateStatus(b);

    assertThat(readiness.check("dc1", List.of(STS), "r1"))
        .isEqualTo(
            new ShareReadiness.Report(
                ShareReadiness.State.FAILED, "StatefulSet zk: apply: quota exceeded"));
    assertThat(readiness.check("dc2", List.of(STS), "r1").state())
        .as("dc2's row has no error; its member is not connected")
        .isEqualTo(ShareReadiness.State.UNREACHABLE);

    KubeObject now = store.get(b.ref()).orElseThrow();
    store.updateStatus(
        binding("").editMetadata(m -> m.put("resourceVersion", now.resourceVersion().get())));

    assertThat(readiness.check("dc1", List.of(STS), "r1").state())
        .as("the binding changed: read again")
        .isEqualTo(ShareReadiness.State.UNREACHABLE);
  }
}
