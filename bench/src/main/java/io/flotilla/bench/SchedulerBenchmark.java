package io.flotilla.bench;

import io.flotilla.scheduler.ScheduleResult;
import io.flotilla.scheduler.Scheduler;
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
 * One scheduling decision for a 3-role resource (2 masters and 2 slaves per cluster on average, 5
 * sentinels): fresh, scale-up by half, and failover of the busiest cluster, over 10, 100 and 1,000
 * clusters. Targets (issue 2): at most 100 µs per decision at 100 clusters, 1 ms at 1,000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SchedulerBenchmark {
  @Param({"10", "100", "1000"})
  public int clusters;

  @Param({"FRESH", "SCALE_UP", "FAILOVER"})
  public Scenario.Kind kind;

  private Scenario scenario;
  private final Scheduler scheduler = Scheduler.withDefaultPlugins();

  @Setup(Level.Trial)
  public void setUp() {
    scenario = Scenario.of(kind, clusters, 2, 42);
    ScheduleResult check = schedule();
    if (!check.scheduled()) {
      throw new IllegalStateException(
          kind + " over " + clusters + " must schedule: " + check.unschedulable());
    }
  }

  @Benchmark
  public ScheduleResult schedule() {
    return scheduler.schedule(scenario.spec(), scenario.clusters(), scenario.previous());
  }
}
