package io.flotilla.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.flotilla.api.ReplicaRequirement;
import io.flotilla.api.ShardPlacement;
import io.flotilla.scheduler.spread.EvenSpread;
import io.flotilla.scheduler.spread.RoleProblem;
import io.flotilla.scheduler.spread.SpreadResult;
import io.flotilla.scheduler.testing.BruteForceSpread;
import io.flotilla.scheduler.testing.RandomCase;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The proof that the polynomial even spread finds the talk's optimum: over 10,000 seeded random
 * problems (up to 5 clusters, up to 10 replicas per role, 1–3 roles, random capacities, taints,
 * labels, readiness, shards and previous placements), every role the scheduler places is checked
 * against an exhaustive enumeration of every valid distribution. Both must agree that the role is
 * unschedulable, or the scheduler's distribution must be valid, have the optimal headroom vector
 * and, among optima of equal score, be the one with more replicas on earlier cluster names.
 */
class EvenSpreadMatchesBruteForceTest {
  private static final int CASES = 10_000;
  private static final long FIRST_SEED = 20_261_126L;

  /** Counts what the random cases exercised, so that a weak generator shows up as a failure. */
  private static final class Coverage {
    int roles;
    int bothUnschedulable;
    int sameDistribution;
    int skewRelaxed;
    int shardRoles;
    int minClusters;
    int scaleDown;
    int scheduled;
    int withDisplaced;
  }

  @Test
  void polynomialSpreadFindsTheBruteForceOptimumInEveryRandomCase() {
    Coverage cov = new Coverage();
    for (int k = 0; k < CASES; k++) {
      RandomCase c = RandomCase.generate(FIRST_SEED + k);
      Scheduler scheduler =
          new Scheduler(Scheduler.defaultFilters(), problem -> check(c, problem, cov));
      ScheduleResult result = scheduler.schedule(c.spec(), c.clusters(), c.previous());
      checkResult(c, result);
      if (result.scheduled()) {
        cov.scheduled++;
      }
      if (!result.displaced().isEmpty()) {
        cov.withDisplaced++;
      }
    }
    System.out.printf(
        "brute force comparison: %d cases, %d roles compared, %d placed identically, %d both"
            + " unschedulable, %d skew relaxed, %d sharded, %d with minClusters, %d scale-downs,"
            + " %d cases scheduled, %d with replicas displaced%n",
        CASES,
        cov.roles,
        cov.sameDistribution,
        cov.bothUnschedulable,
        cov.skewRelaxed,
        cov.shardRoles,
        cov.minClusters,
        cov.scaleDown,
        cov.scheduled,
        cov.withDisplaced);
    assertThat(cov.roles).as("roles compared").isGreaterThan(CASES);
    assertThat(cov.bothUnschedulable).as("unschedulable roles").isGreaterThan(CASES / 50);
    assertThat(cov.skewRelaxed).as("roles with skew relaxed").isGreaterThan(CASES / 100);
    assertThat(cov.shardRoles).as("sharded roles").isGreaterThan(CASES / 50);
    assertThat(cov.scaleDown).as("scale-downs").isGreaterThan(CASES / 20);
    assertThat(cov.minClusters).as("roles with minClusters").isGreaterThan(CASES / 50);
    assertThat(cov.scheduled).as("cases scheduled").isGreaterThan(CASES / 4);
    assertThat(cov.withDisplaced).as("failovers").isGreaterThan(CASES / 10);
  }

