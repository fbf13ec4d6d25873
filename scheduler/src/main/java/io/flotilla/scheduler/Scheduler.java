package io.flotilla.scheduler;

import io.flotilla.api.MemberCluster;
import io.flotilla.api.Middleware;
import io.flotilla.api.MiddlewareSpec;
import io.flotilla.scheduler.filter.ClusterNamesFilter;
import io.flotilla.scheduler.filter.LabelSelectorFilter;
import io.flotilla.scheduler.filter.ReadyFilter;
import io.flotilla.scheduler.filter.ResourceSummaryFilter;
import io.flotilla.scheduler.filter.TaintTolerationFilter;
import io.flotilla.scheduler.spread.EvenSpread;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The federation scheduler (DESIGN.md §4): places a whole middleware resource at once — every role,
 * or nothing — over the member clusters, keeping replicas on healthy clusters where they are. Pure:
 * it reads immutable snapshots and returns a value; the same inputs always give the same decision.
 *
 * <p>A decision is: filter the clusters into candidates (each {@link FilterPlugin} may pass,
 * restrict or reject a cluster), then place the roles in spec order, each with its spread (even
 * spread by headroom, static weights, Duplicated, or a placement pinned by hand), charging what a
 * role takes against the clusters' free resources before the next role is placed. Then shards are
 * assigned and the voter roles' survivability is reported.
 */
public final class Scheduler {
  private final List<FilterPlugin> filters;
  private final DividedSpread evenSpread;

  /**
   * @param filters the filter plugins, run in order
   * @param evenSpread places roles divided evenly by headroom (normally {@link EvenSpread})
   */
  public Scheduler(List<FilterPlugin> filters, DividedSpread evenSpread) {
    this.filters = List.copyOf(filters);
    this.evenSpread = Objects.requireNonNull(evenSpread, "evenSpread");
  }

  /** The filters in their standard order: Ready, names, labels, taints, resource summary. */
  public static Scheduler withDefaultPlugins() {
    return new Scheduler(defaultFilters(), EvenSpread::place);
  }

  public static List<FilterPlugin> defaultFilters() {
    return List.of(
        new ReadyFilter(),
        new ClusterNamesFilter(),
        new LabelSelectorFilter(),
        new TaintTolerationFilter(),
        new ResourceSummaryFilter());
  }

  public List<FilterPlugin> filters() {
    return filters;
  }

  public ScheduleResult schedule(
      Middleware middleware, List<MemberCluster> clusters, PreviousPlacement previous) {
    return schedule(
        middleware.spec(), clusters.stream().map(ClusterSnapshot::of).toList(), previous);
  }

  /**
   * Decides where every replica of {@code spec} goes.
   *
   * @param clusters every member cluster, in any order; names must be unique
   * @param previous where the replicas were ({@link PreviousPlacement#NONE} for a new resource)
   */
  public ScheduleResult schedule(
      MiddlewareSpec spec, List<ClusterSnapshot> clusters, PreviousPlacement previous) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(previous, "previous");
    Set<String> names = new HashSet<>();
    for (ClusterSnapshot c : clusters) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("duplicate member cluster name " + c.name());
      }
    }
    List<ClusterSnapshot> sorted =
        clusters.stream().sorted(Comparator.comparing(ClusterSnapshot::name)).toList();
    return new SchedulingPass(spec, sorted, previous, filters, evenSpread).run();
  }
}
