package io.flotilla.traffic.dns;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real etcd (Debian's etcd-server, installed by scripts/install-deps) on free loopback ports,
 * with its data in a temporary directory; stopped, and its data removed, after the test class.
 * {@link #stop} and {@link #start} keep the data and ports, for outage tests.
 */
public final class EtcdServer implements AfterAllCallback {
  private final int clientPort;
  private final int peerPort;
  private final Path dataDir;
  private final Path log;
  private Process process;

  private EtcdServer() throws IOException {
    this.clientPort = LocalProcesses.freePort();
    this.peerPort = LocalProcesses.freePort();
    this.dataDir = Files.createTempDirectory("flotilla-etcd");
    this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
  }

  /** Starts etcd; fails with what to do when it is not installed. */
  public static EtcdServer launch() {
    try {
      EtcdServer s = new EtcdServer();
      s.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start etcd: " + e.getMessage(), e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + clientPort);
  }

  /** Starts etcd (again) on the same ports and data; does nothing while it runs. */
  public synchronized void start() {
    if (process != null) {
      return;
    }
    String peer = "http://127.0.0.1:" + peerPort;
    String client = endpoint().toString();
    List<String> command =
        List.of(
            "etcd",
            "--name=test",
            "--data-dir=" + dataDir,
            "--listen-client-urls=" + client,
            "--advertise-client-urls=" + client,
            "--listen-peer-urls=" + peer,
            "--initial-advertise-peer-urls=" + peer,
            "--initial-cluster=test=" + peer);
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run etcd (" + e.getMessage() + "); install it with scripts/install-deps", e);
    }
    awaitHealthy();
  }

  private void awaitHealthy() {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("etcd exited at start; its log: " + log);
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(endpoint().resolve("/health"))
                    .timeout(Duration.ofSeconds(1))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("true")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(50); // a real process starting: nothing to advance
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("etcd not healthy within 20 s; its log: " + log);
  }

  /** Stops etcd, keeping its data. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    LocalProcesses.stop(process);
    process = null;
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    stop();
    LocalProcesses.deleteTree(dataDir);
    Files.deleteIfExists(log);
  }
}
