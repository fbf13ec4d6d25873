package io.flotilla.traffic.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the real servers the tests start ({@link EtcdServer}, {@link BindServer}) share. */
final class LocalProcesses {
  private LocalProcesses() {}

  /** A port free on 127.0.0.1 for both TCP and UDP. */
  static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      int p;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        p = s.getLocalPort();
      }
      try (DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", p))) {
        return p;
      } catch (IOException e) {
        // taken for UDP: try another
      }
    }
    throw new IOException("no free port for TCP and UDP");
  }

  /** Stops a process: SIGTERM, then SIGKILL after 10 s. */
  static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Deletes a directory and everything in it. */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
