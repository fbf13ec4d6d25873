package io.flotilla.sandbox.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.ops.redis.RedisMembership.Address;
import io.flotilla.sandbox.workload.Redirect.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectTest {
  @ParameterizedTest
  @CsvSource({
    "MOVED 3999 127.0.0.1:6381, MOVED, 3999, 127.0.0.1, 6381",
    "ASK 3999 127.0.2.1:6379, ASK, 3999, 127.0.2.1, 6379",
    "MOVED 0 :6380, MOVED, 0, 127.0.9.9, 6380",
    "MOVED 16383 ::1:7000, MOVED, 16383, ::1, 7000",
    "MOVED 1 redis-0.cache.default.svc:6379, MOVED, 1, redis-0.cache.default.svc, 6379",
  })
  void redirectionsAreRead(String reply, Kind kind, int slot, String host, int port) {
    assertThat(Redirect.parse(reply, "127.0.9.9"))
        .hasValue(new Redirect(kind, slot, new Address(host, port)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CLUSTERDOWN The cluster is down",
        "ERR unknown command",
        "MOVED 3999",
        "MOVED x 127.0.0.1:6381",
        "MOVED 16384 127.0.0.1:6381",
        "MOVED 1 127.0.0.1",
        "MOVED 1 127.0.0.1:0",
        "ASK 1 127.0.0.1:port",
        "TRYAGAIN Multiple keys request during rehashing of slot",
      })
  void otherErrorsAreNoRedirection(String reply) {
    assertThat(Redirect.parse(reply, "127.0.9.9")).isEmpty();
  }
}
