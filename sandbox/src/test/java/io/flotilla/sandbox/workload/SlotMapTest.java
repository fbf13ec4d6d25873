package io.flotilla.sandbox.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.ops.redis.RedisMembership.Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotMapTest {
  private static final Address A = new Address("127.0.1.1", 6379);
  private static final Address B = new Address("127.0.2.1", 6379);
  private static final Address C = new Address("127.0.3.1", 6379);
  private static final Address D = new Address("127.0.1.2", 6379);

  /** CLUSTER SLOTS of three shards, as RedisConnection returns it (Redis 7 adds metadata). */
  private static final List<Object> THREE_SHARDS =
      List.of(
          List.of(0L, 5460L, node(A, "a"), node(D, "d")),
          List.of(5461L, 10922L, node(B, "b")),
          List.of(10923L, 16383L, node(C, "c"), node(B, "b")));

  private static List<Object> node(Address a, String id) {
    return List.of(a.host(), (long) a.port(), id, List.of());
  }

  @Test
  void everySlotGoesToItsRangesMaster() {
    SlotMap map = SlotMap.parse(THREE_SHARDS, "127.0.9.9");
    assertThat(map.master(0)).hasValue(A);
    assertThat(map.master(5460)).hasValue(A);
    assertThat(map.master(5461)).hasValue(B);
    assertThat(map.master(10922)).hasValue(B);
    assertThat(map.master(10923)).hasValue(C);
    assertThat(map.master(16383)).hasValue(C);
    assertThat(map.covered()).isEqualTo(16384);
    assertThat(map.nodes()).as("masters, then replicas").containsExactly(A, B, C, D);
  }

  @Test
  void uncoveredSlotsHaveNoMaster() {
    SlotMap map = SlotMap.parse(List.of(List.of(100L, 199L, node(A, "a"))), "127.0.9.9");
    assertThat(map.master(99)).isEmpty();
    assertThat(map.master(100)).hasValue(A);
    assertThat(map.master(200)).isEmpty();
    assertThat(map.covered()).isEqualTo(100);
    assertThat(SlotMap.EMPTY.covered()).isZero();
    assertThat(SlotMap.parse(List.of(), "127.0.9.9").nodes()).isEmpty();
  }

  @Test
  void anEmptyEndpointIsTheNodeAskedAndAnUnknownOneNoMaster() {
    SlotMap map =
        SlotMap.parse(
            List.of(
                List.of(0L, 9L, List.of("", 7000L, "x")),
                List.of(10L, 19L, List.of("?", 7001L, "y"))),
            "127.0.5.5");
    assertThat(map.master(0)).hasValue(new Address("127.0.5.5", 7000));
    assertThat(map.master(10)).isEmpty();
  }

  @Test
  void aMovedSlotChangesOnlyThatSlot() {
    Address e = new Address("127.0.4.4", 6380);
    SlotMap before = SlotMap.parse(THREE_SHARDS, "127.0.9.9");
    SlotMap after = before.with(12, e);
    assertThat(after.master(12)).hasValue(e);
    assertThat(after.master(11)).hasValue(A);
    assertThat(after.master(13)).hasValue(A);
    assertThat(before.master(12)).as("the map it came from is unchanged").hasValue(A);
    assertThat(after.nodes()).containsExactly(A, B, C, D, e);
    assertThat(after.with(13, B).nodes()).containsExactly(A, B, C, D, e);
  }

  @Test
  void malformedRepliesAreRefusedWithTheRange() {
    assertThatThrownBy(() -> SlotMap.parse("OK", "h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a list of ranges");
    assertThatThrownBy(() -> SlotMap.parse(List.of(List.of(0L, 9L)), "h"))
        .hasMessageContaining("range 0 is not [first, last, master, ...]");
    assertThatThrownBy(() -> SlotMap.parse(List.of(List.of(0L, 16384L, node(A, "a"))), "h"))
        .hasMessageContaining("range 0 has a slot out of 0-16383: 16384");
    assertThatThrownBy(
            () ->
                SlotMap.parse(
                    List.of(List.of(0L, 9L, node(A, "a")), List.of(20L, 10L, node(B, "b"))), "h"))
        .hasMessageContaining("range 1 runs backwards, 20-10");
    assertThatThrownBy(() -> SlotMap.parse(List.of(List.of(0L, 9L, List.of("h", "x"))), "h"))
        .hasMessageContaining("range 0 has a node that is not [endpoint, port, ...]");
  }
}
