package io.flotilla.store.kubernetes;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.stream.Stream;

/**
 * fabric8's mock API server in CRUD mode on 127.0.0.1, with the shipped CRDs installed (so that it
 * serves the flotilla.io kinds with their status subresource), and a client of it.
 */
final class MockApiServer implements AutoCloseable {
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  MockApiServer() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    // no retries: a server that is down fails the request at once (the callers retry themselves)
    client =
        server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
    try (Stream<Path> files = Files.list(ShippedCrdsTest.DIR)) {
      for (Path f : files.sorted().toList()) {
        install(Files.readString(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Installs a CustomResourceDefinition given as YAML. */
  void install(String yaml) {
    CustomResourceDefinition crd =
        client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  KubernetesClient client() {
    return client;
  }

  /** Stops the server, keeping the client: requests then fail as with a server that is down. */
  void stopServing() {
    server.destroy();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
