package io.flotilla.scheduler.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.flotilla.api.Resources;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The headroom score: a cluster's headroom at d replicas is min over cpu and memory of (free − (d −
 * old)·request) / allocatable; placements compare by their ascending-sorted headroom vectors,
 * lexicographically, larger is better (leximin).
 */
class HeadroomScoreTest {
  private static final long GI = 1L << 30;

  /** One candidate: free and allocatable (millicores, bytes) and the role's old count there. */
  record Cluster(long freeCpu, long freeMemory, long allocCpu, long allocMemory, int old) {
    static Cluster cpu(long free, long alloc) {
      // memory plentiful: cpu always binds
      return new Cluster(free, 1000 * GI, alloc, 1000 * GI, 0);
    }

    Cluster old(int n) {
      return new Cluster(freeCpu, freeMemory, allocCpu, allocMemory, n);
    }
  }

  private static HeadroomScore score(Resources request, List<Cluster> clusters) {
    int n = clusters.size();
    long[] fc = new long[n];
    long[] fm = new long[n];
    long[] ac = new long[n];
    long[] am = new long[n];
    int[] old = new int[n];
    for (int i = 0; i < n; i++) {
      Cluster c = clusters.get(i);
      fc[i] = c.freeCpu();
      fm[i] = c.freeMemory();
      ac[i] = c.allocCpu();
      am[i] = c.allocMemory();
      old[i] = c.old();
    }
    return new HeadroomScore(fc, fm, ac, am, old, request.cpuMillis(), request.memoryBytes());
  }

  // ---- a single cluster's headroom ------------------------------------------------------------

  /** Cluster 0 holding d replicas should have headroom {@code expected} (exact in binary). */
  record HeadroomCase(Resources request, Cluster cluster, int d, double expected) {}

  static Stream<Named<HeadroomCase>> headrooms() {
    Resources oneCpuOneGi = new Resources(1000, GI);
    return Stream.of(
        named(
            "no replicas: free over allocatable",
            new HeadroomCase(oneCpuOneGi, new Cluster(6000, 8 * GI, 8000, 16 * GI, 0), 0, 0.5)),
        named(
            "cpu binds: (6 − 2)/8 cpu = 0.5 below (16 − 2)/16 memory",
            new HeadroomCase(oneCpuOneGi, new Cluster(6000, 16 * GI, 8000, 16 * GI, 0), 2, 0.5)),
        named(
            "memory binds: (8 − 4)/16 memory = 0.25 below (8 − 4)/8 cpu",
            new HeadroomCase(oneCpuOneGi, new Cluster(8000, 8 * GI, 8000, 16 * GI, 0), 4, 0.25)),
        named(
            "old replicas are already allocated: holding old charges nothing",
            new HeadroomCase(oneCpuOneGi, new Cluster(2000, 8 * GI, 8000, 8 * GI, 3), 3, 0.25)),
        named(
            "only the change is charged: 3 → 5 charges 2",
            new HeadroomCase(oneCpuOneGi, new Cluster(6000, 8 * GI, 8000, 8 * GI, 3), 5, 0.5)),
        named(
            "scaling down frees what is removed: 3 → 1 frees 2",
            new HeadroomCase(oneCpuOneGi, new Cluster(2000, 8 * GI, 8000, 8 * GI, 3), 1, 0.5)),
        named(
            "overcommitted clusters have negative headroom",
            new HeadroomCase(oneCpuOneGi, new Cluster(1000, 8 * GI, 8000, 8 * GI, 0), 3, -0.25)),
        named(
            "a resource the role does not request is not charged",
            new HeadroomCase(
                new Resources(0, GI), new Cluster(2000, 8 * GI, 8000, 8 * GI, 0), 4, 0.25)));
  }

  @ParameterizedTest
  @MethodSource("headrooms")
  void headroomIsTheMinimumOverCpuAndMemory(HeadroomCase k) {
    HeadroomScore s = score(k.request(), List.of(k.cluster()));
    assertThat(s.headroom(0, k.d())).isEqualTo(k.expected());
  }

  // ---- comparing two clusters' headrooms exactly ----------------------------------------------

  /** Cluster 0 holding d0 compared with cluster 1 holding d1 should give the sign expected. */
  record PairCase(Resources request, Cluster c0, int d0, Cluster c1, int d1, int expected) {}

  static Stream<Named<PairCase>> pairs() {
    Resources oneCpu = new Resources(1000, 0);
    long e60 = 1L << 60;
    return Stream.of(
        named(
            "1/3 and 2/6 of cpu left are equal headrooms",
            new PairCase(oneCpu, Cluster.cpu(1000, 3000), 0, Cluster.cpu(2000, 6000), 0, 0)),
        named(
            "after charging: (4 − 3)/3 equals (8 − 6)/6",
            new PairCase(oneCpu, Cluster.cpu(4000, 3000), 3, Cluster.cpu(8000, 6000), 6, 0)),
        named(
            "a larger cluster with the same free cores has less headroom",
            new PairCase(oneCpu, Cluster.cpu(2000, 4000), 0, Cluster.cpu(2000, 8000), 0, 1)),
        named(
            "negative headrooms compare too: −1/4 is below −1/8",
            new PairCase(oneCpu, Cluster.cpu(0, 4000), 1, Cluster.cpu(0, 8000), 1, -1)),
        named(
            "the binding resource is compared: memory 1/4 is below cpu 1/2",
            new PairCase(
                new Resources(1000, GI),
                new Cluster(8000, 4 * GI, 8000, 16 * GI, 0),
                0,
                new Cluster(4000, 16 * GI, 8000, 16 * GI, 0),
                0,
                -1)),
        named(
            "memory near 2^60: (2^60−1)/2^60 is above (2^60−2)/(2^60−1), beyond a double's reach",
            new PairCase(
                Resources.ZERO,
                new Cluster(1000, e60 - 1, 1000, e60, 0),
                0,
                new Cluster(1000, e60 - 2, 1000, e60 - 1, 0),
                0,
                1)));
  }

