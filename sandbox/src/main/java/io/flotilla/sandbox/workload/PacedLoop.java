package io.flotilla.sandbox.workload;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step over and over on a daemon thread, with a pause between steps, from {@link #start}
 * until {@link #stop}; stopping lets the step in flight finish. A step that throws is logged and
 * the loop goes on: a workload keeps trying through errors.
 */
final class PacedLoop {
  private static final Logger LOG = LoggerFactory.getLogger(PacedLoop.class);

  private final String name;
  private final Duration pause;
  private final Runnable step;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private Thread thread;

  /**
   * @param name the thread's name, also in logs
   * @param pause the pause after each step
   * @param step one operation; it handles its own errors
   */
  PacedLoop(String name, Duration pause, Runnable step) {
    this.name = name;
    this.pause = pause;
    this.step = step;
  }

  /**
   * @throws IllegalStateException when started before
   */
  synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException(name + ": already started");
    }
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** True from {@link #start} until the loop has ended. */
  synchronized boolean running() {
    return thread != null && thread.isAlive();
  }

  private void run() {
    try {
      while (stopping.getCount() > 0) {
        try {
          step.run();
        } catch (RuntimeException e) {
          LOG.atWarn().addKeyValue("loop", name).setCause(e).log("workload step failed");
        }
        if (stopping.await(pause.toNanos(), TimeUnit.NANOSECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Asks the loop to end after the step in flight, and waits for that; warns when it did not end in
   * time.
   *
   * @return false when the step was still running after {@code wait}
   */
  boolean stop(Duration wait) {
    stopping.countDown();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t == null || t == Thread.currentThread()) {
      return true;
    }
    try {
      t.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      LOG.atWarn()
          .addKeyValue("loop", name)
          .addKeyValue("waited", wait)
          .log("workload: the step in flight did not finish");
      return false;
    }
    return true;
  }
}
