package io.flotilla.cluster.testing;

import io.flotilla.cluster.Member;
import io.flotilla.cluster.kubernetes.KubernetesMemberOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Several member clusters for tests, each a fabric8 mock API server in CRUD mode on 127.0.0.1 (one
 * port each), with a kubeconfig and a {@link io.flotilla.cluster.kubernetes.KubernetesMember} built
 * from it.
 *
 * <p>Use it as a JUnit 5 extension on a static field, which starts the servers once for the class,
 * gives every test a clean slate (stopped servers started again, every object deleted), and stops
 * them after the class:
 *
 * <pre>{@code
 * @RegisterExtension static final MockMembers MEMBERS = MockMembers.start("dc1", "dc2", "dc3");
 * }</pre>
 *
 * or on its own, closed with try-with-resources.
 *
 * <p>The mock server differs from a real API server: no server-side apply (415 for an apply patch
 * to an existing object, 404 for an absent one), no defaulting or validation, a watch sends current
 * objects first whatever resourceVersion it is given, a create that collides answers 409 with
 * reason Invalid rather than AlreadyExists, no authentication, and API discovery only for built-in
 * kinds and kinds registered with {@link MockMember#serveKind}.
 */
public final class MockMembers implements AutoCloseable, BeforeEachCallback, AfterAllCallback {
  private final Map<String, MockMember> members = new LinkedHashMap<>();

  private MockMembers(KubernetesMemberOptions options, String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("name at least one member");
    }
    try {
      for (String name : names) {
        if (members.containsKey(name)) {
          throw new IllegalArgumentException("member " + name + " named twice");
        }
        members.put(name, new MockMember(name, options));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts one mock server per name, with {@link #testOptions()}. */
  public static MockMembers start(String... names) {
    return new MockMembers(testOptions(), names);
  }

  public static MockMembers start(KubernetesMemberOptions options, String... names) {
    return new MockMembers(options, names);
  }

  /**
   * Short timeouts for tests on loopback: 1 s to connect, 5 s per request, a broken watch reopened
   * twice 100 ms apart.
   */
  public static KubernetesMemberOptions testOptions() {
    return new KubernetesMemberOptions(
        Duration.ofSeconds(1), Duration.ofSeconds(5), 2, Duration.ofMillis(100));
  }

  public MockMember get(String name) {
    MockMember m = members.get(name);
    if (m == null) {
      throw new IllegalArgumentException("no member " + name + "; there are " + members.keySet());
    }
    return m;
  }

  /** Every member, in the order named. */
  public List<MockMember> all() {
    return List.copyOf(members.values());
  }

  /** Every member as Flotilla sees it, in the order named. */
  public List<Member> members() {
    List<Member> out = new ArrayList<>();
    members.values().forEach(m -> out.add(m.member()));
    return out;
  }

  /** Starts stopped servers (their data lost) and deletes every object: a clean slate. */
  @Override
  public void beforeEach(ExtensionContext context) {
    for (MockMember m : members.values()) {
      if (!m.running()) {
        m.start(MockMember.Data.LOST);
      }
      m.reset();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    for (MockMember m : members.values()) {
      m.close();
    }
  }
}
