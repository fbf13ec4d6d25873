package io.flotilla.cluster.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/** A clock that stands still until a test moves it. Thread-safe. */
public final class MutableClock extends Clock {
  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** A clock at 2026-11-26T12:00:00Z. */
  public static MutableClock atNoon() {
    return new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  }

  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("time does not go back: " + d);
    }
    now = now.plus(d);
  }

  public void set(Instant t) {
    now = Objects.requireNonNull(t, "t");
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (zone.equals(ZoneOffset.UTC)) {
      return this;
    }
    throw new UnsupportedOperationException("a MutableClock keeps UTC");
  }
}
