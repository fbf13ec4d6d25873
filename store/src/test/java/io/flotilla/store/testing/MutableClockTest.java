package io.flotilla.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  private static final Instant START = Instant.parse("2025-03-01T10:15:30Z");

  @Test
  void standsStillUntilMoved() {
    MutableClock clock = new MutableClock(START);

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void advanceMovesItForwardOrBackAndSetJumps() {
    MutableClock clock = new MutableClock(START);

    assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(START.plusSeconds(300));
    assertThat(clock.advance(Duration.ofMinutes(-2))).isEqualTo(START.plusSeconds(180));
    clock.set(START.minusSeconds(1));
    assertThat(clock.instant()).isEqualTo(START.minusSeconds(1));
  }

  @Test
  void aViewInAnotherZoneMovesWithIt() {
    MutableClock clock = new MutableClock(START);
    Clock shanghai = clock.withZone(ZoneId.of("Asia/Shanghai"));

    clock.advance(Duration.ofHours(1));

    assertThat(shanghai.getZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(shanghai.instant()).isEqualTo(START.plusSeconds(3600));
  }
}
