package io.flotilla.store.file;

import io.flotilla.store.file.FileLeaderElection.Timing;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A child process for {@link FileLeaderElectionKillTest}: campaigns in {@code args[0]} as {@code
 * args[1]} with a lease of {@code args[2]} ms renewed every {@code args[3]} ms, tried for every
 * {@code args[4]} ms; prints {@code LEADING <term>} and {@code LOST <term>}; runs until killed.
 */
public final class LeaderMain {
  private LeaderMain() {}

  public static void main(String[] args) throws InterruptedException {
    Timing timing =
        new Timing(
            Duration.ofMillis(Long.parseLong(args[2])),
            Duration.ofMillis(Long.parseLong(args[3])),
            Duration.ofMillis(Long.parseLong(args[4])));
    FileLeaderElection election =
        FileLeaderElection.withOwnThread(Path.of(args[0]), args[1], Clock.systemUTC(), timing);
    election.start(
        () -> {
          System.out.println("LEADING " + election.term());
          System.out.flush();
        },
        () -> {
          System.out.println("LOST " + election.term());
          System.out.flush();
        });
    Thread.currentThread().join();
  }
}
