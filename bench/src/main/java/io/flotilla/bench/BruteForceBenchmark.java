package io.flotilla.bench;

import io.flotilla.scheduler.ScheduleResult;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.scheduler.spread.EvenSpread;
import io.flotilla.scheduler.testing.BruteForceSpread;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The talk's enumeration of every distribution beside the polynomial spread, on the same decisions,
 * at the sizes where enumeration finishes (one master and one slave per cluster, 5 sentinels). Both
 * place the same replicas; the difference is only the time taken.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class BruteForceBenchmark {
  @Param({"4", "6", "8", "10", "12"})
  public int clusters;

  @Param({"FRESH", "SCALE_UP", "FAILOVER"})
  public Scenario.Kind kind;

  private Scenario scenario;
  private final Scheduler polynomial = new Scheduler(Scheduler.defaultFilters(), EvenSpread::place);
  private final Scheduler enumeration =
      new Scheduler(Scheduler.defaultFilters(), p -> new BruteForceSpread().place(p));

  @Setup(Level.Trial)
  public void setUp() {
    scenario = Scenario.of(kind, clusters, 1, 42);
    ScheduleResult a = polynomial();
    ScheduleResult b = enumeration();
    if (!a.placement().equals(b.placement())) {
      throw new IllegalStateException(
          "placements differ: " + a.placement() + " vs " + b.placement());
    }
  }

  @Benchmark
  public ScheduleResult polynomial() {
    return polynomial.schedule(scenario.spec(), scenario.clusters(), scenario.previous());
  }

  @Benchmark
  public ScheduleResult enumeration() {
    return enumeration.schedule(scenario.spec(), scenario.clusters(), scenario.previous());
  }
}
