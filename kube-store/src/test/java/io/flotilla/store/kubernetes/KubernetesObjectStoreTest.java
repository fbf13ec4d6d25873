package io.flotilla.store.kubernetes;

import io.flotilla.store.ObjectStore;
import io.flotilla.store.ObjectStoreContract;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

/**
 * The store contract against fabric8's mock API server (CRUD mode) with the shipped CRDs and a CRD
 * for the contract's {@code example.com} StatefulSet fixture. The mock serves each version of a
 * group apart; see {@link #keeps} and docs/kubernetes-mode.md for the cases it cannot run.
 */
class KubernetesObjectStoreTest extends ObjectStoreContract {
  private static final String EXAMPLE_STATEFUL_SETS =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: statefulsets.example.com}
      spec:
        group: example.com
        names: {kind: StatefulSet, plural: statefulsets, singular: statefulset}
        scope: Namespaced
        versions:
          - name: v1
            served: true
            storage: true
            schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
      """;

  private final List<MockApiServer> servers = new ArrayList<>();

  @Override
  protected ObjectStore newStore(Clock clock) {
    MockApiServer server = new MockApiServer();
    servers.add(server);
    server.install(EXAMPLE_STATEFUL_SETS);
    return new KubernetesObjectStore(server.client());
  }

  /** What fabric8's mock server (or any Kubernetes API server) does its own way or not at all. */
  private static final Set<Capability> NOT_KEPT =
      EnumSet.of(
          Capability.STORE_CLOCK,
          Capability.VERSIONS_SHARE_OBJECTS,
          Capability.REMOVAL_TAKES_A_VERSION,
          Capability.DELETION_MARK_RULES,
          Capability.STATUS_CONFLICTS,
          Capability.WATCH_FROM_A_PAST_VERSION,
          Capability.SIZE_LIMIT_OF_THE_RESULT,
          Capability.SCOPES_APART);

  @Override
  protected boolean keeps(Capability capability) {
    return !NOT_KEPT.contains(capability);
  }

  @AfterEach
  void stopServers() {
    servers.forEach(MockApiServer::close);
  }
}
