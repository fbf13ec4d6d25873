package io.flotilla.cluster;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A member that hands every call to another one; subclasses change the calls they care about (a
 * connection whose closing ends only its own watches, a member that counts what is asked of it).
 */
public abstract class ForwardingMember implements Member {
  private final Member delegate;

  protected ForwardingMember(Member delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** The member the calls go to. */
  protected final Member delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public KubeObject apply(KubeObject desired) {
    return delegate.apply(desired);
  }

  @Override
  public boolean delete(ObjectRef ref) {
    return delegate.delete(ref);
  }

  @Override
  public Optional<KubeObject> get(ObjectRef ref) {
    return delegate.get(ref);
  }

  @Override
  public List<KubeObject> list(
      String apiVersion, String kind, String namespace, Map<String, String> labels) {
    return delegate.list(apiVersion, kind, namespace, labels);
  }

  @Override
  public List<PodStatus> pods(String namespace, Map<String, String> labels) {
    return delegate.pods(namespace, labels);
  }

  @Override
  public MemberWatch watch(
      String apiVersion,
      String kind,
      String namespace,
      Map<String, String> labels,
      WatchHandler handler) {
    return delegate.watch(apiVersion, kind, namespace, labels, handler);
  }

  @Override
  public ProbeResult probe(Duration timeout) {
    return delegate.probe(timeout);
  }

  @Override
  public ResourceUsage resources() {
    return delegate.resources();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
