package io.flotilla.store.file;

import io.flotilla.store.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link FileLeaderElection.Scheduler} that runs nothing by itself: {@link #runDue} runs the
 * tasks whose time on the shared {@link MutableClock} has come, so a test decides when each
 * replica's rounds happen (and can hold one back, as a stalled process).
 */
final class ManualScheduler implements FileLeaderElection.Scheduler {
  private final MutableClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private long order;

  private record Task(Instant due, long order, Runnable run) {}

  ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable after(Duration delay, Runnable task) {
    Task t = new Task(clock.instant().plus(delay), order++, task);
    tasks.add(t);
    return () -> {
      synchronized (this) {
        tasks.remove(t);
      }
    };
  }

  /** Runs every task due by now, in time order (tasks they schedule for now included). */
  void runDue() {
    while (true) {
      Optional<Task> due;
      synchronized (this) {
        due =
            tasks.stream()
                .filter(t -> !t.due().isAfter(clock.instant()))
                .min(Comparator.comparing(Task::due).thenComparingLong(Task::order));
        due.ifPresent(tasks::remove);
      }
      if (due.isEmpty()) {
        return;
      }
      due.get().run().run();
    }
  }

  /** How many tasks wait. */
  synchronized int pending() {
    return tasks.size();
  }
}
