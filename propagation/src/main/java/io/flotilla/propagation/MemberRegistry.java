package io.flotilla.propagation;

import io.flotilla.api.ClusterAccess;
import io.flotilla.api.ConditionStatus;
import io.flotilla.api.KubeObject;
import io.flotilla.api.MemberCluster;
import io.flotilla.api.MemberClusterStatus;
import io.flotilla.api.io.Decoded;
import io.flotilla.api.io.Manifest;
import io.flotilla.api.io.MemberClusterReader;
import io.flotilla.cluster.Member;
import io.flotilla.cluster.MemberException;
import io.flotilla.propagation.render.ClusterInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member clusters as the engine sees them: every MemberCluster in the store, with a live {@link
 * Member} for those that say how to reach them. Follows the store: a new or changed MemberCluster
 * (re)connects, a deleted one disconnects. Connection failures are kept as the reason the member is
 * missing.
 */
final class MemberRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemberRegistry.class);

  /** What the registry holds for one MemberCluster. */
  record Entry(
      MemberCluster cluster,
      Optional<ClusterAccess> access,
      Optional<Member> member,
      Optional<MemberException> failure,
      ClusterInfo info) {
    Entry(
        MemberCluster cluster,
        Optional<ClusterAccess> access,
        Optional<Member> member,
        Optional<MemberException> failure) {
      // made once per change of the cluster, not once per template rendered
      this(
          cluster,
          access,
          member,
          failure,
          ClusterInfo.of(cluster.name(), cluster.metadata().labels()));
    }

    /**
     * Why the engine leaves this cluster alone for now: its MemberCluster says {@code Ready=False}
     * (the health monitor found it unreachable), or nothing when it is Ready or not known to be
     * otherwise.
     */
    Optional<String> notReady() {
      return cluster
          .status()
          .condition(MemberClusterStatus.READY)
          .filter(c -> c.status() == ConditionStatus.False)
          .map(
              c ->
                  "member cluster "
                      + cluster.name()
                      + " is not Ready ("
                      + c.reason()
                      + (c.message().isEmpty() ? "" : ": " + c.message())
                      + "); its copies wait until it is");
    }
  }

  /** Told when a member connects, disconnects, changes labels or turns Ready again. */
  interface Listener {
    void onMembersChanged(String cluster);
  }

  private final MemberFactory factory;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  MemberRegistry(MemberFactory factory) {
    this.factory = factory;
  }

  void addListener(Listener l) {
    listeners.add(l);
  }

  /** Takes in a MemberCluster object from the store (added or changed). */
  void update(KubeObject object) {
    Decoded<MemberCluster> d =
        MemberClusterReader.read(new Manifest("store", object.ref().toString(), object.json()));
    if (d.value().isEmpty()) {
      LOG.warn("member cluster {} is invalid and is ignored: {}", object.name(), d.problems());
      remove(object.name());
      return;
    }
    MemberCluster mc = d.value().get();
    Optional<ClusterAccess> access = mc.spec().access();
    Entry old = entries.get(mc.name());
    if (old != null && old.access().equals(access) && old.member().isPresent()) {
      Entry now = new Entry(mc, access, old.member(), old.failure());
      entries.put(mc.name(), now);
      if (!old.cluster().metadata().labels().equals(mc.metadata().labels())
          || (old.notReady().isPresent() && now.notReady().isEmpty())) {
        // a cluster Ready again gets what waited for it: copies to apply, copies to delete
        notifyChanged(mc.name());
      }
      return;
    }
    if (old != null) {
      old.member().ifPresent(Member::close);
    }
    connect(mc);
  }

  private void connect(MemberCluster mc) {
    Optional<ClusterAccess> access = mc.spec().access();
    Optional<Member> member = Optional.empty();
    Optional<MemberException> failure = Optional.empty();
    if (access.isPresent()) {
      try {
        member = Optional.of(factory.connect(mc.name(), access.get()));
        LOG.info("member cluster {} connected through {}", mc.name(), access.get());
      } catch (MemberException e) {
        failure = Optional.of(e);
        if (failsAsBefore(entries.get(mc.name()), mc, e)) {
          // a heartbeat of a member that still cannot be reached: nothing changed, no resync
          LOG.debug("member cluster {} still cannot be reached: {}", mc.name(), e.getMessage());
          entries.put(mc.name(), new Entry(mc, access, member, failure));
          return;
        }
        LOG.warn("member cluster {} cannot be reached: {}", mc.name(), e.getMessage());
      }
    }
    entries.put(mc.name(), new Entry(mc, access, member, failure));
    notifyChanged(mc.name());
  }

  /** Whether the cluster failed before with the same access, labels and reason. */
  private static boolean failsAsBefore(Entry old, MemberCluster mc, MemberException e) {
    return old != null
        && old.member().isEmpty()
        && old.access().equals(mc.spec().access())
        && old.cluster().metadata().labels().equals(mc.metadata().labels())
        && old.failure().map(f -> f.getMessage().equals(e.getMessage())).orElse(false);
  }

  /** Reconnects the members whose kubeconfig is in the given Secret (it changed). */
  void reconnectUsing(String namespace, String name) {
    for (Entry e : List.copyOf(entries.values())) {
      if (e.access().orElse(null) instanceof ClusterAccess.KubeconfigSecret s
          && s.namespace().equals(namespace)
          && s.name().equals(name)) {
        Entry old = entries.remove(e.cluster().name());
        if (old != null) {
          old.member().ifPresent(Member::close);
        }
        connect(e.cluster());
      }
    }
  }

  /** Forgets a member cluster (its object was deleted). */
  void remove(String name) {
    Entry old = entries.remove(name);
    if (old != null) {
      old.member().ifPresent(Member::close);
      notifyChanged(name);
    }
  }

  private void notifyChanged(String name) {
    listeners.forEach(l -> l.onMembersChanged(name));
  }

  Optional<Member> member(String name) {
    Entry e = entries.get(name);
    return e == null ? Optional.empty() : e.member();
  }

  Optional<Entry> entry(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** Every known member cluster with its labels, for policy matching. */
  List<ClusterInfo> clusters() {
    List<ClusterInfo> out = new ArrayList<>();
    entries.values().forEach(e -> out.add(e.info()));
    return out;
  }

  /** A known member cluster with its labels. */
  Optional<ClusterInfo> info(String name) {
    Entry e = entries.get(name);
    return e == null ? Optional.empty() : Optional.of(e.info());
  }

  /** Why the engine leaves a cluster alone for now ({@link Entry#notReady}). */
  Optional<String> notReady(String name) {
    Entry e = entries.get(name);
    return e == null ? Optional.empty() : e.notReady();
  }

  /** Why a cluster has no live member, for status rows. */
  String whyMissing(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      return "no MemberCluster named " + name;
    }
    if (e.access().isEmpty()) {
      return "MemberCluster " + name + " says nothing of how to reach it (spec.access)";
    }
    return e.failure().map(MemberException::getMessage).orElse("not connected");
  }

  List<Member> members() {
    return entries.values().stream().flatMap(e -> e.member().stream()).toList();
  }

  @Override
  public void close() {
    entries.values().forEach(e -> e.member().ifPresent(Member::close));
    entries.clear();
  }
}
