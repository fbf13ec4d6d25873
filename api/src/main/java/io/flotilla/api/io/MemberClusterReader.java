package io.flotilla.api.io;

import io.flotilla.api.ClusterAccess;
import io.flotilla.api.Condition;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.Limits;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.MemberClusterSpec;
import io.flotilla.api.MemberClusterStatus;
import io.flotilla.api.Names;
import io.flotilla.api.ObjectMeta;
import io.flotilla.api.Problems;
import io.flotilla.api.Quantity;
import io.flotilla.api.ResourceList;
import io.flotilla.api.ResourceSummary;
import io.flotilla.api.Taint;
import io.flotilla.api.TaintEffect;
import io.flotilla.api.io.CommonReaders.Bounds;
import io.flotilla.api.io.CommonReaders.NameRule;
import io.flotilla.api.io.CommonReaders.Scope;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and validates a {@code MemberCluster}. */
public final class MemberClusterReader {
  private static final Bounds CLUSTER_BOUNDS =
      new Bounds(Limits.MAX_CLUSTER_CPU_MILLIS, Limits.MAX_CLUSTER_MEMORY_BYTES);

  private MemberClusterReader() {}

  public static Decoded<MemberCluster> read(Manifest manifest) {
    Problems problems = new Problems();
    Optional<Fields> rootOpt = Fields.of(manifest.node(), "", problems);
    if (rootOpt.isEmpty()) {
      return new Decoded<>(Optional.empty(), problems.list());
    }
    Fields root = rootOpt.get();
    CommonReaders.header(root, MemberCluster.KIND);
    Optional<ObjectMeta> meta = CommonReaders.metadata(root, Scope.CLUSTER, NameRule.DNS_SUBDOMAIN);
    MemberClusterSpec spec =
        root.object("spec").map(MemberClusterReader::spec).orElse(new MemberClusterSpec(List.of()));
    MemberClusterStatus status =
        root.object("status").map(MemberClusterReader::status).orElse(MemberClusterStatus.empty());
    root.rejectUnknown();
    if (!problems.isEmpty() || meta.isEmpty()) {
      return new Decoded<>(Optional.empty(), problems.list());
    }
    return new Decoded<>(Optional.of(new MemberCluster(meta.get(), spec, status)), List.of());
  }

  /** A value read from a list, with the path of its element. */
  private record At<T>(T value, String path) {}

  private static MemberClusterSpec spec(Fields spec) {
    List<At<Taint>> taints = new ArrayList<>();
    for (Fields t : spec.objectList("taints")) {
      Optional<String> key = t.requiredString("key");
      key.flatMap(Names::checkQualifiedName).ifPresent(r -> t.problems().add(t.path("key"), r));
      String value = t.string("value").orElse("");
      Names.checkLabelValue(value).ifPresent(r -> t.problems().add(t.path("value"), r));
      Optional<TaintEffect> effect = CommonReaders.effect(t, "effect", true);
      t.ignore("timeAdded");
      t.rejectUnknown();
      if (key.isPresent() && effect.isPresent()) {
        taints.add(new At<>(new Taint(key.get(), value, effect.get()), t.path()));
      }
    }
    CommonReaders.rejectDuplicates(
        taints,
        t -> t.value().key() + ":" + t.value().effect(),
        At::path,
        "taint",
        spec.problems());
    Optional<ClusterAccess> access = spec.object("access").flatMap(MemberClusterReader::access);
    spec.rejectUnknown();
    return new MemberClusterSpec(access, taints.stream().map(At::value).toList());
  }

