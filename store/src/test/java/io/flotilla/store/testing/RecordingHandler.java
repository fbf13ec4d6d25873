package io.flotilla.store.testing;

import static io.flotilla.store.testing.Waits.eventually;

import io.flotilla.api.KubeObject;
import io.flotilla.store.StoreHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StoreHandler} that records every call, with the thread it came on, for tests to wait for
 * and inspect.
 */
public final class RecordingHandler implements StoreHandler {
  /** One call: the change, the object and the thread that delivered it. */
  public record Event(Change change, KubeObject object, Thread thread) {
    /** The object's resourceVersion as a number. */
    public long version() {
      return Long.parseLong(object.resourceVersion().orElseThrow());
    }

    /** "MODIFIED Middleware ns/name". */
    public String summary() {
      return change + " " + object.ref();
    }

    @Override
    public String toString() {
      return summary() + " @" + object.resourceVersion().orElse("?");
    }
  }

  private final List<Event> events = new ArrayList<>();

  @Override
  public void onChange(Change change, KubeObject object) {
    synchronized (events) {
      events.add(new Event(change, object, Thread.currentThread()));
    }
  }

  /** The calls so far. */
  public List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Each call so far as {@link Event#summary()}. */
  public List<String> summaries() {
    return events().stream().map(Event::summary).toList();
  }

  /** Waits until at least {@code count} calls came, and returns them all. */
  public List<Event> awaitEvents(int count) {
    eventually()
        .until(
            () -> {
              synchronized (events) {
                return events.size() >= count;
              }
            });
    return events();
  }
}
