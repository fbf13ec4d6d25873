package io.flotilla.sandbox.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.ops.redis.RedisMembership.Address;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisWorkloadArgumentsTest {
  @Test
  void seedsAreHostAndPort() {
    assertThat(RedisWorkload.address("127.1.0.2:6379")).isEqualTo(new Address("127.1.0.2", 6379));
    assertThat(RedisWorkload.address("::1:7000")).isEqualTo(new Address("::1", 7000));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.1.0.2", ":6379", "127.1.0.2:", "127.1.0.2:x", "127.1.0.2:70000"})
  void aBadSeedIsNamed(String seed) {
    assertThatThrownBy(() -> new RedisWorkload(List.of(seed), "secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seed \"" + seed + "\" is not host:port");
  }

  @Test
  void noSeedsIsRefused() {
    assertThatThrownBy(() -> new RedisWorkload(List.of(), "secret"))
        .hasMessageContaining("no seed addresses");
  }

  @Test
  void aClusterThatCannotBeReachedFailsTheStartWithTheAddressAndNoPassword() {
    // port 1 on loopback: nothing listens, the connection is refused at once
    try (RedisWorkload w =
        new RedisWorkload(
            List.of("127.0.0.1:1"), "do-not-log-me", Duration.ofMillis(10), System::nanoTime)) {
      assertThatThrownBy(w::start)
          .isInstanceOf(WorkloadException.class)
          .hasMessageContaining("redis workload: cannot start")
          .hasMessageContaining("127.0.0.1:1")
          .hasMessageNotContaining("do-not-log-me");
      assertThat(w.stats().acknowledged()).isZero();
      assertThat(w.verify(Duration.ofSeconds(1)).missing()).isEmpty();
    }
  }
}
