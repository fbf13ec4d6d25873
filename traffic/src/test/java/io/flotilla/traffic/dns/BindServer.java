package io.flotilla.traffic.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real BIND 9 (Debian's bind9, installed by scripts/install-deps) on a free loopback port,
 * primary for {@link #ZONE}, taking dynamic updates and transfers signed with a TSIG key made for
 * the run; stopped, and its files removed, after the test class.
 */
public final class BindServer implements AfterAllCallback {
  public static final String ZONE = "example.org";
  public static final String KEY_NAME = "flotilla-test";
  public static final String ALGORITHM = "hmac-sha256";

  private final Path dir;
  private final int port;
  private final String secret;
  private Process process;

  private BindServer() throws IOException {
    this.dir = Files.createTempDirectory("flotilla-bind");
    this.port = LocalProcesses.freePort();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.secret = Base64.getEncoder().encodeToString(key);
  }

  public static BindServer launch() {
    try {
      BindServer s = new BindServer();
      s.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start named: " + e.getMessage(), e);
    }
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** The TSIG secret, base64. */
  public String secret() {
    return secret;
  }

  private void start() throws IOException {
    Files.writeString(
        dir.resolve("named.conf"),
        """
        options {
          directory "%1$s";
          pid-file "%1$s/named.pid";
          listen-on port %2$d { 127.0.0.1; };
          listen-on-v6 { none; };
          recursion no;
          dnssec-validation no;
          allow-query { any; };
        };
        key "%3$s" { algorithm %4$s; secret "%5$s"; };
        zone "%6$s" {
          type primary;
          file "%1$s/%6$s.zone";
          allow-update { key "%3$s"; };
          allow-transfer { key "%3$s"; };
        };
        """
            .formatted(dir, port, KEY_NAME, ALGORITHM, secret, ZONE));
    Files.writeString(
        dir.resolve(ZONE + ".zone"),
        """
        $TTL 60
        @ IN SOA ns.%1$s. admin.%1$s. 1 60 60 600 60
        @ IN NS ns.%1$s.
        ns IN A 127.0.0.1
        legacy IN A 127.0.0.99
        """
            .formatted(ZONE));
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      java.nio.file.Files.isExecutable(Path.of("/usr/sbin/named"))
                          ? "/usr/sbin/named"
                          : "named",
                      "-g",
                      "-c",
                      dir.resolve("named.conf").toString(),
                      "-n",
                      "1"))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("named.log").toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run named (" + e.getMessage() + "); install it with scripts/install-deps", e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "named exited at start: " + Files.readString(dir.resolve("named.log")));
      }
      if (!query(ZONE, Type.SOA).isEmpty()) {
        return;
      }
      try {
        Thread.sleep(50); // a real process starting: nothing to advance
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("named did not answer within 20 s; see " + dir);
  }

  /** The answers to a real DNS query (UDP) to this server, as "type data" strings. */
  public List<String> query(String name, int type) {
    try {
      SimpleResolver r = new SimpleResolver(address());
      r.setTimeout(Duration.ofSeconds(1));
      Lookup l = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type);
      l.setResolver(r);
      l.setCache(null);
      Record[] answers = l.run();
      if (answers == null) {
        return List.of();
      }
      return Stream.of(answers)
          .map(a -> Type.string(a.getType()) + " " + a.rdataToString())
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (process != null) {
      LocalProcesses.stop(process);
    }
    LocalProcesses.deleteTree(dir);
  }
}
