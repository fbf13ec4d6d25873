package io.flotilla.api;

import java.util.List;
import java.util.Objects;

/** Where one shard lives: its primary's cluster and its replicas' clusters (all different). */
public record ShardPlacement(int shard, String primary, List<String> replicas) {
  public ShardPlacement {
    Objects.requireNonNull(primary, "primary");
    replicas = List.copyOf(replicas);
  }
}
