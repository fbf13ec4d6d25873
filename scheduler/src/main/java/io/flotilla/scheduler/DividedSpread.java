package io.flotilla.scheduler;

import io.flotilla.scheduler.spread.RoleProblem;
import io.flotilla.scheduler.spread.SpreadResult;

/**
 * Places a role whose replicas are divided evenly among its candidates, choosing by score. The
 * scheduler uses {@link io.flotilla.scheduler.spread.EvenSpread}; tests plug in an exhaustive
 * enumeration beside it to prove they agree.
 */
@FunctionalInterface
public interface DividedSpread {
  SpreadResult place(RoleProblem problem);
}
