package io.flotilla.store.events;

import io.flotilla.api.ObjectRef;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The control plane's events on objects, as {@code kubectl describe} shows them: what happened to a
 * Middleware or a MemberCluster (placed, a cluster lost, rolled out, available, a rollout failed,
 * cordoned), newest last.
 *
 * <p>Kept in memory, not in the store: recording one must cost nothing on the failover path that
 * writes a thousand statuses a second. As Kubernetes' event correlator does, an event that repeats
 * (same object, type, reason, message and source) is not stored twice: its {@code count} goes up
 * and its {@code lastTimestamp} moves. At most {@code capacity} distinct events are kept; the one
 * seen longest ago goes first. A replica that takes over leadership starts with the events it
 * recorded itself.
 *
 * <p>Thread-safe.
 */
public final class EventLog {
  /** Kubernetes' two event types. */
  public enum Type {
    Normal,
    Warning
  }

  /**
   * One event, aggregated over its repetitions.
   *
   * @param involved the object it is about
   * @param source who recorded it ({@code controller}, {@code api}, ...)
   * @param count how many times it happened, first at {@code first}, last at {@code last}
   */
  public record Event(
      ObjectRef involved,
      Type type,
      String reason,
      String message,
      String source,
      int count,
      Instant first,
      Instant last) {
    public Event {
      Objects.requireNonNull(involved, "involved");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(last, "last");
    }
  }

  /** The events kept by default: a few per object for a few thousand objects. */
  public static final int DEFAULT_CAPACITY = 10_000;

  private record Key(ObjectRef involved, Type type, String reason, String message, String source) {}

  private final Clock clock;
  private final int capacity;
  // in order of last occurrence: the first entry is the one seen longest ago
  private final LinkedHashMap<Key, Event> events = new LinkedHashMap<>();

  public EventLog(Clock clock) {
    this(clock, DEFAULT_CAPACITY);
  }

  /**
   * @throws IllegalArgumentException when {@code capacity} is below 1
   */
  public EventLog(Clock clock, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: must be at least 1, was " + capacity);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.capacity = capacity;
  }

  /** Records that something expected happened to {@code involved}. */
  public void normal(ObjectRef involved, String source, String reason, String message) {
    record(involved, Type.Normal, source, reason, message);
  }

  /** Records that something went wrong with {@code involved} (or may). */
  public void warning(ObjectRef involved, String source, String reason, String message) {
    record(involved, Type.Warning, source, reason, message);
  }

  /** Records an event, or counts one more occurrence of the same event. */
  public void record(ObjectRef involved, Type type, String source, String reason, String message) {
    Key key = new Key(involved, type, reason, message, source);
    Instant now = clock.instant();
    synchronized (events) {
      Event seen = events.remove(key);
      events.put(
          key,
          seen == null
              ? new Event(involved, type, reason, message, source, 1, now, now)
              : new Event(
                  involved, type, reason, message, source, seen.count() + 1, seen.first(), now));
      if (events.size() > capacity) {
        Iterator<Key> oldest = events.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
    }
  }

  /** The events about {@code involved}, oldest (by last occurrence) first. */
  public List<Event> of(ObjectRef involved) {
    List<Event> out = new ArrayList<>();
    synchronized (events) {
      for (Map.Entry<Key, Event> e : events.entrySet()) {
        if (e.getKey().involved().equals(involved)) {
          out.add(e.getValue());
        }
      }
    }
    return out;
  }

  /** Every event kept, oldest (by last occurrence) first. */
  public List<Event> all() {
    synchronized (events) {
      return new ArrayList<>(events.values());
    }
  }
}