  /** Exactly one of kubeconfigSecret {namespace, name, key}, kubeconfigFile {path} or local {}. */
  private static Optional<ClusterAccess> access(Fields a) {
    Optional<ClusterAccess> secret =
        a.object("kubeconfigSecret").flatMap(MemberClusterReader::secret);
    Optional<ClusterAccess> file =
        a.object("kubeconfigFile")
            .flatMap(
                f -> {
                  Optional<String> path = f.requiredString("path");
                  f.rejectUnknown();
                  return path.map(ClusterAccess.KubeconfigFile::new);
                });
    Optional<ClusterAccess> local =
        a.object("local")
            .map(
                l -> {
                  l.rejectUnknown();
                  return new ClusterAccess.Local();
                });
    long ways =
        java.util.stream.Stream.of("kubeconfigSecret", "kubeconfigFile", "local")
            .filter(a::has)
            .count();
    a.rejectUnknown();
    if (ways != 1) {
      a.problems()
          .add(a.path(), "must give exactly one of kubeconfigSecret, kubeconfigFile or local");
      return Optional.empty();
    }
    return secret.or(() -> file).or(() -> local);
  }

  private static Optional<ClusterAccess> secret(Fields s) {
    Optional<String> name = s.requiredString("name");
    name.flatMap(Names::checkDnsSubdomain).ifPresent(r -> s.problems().add(s.path("name"), r));
    String namespace = s.string("namespace").orElse(ClusterAccess.DEFAULT_NAMESPACE);
    Names.checkDnsLabel(namespace).ifPresent(r -> s.problems().add(s.path("namespace"), r));
    String key = s.string("key").orElse(ClusterAccess.DEFAULT_KEY);
    if (key.isEmpty()) {
      s.problems().add(s.path("key"), "must not be empty");
    }
    s.rejectUnknown();
    return name.map(n -> new ClusterAccess.KubeconfigSecret(namespace, n, key));
  }

  private static MemberClusterStatus status(Fields status) {
    List<At<Condition>> conditions = new ArrayList<>();
    for (Fields c : status.objectList("conditions")) {
      condition(c).ifPresent(v -> conditions.add(new At<>(v, c.path())));
    }
    CommonReaders.rejectDuplicates(
        conditions, c -> c.value().type(), At::path, "condition type", status.problems());
    Optional<ResourceSummary> summary =
        status.object("resourceSummary").map(MemberClusterReader::summary);
    status.rejectUnknown();
    return new MemberClusterStatus(conditions.stream().map(At::value).toList(), summary);
  }

  private static Optional<Condition> condition(Fields c) {
    Optional<String> type = c.requiredString("type");
    Optional<ConditionStatus> st =
        CommonReaders.enumValue(c, "status", ConditionStatus.class, true);
    String reason = c.string("reason").orElse("");
    String message = c.string("message").orElse("");
    Optional<Instant> transition = time(c, "lastTransitionTime");
    Optional<Instant> heartbeat = time(c, "lastHeartbeatTime");
    c.ignore("observedGeneration");
    c.rejectUnknown();
    if (type.isEmpty() || st.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Condition(type.get(), st.get(), reason, message, transition, heartbeat));
  }

  private static Optional<Instant> time(Fields f, String key) {
    Optional<String> s = f.string(key);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(s.get()));
    } catch (DateTimeParseException e) {
      f.problems()
          .add(
              f.path(key),
              "must be an RFC 3339 time such as 2026-11-26T12:00:00Z, got \"" + s.get() + "\"");
      return Optional.empty();
    }
  }

  private static ResourceSummary summary(Fields s) {
    if (!s.has("allocatable")) {
      s.problems().add(s.path("allocatable"), "required");
    }
    ResourceList allocatable = CommonReaders.resourceList(s, "allocatable", CLUSTER_BOUNDS);
    ResourceList allocated = CommonReaders.resourceList(s, "allocated", CLUSTER_BOUNDS);
    if (s.has("allocatable")) {
      for (String r : List.of(ResourceList.CPU, ResourceList.MEMORY)) {
        String p = Fields.child(s.path("allocatable"), r);
        Optional<Quantity> q = allocatable.get(r);
        if (q.isEmpty() && !s.problems().list().stream().anyMatch(x -> x.path().equals(p))) {
          s.problems().add(p, "required: the scheduler places replicas by cpu and memory");
        } else if (q.isPresent() && q.get().value().signum() == 0) {
          s.problems().add(p, "must be greater than 0");
        }
      }
    }
    s.rejectUnknown();
    return new ResourceSummary(allocatable, allocated);
  }
}
