package io.flotilla.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The controller stopped between any two steps of a rollout or a failover, then restarted (a new
 * reconciler on the same store), ends exactly where an uninterrupted run does: the same generated
 * objects, the same placement and ids (none reused), the same membership, no object left over.
 */
class CrashSafetyTest {
  static final class Crash extends RuntimeException {
    Crash(String step) {
      super("crash before " + step);
    }
  }

  private static Harness clusters() {
    Harness h = new Harness();
    for (String c : List.of("dc1", "dc2", "dc3")) {
      h.cluster(c, true, false);
    }
    return h;
  }

  /** Settles, restarting the reconciler after each crash the hook throws. */
  private static void settleThroughCrashes(Harness h) {
    for (int restarts = 0; restarts < 10; restarts++) {
      try {
        h.settle(h.reconciler());
        return;
      } catch (Crash e) {
        h.hook = StepHook.NONE;
      }
    }
    throw new AssertionError("did not settle");
  }

  private static StepHook crashAt(int k) {
    AtomicInteger n = new AtomicInteger();
    return step -> {
      if (n.incrementAndGet() == k) {
        throw new Crash(step);
      }
    };
  }

  @Test
  void aCrashAtAnyStepOfACreationEndsAsWithout() {
    Harness reference = clusters();
    reference.middleware(MiddlewareReconcilerTest.ZK);
    reference.settle(reference.reconciler());
    String expected = reference.endState();
    int steps = reference.steps.size();
    assertThat(steps).isGreaterThan(20);

    for (int k = 1; k <= steps; k++) {
      Harness h = clusters();
      h.middleware(MiddlewareReconcilerTest.ZK);
      h.hook = crashAt(k);
      settleThroughCrashes(h);
      assertThat(h.endState())
          .as("crash before step %d (%s)", k, reference.steps.get(k - 1))
          .isEqualTo(expected);
      assertThat(h.membershipCalls)
          .as("crash at %d", k)
          .containsOnly(reference.membershipCalls.get(0));
    }
  }

  @Test
  void aCrashAtAnyStepOfAFailoverEndsAsWithout() {
    Harness reference = clusters();
    reference.middleware(MiddlewareReconcilerTest.ZK);
    reference.settle(reference.reconciler());
    reference.cluster("dc3", false, true);
    int before = reference.steps.size();
    reference.settle(reference.reconciler());
    String expected = reference.endState();
    List<String> failoverSteps = reference.steps.subList(before, reference.steps.size());
    assertThat(failoverSteps).contains("assign ids", "drop lost dc3", "membership");
    String lastMembership = reference.membershipCalls.get(reference.membershipCalls.size() - 1);

    for (int k = 1; k <= failoverSteps.size(); k++) {
      Harness h = clusters();
      h.middleware(MiddlewareReconcilerTest.ZK);
      h.settle(h.reconciler());
      h.cluster("dc3", false, true);
      h.hook = crashAt(k);
      settleThroughCrashes(h);
      assertThat(h.endState())
          .as("crash before failover step %d (%s)", k, failoverSteps.get(k - 1))
          .isEqualTo(expected);
      assertThat(h.membershipCalls.get(h.membershipCalls.size() - 1)).isEqualTo(lastMembership);
    }
  }
}