  @ParameterizedTest
  @MethodSource("pairs")
  void comparesTwoClustersHeadroomsExactly(PairCase k) {
    HeadroomScore s = score(k.request(), List.of(k.c0(), k.c1()));
    assertThat(Integer.signum(s.compare(0, k.d0(), 1, k.d1()))).isEqualTo(k.expected());
    assertThat(Integer.signum(s.compare(1, k.d1(), 0, k.d0()))).isEqualTo(-k.expected());
  }

  @Test
  void doublesCannotTellTheNearTwoToTheSixtyHeadroomsApartSoDecisionsMustNotUseThem() {
    long e60 = 1L << 60;
    HeadroomScore s =
        score(
            Resources.ZERO,
            List.of(
                new Cluster(1000, e60 - 1, 1000, e60, 0),
                new Cluster(1000, e60 - 2, 1000, e60 - 1, 0)));
    assertThat(s.headroom(0, 0)).isEqualTo(s.headroom(1, 0));
    assertThat(s.compare(0, 0, 1, 0)).isPositive();
  }

  // ---- comparing placements: leximin ------------------------------------------------------------

  /**
   * Placement a compared with placement b over the same clusters (one role requesting 1 cpu) should
   * give the sign expected: positive when a is better.
   */
  record VectorCase(List<Cluster> clusters, int[] a, int[] b, int expected) {}

  static Stream<Named<VectorCase>> vectors() {
    // big: 100 cpu, half free (0.5); small: 10 cpu, all free (1.0)
    List<Cluster> bigAndSmall = List.of(Cluster.cpu(50_000, 100_000), Cluster.cpu(10_000, 10_000));
    List<Cluster> withCommonLow =
        List.of(
            Cluster.cpu(50_000, 100_000), Cluster.cpu(10_000, 10_000), Cluster.cpu(2000, 10_000));
    List<Cluster> withCommonBetween =
        List.of(
            Cluster.cpu(50_000, 100_000),
            Cluster.cpu(10_000, 10_000),
            Cluster.cpu(49_500, 100_000));
    List<Cluster> equal3 =
        List.of(
            Cluster.cpu(10_000, 10_000), Cluster.cpu(10_000, 10_000), Cluster.cpu(10_000, 10_000));
    return Stream.of(
        named(
            "identical placements tie",
            new VectorCase(equal3, new int[] {1, 2, 3}, new int[] {1, 2, 3}, 0)),
        named(
            "the same counts swapped between equal clusters tie (names break it elsewhere)",
            new VectorCase(equal3, new int[] {3, 2, 2}, new int[] {2, 2, 3}, 0)),
        named(
            "the larger minimum wins: (2,2,2) beats (3,2,1) over equal clusters",
            new VectorCase(equal3, new int[] {2, 2, 2}, new int[] {3, 2, 1}, 1)),
        named(
            "leximin, not the sum: one replica on the small cluster gives (0.5, 0.9), better than"
                + " (0.49, 1.0) whose sum is larger",
            new VectorCase(bigAndSmall, new int[] {0, 1}, new int[] {1, 0}, 1)),
        named(
            "a common low entry (same count in both) does not change the verdict",
            new VectorCase(withCommonLow, new int[] {0, 1, 0}, new int[] {1, 0, 0}, 1)),
        named(
            "a common entry between the differing ones does not change the verdict",
            new VectorCase(withCommonBetween, new int[] {0, 1, 0}, new int[] {1, 0, 0}, 1)),
        named(
            "equal minima: the second smallest decides, (0.5, 0.7, 0.8) beats (0.5, 0.6, 0.9)",
            new VectorCase(
                List.of(
                    Cluster.cpu(5000, 10_000),
                    Cluster.cpu(10_000, 10_000),
                    Cluster.cpu(10_000, 10_000)),
                new int[] {0, 3, 2},
                new int[] {0, 4, 1},
                1)));
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void placementsCompareByTheirAscendingSortedHeadroomVectors(VectorCase k) {
    HeadroomScore s = score(new Resources(1000, 0), k.clusters());
    assertThat(Integer.signum(s.compareVectors(k.a(), k.b()))).isEqualTo(k.expected());
    assertThat(Integer.signum(s.compareVectors(k.b(), k.a()))).isEqualTo(-k.expected());
  }

  @Test
  void sizeIsTheNumberOfCandidates() {
    assertThat(score(Resources.ZERO, List.of(Cluster.cpu(1, 1), Cluster.cpu(1, 1))).size())
        .isEqualTo(2);
  }
}
