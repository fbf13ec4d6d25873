package io.flotilla.scheduler;

import io.flotilla.api.Placement;
import io.flotilla.api.ShardPlacement;
import java.util.List;
import java.util.Objects;

/** Where the middleware's replicas were before this decision, and its shards. */
public record PreviousPlacement(Placement placement, List<ShardPlacement> shards) {
  public static final PreviousPlacement NONE = new PreviousPlacement(Placement.EMPTY, List.of());

  public PreviousPlacement {
    Objects.requireNonNull(placement, "placement");
    shards = List.copyOf(shards);
  }
}
