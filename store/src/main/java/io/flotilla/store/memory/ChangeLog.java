package io.flotilla.store.memory;

import io.flotilla.store.GroupKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The latest changes of a store, at most {@code capacity} of them, in version order. Every version
 * up to {@link #compacted()} is forgotten; every later one is kept. Not thread-safe: the store
 * guards it.
 */
final class ChangeLog {
  private final int capacity;
  private final ArrayDeque<StoreEvent> events = new ArrayDeque<>();
  private long compacted;

  /**
   * @param capacity how many changes to keep (0: none, a watch can only start from the present)
   * @param start the version before the first change to come
   */
  ChangeLog(int capacity, long start) {
    if (capacity < 0) {
      throw new IllegalArgumentException("a history keeps 0 or more changes, not " + capacity);
    }
    this.capacity = capacity;
    this.compacted = start;
  }

  void append(StoreEvent event) {
    if (capacity == 0) {
      compacted = event.version();
      return;
    }
    if (events.size() == capacity) {
      compacted = events.removeFirst().version();
    }
    events.addLast(event);
  }

  /** The newest version whose change is forgotten: watches must start from it or later. */
  long compacted() {
    return compacted;
  }

  /** The kept changes of {@code kind} after {@code version}, oldest first. */
  List<StoreEvent> after(long version, GroupKind kind) {
    List<StoreEvent> out = new ArrayList<>();
    Iterator<StoreEvent> newestFirst = events.descendingIterator();
    while (newestFirst.hasNext()) {
      StoreEvent e = newestFirst.next();
      if (e.version() <= version) {
        break;
      }
      if (e.kind().equals(kind)) {
        out.add(e);
      }
    }
    Collections.reverse(out);
    return out;
  }
}
