package io.flotilla.controller;

import io.flotilla.api.ApiVersion;
import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.propagation.ResourceBinding;
import io.flotilla.store.ObjectStore;
import io.flotilla.store.ParsedCache;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A share's readiness as the member clusters report it: each StatefulSet's copy carries the share's
 * revision, its controller has observed its generation, and all its replicas are ready (the pods'
 * readiness probes are the adapter's checks). A copy the propagation engine could not apply (its
 * binding row's last error) is a failure.
 */
public final class MemberShareReadiness implements ShareReadiness {
  private final ObjectStore store;
  private final Function<String, Optional<Member>> members;

  /**
   * Each binding's last errors by cluster, with the version they were read from: a pass checks
   * every share's bindings, and a binding is parsed again only when it changed.
   */
  private final ParsedCache<Map<String, String>> bindingErrors = new ParsedCache<>(BINDINGS);

  static final int BINDINGS = 4_096;

  /**
   * @param members the connected member of a cluster, by name (empty when not connected)
   */
  public MemberShareReadiness(ObjectStore store, Function<String, Optional<Member>> members) {
    this.store = store;
    this.members = members;
  }

  @Override
  public Report check(String cluster, List<ObjectRef> statefulSets, String revision) {
    for (ObjectRef sts : statefulSets) {
      Optional<String> error = bindingError(sts, cluster);
      if (error.isPresent()) {
        return new Report(State.FAILED, sts.kind() + " " + sts.name() + ": " + error.get());
      }
    }
    Optional<Member> member = members.apply(cluster);
    if (member.isEmpty()) {
      return new Report(State.UNREACHABLE, "member " + cluster + " is not connected");
    }
    try {
      String started = "";
      for (ObjectRef sts : statefulSets) {
        Optional<KubeObject> copy = member.get().get(sts);
        if (copy.isEmpty()) {
          return new Report(State.PENDING, "StatefulSet " + sts.name() + " not created yet");
        }
        KubeObject c = copy.get();
        String at = c.annotations().getOrDefault(DesiredState.REVISION, "");
        if (!at.equals(revision)) {
          return new Report(
              State.PENDING,
              "StatefulSet " + sts.name() + " at revision " + at + ", not yet " + revision);
        }
        JsonNode status = c.at("/status");
        long observed = status.path("observedGeneration").asLong(0);
        if (observed < c.generation()) {
          return new Report(State.PENDING, "StatefulSet " + sts.name() + " not observed yet");
        }
        int want = c.at("/spec/replicas").asInt(1);
        int ready = status.path("readyReplicas").asInt(0);
        if (ready < want) {
          String message = "StatefulSet " + sts.name() + ": " + ready + " of " + want + " ready";
          if (status.path("replicas").asInt(0) < want) {
            return new Report(State.PENDING, message);
          }
          started = started.isEmpty() ? message : started;
        }
      }
      return started.isEmpty() ? Report.READY : new Report(State.STARTED, started);
    } catch (MemberException e) {
      return new Report(State.UNREACHABLE, e.getMessage());
    }
  }

  private Optional<String> bindingError(ObjectRef template, String cluster) {
    ObjectRef binding =
        new ObjectRef(
            ApiVersion.API_VERSION,
            ResourceBinding.KIND,
            template.namespace(),
            ResourceBinding.nameFor(template));
    return bindingErrors
        .read(store, binding, b -> Optional.of(lastErrors(b)))
        .flatMap(errors -> Optional.ofNullable(errors.get(cluster)));
  }

  /** Cluster → the last error of its row, for the rows that have one. */
  private static Map<String, String> lastErrors(KubeObject binding) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode row : binding.at("/status/clusters")) {
      String error = row.path("lastError").asString("");
      if (!error.isEmpty()) {
        out.putIfAbsent(row.path("name").asString(""), error);
      }
    }
    return out.isEmpty() ? Map.of() : out;
  }

  @Override
  public boolean fenced(String cluster, List<ObjectRef> objects) {
    Optional<Member> member = members.apply(cluster);
    if (member.isEmpty()) {
      return false;
    }
    try {
      for (ObjectRef o : objects) {
        if (member.get().get(o).isPresent()) {
          return false;
        }
      }
      return true;
    } catch (MemberException e) {
      return false;
    }
  }
}
