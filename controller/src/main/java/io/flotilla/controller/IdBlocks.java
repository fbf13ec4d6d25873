package io.flotilla.controller;

import io.flotilla.api.Placement;
import io.flotilla.middleware.BaseIds;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which ids each cluster's share of each role may use, for a resource's whole life.
 *
 * <p>A share of role r in cluster c runs as one StatefulSet whose ordinals are its ids, so they are
 * contiguous from the share's base id. Each share is given a block of ids {@code [start, start +
 * size)} from one counter that only goes up ({@code nextId}), the block as large as the role's
 * replicas, so that a share can grow in place (as a failover grows the shares of the clusters that
 * remain) without running into another cluster's ids. {@code used} is the block's high-water mark:
 * ids below it have been given to an instance. A share that would have to give an id out a second
 * time — it shrank and now grows again, or it outgrew its block, or its cluster was lost and fenced
 * — gets a fresh block instead, so no id is ever reused within the resource's life.
 *
 * @param blocks role → cluster → the block of the share there
 * @param nextId the first id never given to any block
 */
public record IdBlocks(Map<String, SortedMap<String, Block>> blocks, int nextId) {
  /** Before anything was placed: ids start at 1 (ZooKeeper myids must be >= 1). */
  public static final IdBlocks EMPTY = new IdBlocks(Map.of(), 1);

  public IdBlocks {
    Map<String, SortedMap<String, Block>> copy = new LinkedHashMap<>();
    blocks.forEach(
        (role, byCluster) ->
            copy.put(role, Collections.unmodifiableSortedMap(new TreeMap<>(byCluster))));
    blocks = Collections.unmodifiableMap(copy);
    if (nextId < 1) {
      throw new IllegalArgumentException("nextId must be >= 1, got " + nextId);
    }
  }

  /**
   * A share's ids: {@code [start, start + size)}, of which {@code [start, start + used)} have been
   * given out.
   */
  public record Block(int start, int size, int used) {
    public Block {
      if (start < 1 || size < 1 || used < 0 || used > size) {
        throw new IllegalArgumentException(
            "bad id block start=" + start + " size=" + size + " used=" + used);
      }
    }
  }

  /**
   * The blocks for a new placement. Shares that keep their count or grow into ids never given out
   * keep their block; others get a fresh block of {@code max(replicas of the role, count)} ids.
   * Blocks of clusters in {@code retired} (lost and fenced) are forgotten, so a share there later
   * starts afresh. Blocks of shares that went to zero are kept, so their used ids stay used.
   *
   * @param current role → cluster → the count running now (0 when none)
   * @param replicas the role's total replicas in the spec, the size of a fresh block
   */
  public IdBlocks assign(
      Placement placement,
      Placement current,
      Map<String, Integer> replicas,
      java.util.Set<String> retired) {
    Map<String, SortedMap<String, Block>> out = new LinkedHashMap<>();
    blocks.forEach(
        (role, byCluster) -> {
          SortedMap<String, Block> kept = new TreeMap<>(byCluster);
          kept.keySet().removeAll(retired);
          out.put(role, kept);
        });
    int next = nextId;
    for (Map.Entry<String, SortedMap<String, Integer>> role : placement.roles().entrySet()) {
      SortedMap<String, Block> byCluster = out.computeIfAbsent(role.getKey(), r -> new TreeMap<>());
      for (Map.Entry<String, Integer> share : role.getValue().entrySet()) {
        int count = share.getValue();
        Block b = byCluster.get(share.getKey());
        int running =
            retired.contains(share.getKey()) ? 0 : current.count(role.getKey(), share.getKey());
        boolean fits = b != null && count <= b.size() && (count <= running || running == b.used());
        if (fits) {
          byCluster.put(share.getKey(), new Block(b.start(), b.size(), Math.max(b.used(), count)));
        } else {
          int size = Math.max(count, replicas.getOrDefault(role.getKey(), count));
          byCluster.put(share.getKey(), new Block(next, size, count));
          next += size;
        }
      }
    }
    out.values().removeIf(Map::isEmpty);
    return new IdBlocks(out, next);
  }

  /** The base id of every share of a placement. */
  public BaseIds baseIds(Placement placement) {
    Map<String, SortedMap<String, Integer>> bases = new LinkedHashMap<>();
    placement
        .roles()
        .forEach(
            (role, byCluster) -> {
              SortedMap<String, Integer> b = new TreeMap<>();
              byCluster.forEach((cluster, count) -> b.put(cluster, block(role, cluster).start()));
              bases.put(role, b);
            });
    return new BaseIds(bases);
  }

  /** The block of a share. */
  public Block block(String role, String cluster) {
    Block b = blocks.getOrDefault(role, Collections.emptySortedMap()).get(cluster);
    if (b == null) {
      throw new IllegalArgumentException("no id block for role " + role + " in cluster " + cluster);
    }
    return Objects.requireNonNull(b);
  }
}
