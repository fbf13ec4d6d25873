package io.flotilla.middleware;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How to run one instance as a local process (the sandbox, and tests with real servers): a pure
 * description that the runtime carries out. Every address it binds is the instance's own loopback
 * address (127.x.y.z), so standard ports work side by side.
 *
 * @param program what to run
 * @param args its arguments
 * @param environment variables to set (added to a clean, minimal environment)
 * @param files configuration files written before every start, by path relative to the instance's
 *     directory
 * @param seedFiles files written only when absent: state the server then owns (a ZooKeeper myid and
 *     dynamic configuration, which reconfiguration rewrites)
 * @param endpoints what it listens on, by purpose ("client", "peer", ...)
 * @param readiness how to tell it is ready to serve
 * @param startTimeout how long it may take to become ready
 */
public record LocalLaunch(
    Program program,
    List<String> args,
    Map<String, String> environment,
    SortedMap<String, String> files,
    SortedMap<String, String> seedFiles,
    List<Endpoint> endpoints,
    Readiness readiness,
    Duration startTimeout) {
  public LocalLaunch {
    Objects.requireNonNull(program, "program");
    args = List.copyOf(args);
    environment = Map.copyOf(environment);
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    seedFiles = Collections.unmodifiableSortedMap(new TreeMap<>(seedFiles));
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(readiness, "readiness");
    Objects.requireNonNull(startTimeout, "startTimeout");
  }

  /** What to run. */
  public sealed interface Program {
    /**
     * A native executable found on PATH.
     *
     * @param debianPackage the Debian package that provides it, to install when missing
     */
    record Native(String executable, String debianPackage) implements Program {}

    /**
     * A child JVM with its own classpath: the jars of a server distribution (never the control
     * plane's classpath).
     *
     * @param distribution the distribution's name, as built under {@code servers/<name>}
     */
    record Jvm(String distribution, String mainClass, List<String> jvmOptions) implements Program {
      public Jvm {
        jvmOptions = List.copyOf(jvmOptions);
      }
    }
  }

  /** An address the instance listens on. */
  public record Endpoint(String purpose, String host, int port) {
    @Override
    public String toString() {
      return purpose + " " + host + ":" + port;
    }
  }

  /** How to tell an instance is ready. */
  public sealed interface Readiness {
    /** Something accepts TCP connections there. */
    record TcpConnect(String host, int port) implements Readiness {}

    /** A line of the process's output matches. */
    record LogLine(String regex) implements Readiness {}

    /** Redis answers PING with PONG. */
    record RedisPing(String host, int port) implements Readiness {}

    /**
     * ZooKeeper's {@code srvr} command says it serves as leader or follower (it is in a quorum).
     */
    record ZooKeeperServing(String host, int port) implements Readiness {}

    /** An HTTP GET answers 200 with a body containing a text. */
    record HttpOk(String url, String bodyContains) implements Readiness {}

    /** Every check passes. */
    record AllOf(List<Readiness> checks) implements Readiness {
      public AllOf {
        checks = List.copyOf(checks);
      }
    }
  }
}
