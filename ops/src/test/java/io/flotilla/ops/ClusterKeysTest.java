package io.flotilla.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterKeysTest {
  /** Values from the Redis Cluster specification and redis-cli's CLUSTER KEYSLOT. */
  static Stream<Arguments> slots() {
    return Stream.of(
        Arguments.of("123456789", 12739),
        Arguments.of("foo", 12182),
        Arguments.of("bar", 5061),
        Arguments.of("{user1000}.following", 3443),
        Arguments.of("{user1000}.followers", 3443),
        Arguments.of("foo{}{bar}", 8363),
        Arguments.of("foo{{bar}}zap", 4015));
  }

  @ParameterizedTest(name = "{0} hashes to slot {1}")
  @MethodSource("slots")
  void keysHashToRedisClusterSlots(String key, int slot) {
    assertThat(ClusterKeys.slot(key)).isEqualTo(slot);
  }
}
