package io.flotilla.cluster.health;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.api.Resources;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.cluster.MemberWatch;
import io.flotilla.cluster.PodStatus;
import io.flotilla.cluster.ProbeResult;
import io.flotilla.cluster.ResourceUsage;
import io.flotilla.cluster.WatchHandler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A member that only probes and reports resources, for health tests: each probe takes the next
 * scripted result ("ok", "timeout", "refused", "tls", "unauthorized", or "throw" to throw); the
 * script running out is a test error. Its other operations are not for health tests and fail.
 */
class ScriptedMember implements Member {
  private final String name;
  private final Deque<String> script = new ArrayDeque<>();
  private final AtomicInteger probes = new AtomicInteger();
  private final AtomicInteger summaries = new AtomicInteger();
  private volatile ResourceUsage usage =
      new ResourceUsage(new Resources(8_000, 32L << 30), new Resources(1_500, 4L << 30));

  ScriptedMember(String name, String... results) {
    this.name = name;
    then(results);
  }

  /** Appends results to the script. */
  ScriptedMember then(String... results) {
    synchronized (script) {
      script.addAll(List.of(results));
    }
    return this;
  }

  void reportUsage(ResourceUsage usage) {
    this.usage = usage;
  }

  int probes() {
    return probes.get();
  }

  int summaries() {
    return summaries.get();
  }

  static ProbeResult result(String word) {
    Duration latency = Duration.ofMillis(3);
    return switch (word) {
      case "ok" -> ProbeResult.ok(latency);
      case "timeout" ->
          ProbeResult.failed(FailureReason.TIMEOUT, "no answer within 800ms", latency);
      case "refused" -> ProbeResult.failed(FailureReason.REFUSED, "connection refused", latency);
      case "tls" -> ProbeResult.failed(FailureReason.TLS, "TLS handshake failed", latency);
      case "unauthorized" -> ProbeResult.failed(FailureReason.UNAUTHORIZED, "HTTP 401", latency);
      default -> throw new IllegalArgumentException("no scripted result " + word);
    };
  }

  @Override
  public ProbeResult probe(Duration timeout) {
    probes.incrementAndGet();
    String next;
    synchronized (script) {
      next = script.poll();
    }
    if (next == null) {
      throw new AssertionError("member " + name + " was probed more often than scripted");
    }
    if (next.equals("throw")) {
      throw new IllegalStateException("a bug in the member's probe");
    }
    return result(next);
  }

  @Override
  public ResourceUsage resources() {
    summaries.incrementAndGet();
    return usage;
  }

  @Override
  public String name() {
    return name;
  }

  private MemberException notScripted() {
    return new MemberException(FailureReason.ERROR, "member " + name + " only probes");
  }

  @Override
  public KubeObject apply(KubeObject desired) {
    throw notScripted();
  }

  @Override
  public boolean delete(ObjectRef ref) {
    throw notScripted();
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    throw notScripted();
  }

  @Override
  public List<KubeObject> list(
      String apiVersion, String kind, String namespace, Map<String, String> labels) {
    throw notScripted();
  }

  @Override
  public List<PodStatus> pods(String namespace, Map<String, String> labels) {
    throw notScripted();
  }

  @Override
  public MemberWatch watch(
      String apiVersion,
      String kind,
      String namespace,
      Map<String, String> labels,
      WatchHandler handler) {
    throw notScripted();
  }

  @Override
  public void close() {}
}
