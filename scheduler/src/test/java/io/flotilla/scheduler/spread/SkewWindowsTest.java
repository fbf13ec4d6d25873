package io.flotilla.scheduler.spread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Skew windows: a distribution with lower ≤ D ≤ upper and ΣD = m has skew at most s exactly when
 * every D_i lies in some window [t, t+s]; the usable t form one interval [tLo, tHi].
 */
class SkewWindowsTest {
  private static final int U = RoleProblem.UNBOUNDED;

  /** windows(lower, upper, m, s) should be {tLo, tHi}, or null when no window is usable. */
  record WindowCase(int[] lower, int[] upper, int m, int s, int[] expected) {}

  private static WindowCase w(int[] lower, int[] upper, int m, int s, int[] expected) {
    return new WindowCase(lower, upper, m, s, expected);
  }

  private static int[] of(int... v) {
    return v;
  }

  static Stream<Named<WindowCase>> windows() {
    return Stream.of(
        named(
            "7 over 3 unbounded clusters with skew 1: only t = 2, window [2,3]",
            w(of(0, 0, 0), of(U, U, U), 7, 1, of(2, 2))),
        named(
            "7 over 3 from old (1,1,1) with skew 1: still only t = 2",
            w(of(1, 1, 1), of(U, U, U), 7, 1, of(2, 2))),
        named(
            "6 over 3 with skew 1: t = 1 ([1,2]) and t = 2 ([2,3]) both hold (2,2,2)",
            w(of(0, 0, 0), of(U, U, U), 6, 1, of(1, 2))),
        named("6 over 3 with skew 0: exactly t = 2", w(of(0, 0, 0), of(U, U, U), 6, 0, of(2, 2))),
        named(
            "7 over 3 with skew 0 is impossible (no exact even split)",
            w(of(0, 0, 0), of(U, U, U), 7, 0, null)),
        named("4 over 2 with skew 4: t from 0 to 2", w(of(0, 0), of(U, U), 4, 4, of(0, 2))),
        named("0 replicas: the empty window t = 0", w(of(0, 0), of(U, U), 0, 1, of(0, 0))),
        named("infeasible: Σupper = 6 < m = 7", w(of(0, 0, 0), of(2, 2, 2), 7, 1, null)),
        named("infeasible: a lower bound above its upper bound", w(of(3, 0), of(2, 5), 2, 5, null)),
        named(
            "infeasible: Σlower = 6 > m = 5 (old replicas that must stay)",
            w(of(3, 3), of(U, U), 5, 5, null)),
        named("no candidates: no window", w(of(), of(), 0, 1, null)),
        named(
            "old (4,0,0) kept at m = 4 cannot meet skew 1",
            w(of(4, 0, 0), of(U, U, U), 4, 1, null)),
        named(
            "old (4,0,0) kept at m = 4 fits skew 4 at t = 0 only",
            w(of(4, 0, 0), of(U, U, U), 4, 4, of(0, 0))),
        named("survivors (2,2) taking 5: skew 0 impossible", w(of(2, 2), of(U, U), 5, 0, null)),
        named(
            "survivors (2,2) taking 5: skew 1 at t = 2 ([2,3])",
            w(of(2, 2), of(U, U), 5, 1, of(2, 2))),
        named(
            "a cluster with room for 1 caps t at 1: 9 over (1,10,10) needs skew 4",
            w(of(0, 0, 0), of(1, 10, 10), 9, 1, null)),
        named(
            "a cluster with room for 1: 9 over (1,10,10) with skew 4 at t = 0 or 1",
            w(of(0, 0, 0), of(1, 10, 10), 9, 4, of(0, 1))),
        named(
            "exact fit: upper (3,3,3) holding 9 with skew 0 is t = 3",
            w(of(0, 0, 0), of(3, 3, 3), 9, 0, of(3, 3))),
        named(
            "scale down within (3,3,1) to 4 with skew 1: t = 1 ([1,2])",
            w(of(0, 0, 0), of(3, 3, 1), 4, 1, of(1, 1))));
  }

  @ParameterizedTest
  @MethodSource("windows")
  void usableWindows(WindowCase k) {
    int[] got = SkewWindows.windows(k.lower(), k.upper(), k.m(), k.s());
    if (k.expected() == null) {
      assertThat(got).isNull();
    } else {
      assertThat(got).containsExactly(k.expected());
    }
  }

  /** minimalSkew(lower, upper, m) should be {@code expected}. */
  record SkewCase(int[] lower, int[] upper, int m, int expected) {}

  static Stream<Named<SkewCase>> minimalSkews() {
    return Stream.of(
        named(
            "failover survivors (2,2) taking 5 replicas over 2 clusters: 1",
            new SkewCase(of(2, 2), of(U, U), 5, 1)),
        named(
            "scale down to 4 with upper (5,0,0): only (4,0,0) is possible, skew 4",
            new SkewCase(of(0, 0, 0), of(5, 0, 0), 4, 4)),
        named("old (1,1,1) growing to 7: 1", new SkewCase(of(1, 1, 1), of(U, U, U), 7, 1)),
        named("6 over 3 from nothing: 0", new SkewCase(of(0, 0, 0), of(U, U, U), 6, 0)),
        named(
            "old (4,0,0) kept at 4 with a new empty cluster: 4",
            new SkewCase(of(4, 0, 0), of(U, U, U), 4, 4)),
        named(
            "old (4,0,0) growing to 10: (4,3,3), 1", new SkewCase(of(4, 0, 0), of(U, U, U), 10, 1)),
        named("old (4,0,0) growing to 8: (4,2,2), 2", new SkewCase(of(4, 0, 0), of(U, U, U), 8, 2)),
        named(
            "scale down within (3,3,1) to 4: (2,1,1), 1",
            new SkewCase(of(0, 0, 0), of(3, 3, 1), 4, 1)),
        named(
            "scale down within (3,3,1) to 6: (3,2,1), 2",
            new SkewCase(of(0, 0, 0), of(3, 3, 1), 6, 2)),
        named("a single cluster: 0", new SkewCase(of(0), of(U), 5, 0)));
  }

  @ParameterizedTest
  @MethodSource("minimalSkews")
  void smallestPossibleSkew(SkewCase k) {
    assertThat(SkewWindows.minimalSkew(k.lower(), k.upper(), k.m())).isEqualTo(k.expected());
  }
}
