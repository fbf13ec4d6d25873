package io.flotilla.propagation;

import io.flotilla.api.ObjectRef;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resource versions of the objects a component wrote itself, so that the watch events its own
 * writes cause do not start another pass: the pass that wrote an object already acted on what it
 * wrote. An event for a version not recorded here (another writer's, a replay after a restart, or
 * one that arrived before its writer recorded it) is not an echo.
 *
 * <p>Each object keeps its last {@value #KEPT} recorded versions (a pass writes a spec and then a
 * status, two versions); a record is consumed by its event, so what is held is the writes whose
 * events are still in flight, plus at most {@value #KEPT} per object whose event came first.
 */
final class OwnWrites {
  static final int KEPT = 2;

  private final Map<ObjectRef, Deque<String>> written = new ConcurrentHashMap<>();

  /** Records that this component wrote {@code ref} at {@code version}. */
  void wrote(ObjectRef ref, String version) {
    written.compute(
        ref,
        (r, versions) -> {
          Deque<String> v = versions == null ? new ArrayDeque<>(KEPT) : versions;
          if (v.size() == KEPT) {
            v.removeFirst();
          }
          v.addLast(version);
          return v;
        });
  }

  /**
   * Whether an event showing {@code ref} at {@code version} is the echo of a recorded write; the
   * record, and any older one of the same object, is forgotten.
   */
  boolean echo(ObjectRef ref, String version) {
    boolean[] found = {false};
    written.computeIfPresent(
        ref,
        (r, versions) -> {
          if (versions.contains(version)) {
            found[0] = true;
            // events come in order: the records older than the echoed one are past too
            String oldest;
            do {
              oldest = versions.removeFirst();
            } while (!oldest.equals(version));
          }
          return versions.isEmpty() ? null : versions;
        });
    return found[0];
  }

  /** Forgets every record of {@code ref} (it was deleted). */
  void forget(ObjectRef ref) {
    written.remove(ref);
  }

  /** Objects with a record held, for tests. */
  int held() {
    return written.size();
  }
}
