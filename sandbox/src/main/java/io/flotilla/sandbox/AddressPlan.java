package io.flotilla.sandbox;

import io.flotilla.api.Middleware;
import io.flotilla.middleware.Addressing;
import io.flotilla.middleware.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sandbox's address plan, its IPAM: every instance of every middleware gets its own loopback
 * address in its cluster's block, {@code 127.<n>.x.y} for the n-th local cluster, handed out in
 * order on first use and never reused, so two middlewares (of any types) never collide and a
 * replacement never takes a lost instance's address. The plan is kept in a file, written atomically
 * and fsynced before an address is handed out, so that a restarted sandbox gives every instance the
 * address it had. On Linux the whole of 127.0.0.0/8 reaches the loopback interface.
 */
public final class AddressPlan implements Addressing {
  private static final int PER_CLUSTER = 254 * 256;

  private final Path file;
  private final List<String> clusters;
  private final Map<String, String> byInstance = new HashMap<>();
  private final Map<String, Integer> next = new HashMap<>();

  private AddressPlan(Path file, List<String> clusters) {
    this.file = file;
    this.clusters = List.copyOf(clusters);
  }

  /**
   * Opens the plan kept in {@code file}, or a new one.
   *
   * @param clusters the local clusters, in the order that numbers them (1-based, at most 254)
   * @throws UncheckedIOException when the file cannot be read
   * @throws IllegalArgumentException naming the line when the file is malformed
   */
  public static AddressPlan open(Path file, List<String> clusters) {
    if (clusters.size() > 254) {
      throw new IllegalArgumentException("at most 254 local clusters, got " + clusters.size());
    }
    AddressPlan plan = new AddressPlan(file, clusters);
    if (Files.exists(file)) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
          String line = lines.get(n).strip();
          if (line.isEmpty()) {
            continue;
          }
          String[] parts = line.split(" ");
          if (parts.length != 2 || !parts[1].startsWith("127.")) {
            throw new IllegalArgumentException(
                file + " line " + (n + 1) + ": expected '<instance> 127.x.y.z', got " + line);
          }
          plan.remember(parts[0], parts[1]);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the address plan " + file, e);
      }
    }
    return plan;
  }

  private void remember(String key, String address) {
    byInstance.put(key, address);
    String[] octets = address.split("\\.");
    String cluster = octets[1];
    int offset = (Integer.parseInt(octets[2]) * 256 + Integer.parseInt(octets[3]));
    next.merge(cluster, offset + 1, Math::max);
  }

  @Override
  public synchronized String host(Middleware mw, Instance i) {
    int c = clusters.indexOf(i.cluster());
    if (c < 0) {
      throw new IllegalArgumentException(
          "instance "
              + i
              + " of "
              + mw.name()
              + ": no local cluster "
              + i.cluster()
              + " among "
              + clusters);
    }
    String key =
        mw.metadata().namespace().orElse("default")
            + "/"
            + mw.name()
            + "/"
            + i.role()
            + "-"
            + i.id()
            + "@"
            + i.cluster();
    String known = byInstance.get(key);
    if (known != null) {
      return known;
    }
    String block = Integer.toString(c + 1);
    int offset = next.getOrDefault(block, 1);
    if (offset % 256 == 0) {
      offset++; // 127.n.x.0 is left out, as a network address would be
    }
    if (offset >= PER_CLUSTER) {
      throw new IllegalStateException(
          "local cluster " + i.cluster() + " has handed out every loopback address of its block");
    }
    String address = "127." + block + "." + (offset / 256) + "." + (offset % 256);
    Map<String, String> all = new TreeMap<>(byInstance);
    all.put(key, address);
    persist(all);
    remember(key, address);
    return address;
  }

  private void persist(Map<String, String> all) {
    StringBuilder text = new StringBuilder();
    all.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the address plan " + file, e);
    }
  }

  /** The clusters, in the order that numbers their blocks. */
  public List<String> clusters() {
    return new ArrayList<>(clusters);
  }
}