  private static SpreadResult check(RandomCase c, RoleProblem p, Coverage cov) {
    cov.roles++;
    if (p.shardBound() != null) {
      cov.shardRoles++;
    }
    if (p.role().minClusters().isPresent()) {
      cov.minClusters++;
    }
    if (p.scaleDown()) {
      cov.scaleDown++;
    }
    SpreadResult fast = EvenSpread.place(p);
    SpreadResult slow = new BruteForceSpread().place(p);
    if (fast instanceof SpreadResult.Failed && slow instanceof SpreadResult.Failed) {
      cov.bothUnschedulable++;
      return fast;
    }
    if (!(fast instanceof SpreadResult.Placed f) || !(slow instanceof SpreadResult.Placed s)) {
      fail(
          "seed %d role %s: scheduler says %s, brute force says %s",
          c.seed(), p.role().role(), fast, slow);
      return fast;
    }
    int allowed = Math.max(p.role().maxSkew(), f.skewExceeded().orElse(p.role().maxSkew()));
    assertThat(f.skewExceeded())
        .as("seed %d role %s: skew relaxation", c.seed(), p.role().role())
        .isEqualTo(s.skewExceeded());
    if (f.skewExceeded().isPresent()) {
      cov.skewRelaxed++;
    }
    if (!BruteForceSpread.isValid(p, f.counts(), allowed)) {
      fail(
          "seed %d role %s: scheduler's %s is not a valid distribution",
          c.seed(), p.role().role(), Arrays.toString(f.counts()));
    }
    BigInteger[][] fv = BruteForceSpread.vector(p, p.candidates(), f.counts());
    BigInteger[][] sv = BruteForceSpread.vector(p, p.candidates(), s.counts());
    for (int i = 0; i < fv.length; i++) {
      if (BruteForceSpread.compare(fv[i], sv[i]) != 0) {
        fail(
            "seed %d role %s over %s: scheduler chose %s, brute force found better %s",
            c.seed(),
            p.role().role(),
            Arrays.toString(p.candidates().names()),
            Arrays.toString(f.counts()),
            Arrays.toString(s.counts()));
      }
    }
    // Among equal-score optima, both take the most even one, then more replicas on earlier names.
    assertThat(f.counts())
        .as("seed %d role %s: tie-break", c.seed(), p.role().role())
        .containsExactly(s.counts());
    cov.sameDistribution++;
    return fast;
  }

  /** Whole-result invariants: totals, shard anti-affinity, shard counts. */
  private static void checkResult(RandomCase c, ScheduleResult result) {
    if (!result.scheduled()) {
      assertThat(result.placement().isEmpty()).isTrue();
      assertThat(result.unschedulable()).as("seed %d: reasons", c.seed()).isNotEmpty();
      return;
    }
    for (ReplicaRequirement role : c.spec().replicaRequirements()) {
      assertThat(result.placement().total(role.role()))
          .as("seed %d role %s total", c.seed(), role.role())
          .isEqualTo(role.replicas());
      if (role.shard().isPresent()) {
        checkShards(c, result, role);
      }
    }
  }

  private static void checkShards(RandomCase c, ScheduleResult result, ReplicaRequirement role) {
    String primaryRole = role.shardOf().orElseThrow();
    SortedMap<String, Integer> primaries = new TreeMap<>();
    SortedMap<String, Integer> replicas = new TreeMap<>();
    assertThat(result.shards()).hasSize(result.placement().total(primaryRole));
    for (ShardPlacement s : result.shards()) {
      assertThat(s.replicas())
          .as("seed %d shard %d", c.seed(), s.shard())
          .hasSize(role.shard().getAsInt())
          .doesNotContain(s.primary())
          .doesNotHaveDuplicates();
      primaries.merge(s.primary(), 1, Integer::sum);
      s.replicas().forEach(r -> replicas.merge(r, 1, Integer::sum));
    }
    assertThat(primaries).isEqualTo(asMap(result.placement().role(primaryRole)));
    assertThat(replicas).isEqualTo(asMap(result.placement().role(role.role())));
    assertThat(new HashSet<>(result.shards().stream().map(ShardPlacement::shard).toList()))
        .hasSize(result.shards().size());
  }

  private static SortedMap<String, Integer> asMap(Map<String, Integer> m) {
    return new TreeMap<>(m);
  }
}
