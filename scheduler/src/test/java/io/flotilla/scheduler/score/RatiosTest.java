package io.flotilla.scheduler.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Exact comparison of a/b with c/d, where floating point or 64-bit products would be wrong. */
class RatiosTest {
  private static final long P62 = 1L << 62;

  /** a/b compared with c/d should give the sign {@code expected}. */
  record Case(long a, long b, long c, long d, int expected) {}

  static Stream<Named<Case>> cases() {
    return Stream.of(
        named("1/3 equals 2/6 (equal fractions, different denominators)", new Case(1, 3, 2, 6, 0)),
        named("2/6 equals 1/3", new Case(2, 6, 1, 3, 0)),
        named("1/3 is less than 1/2", new Case(1, 3, 1, 2, -1)),
        named("3/4 is more than 2/3", new Case(3, 4, 2, 3, 1)),
        named("0/5 equals 0/7", new Case(0, 5, 0, 7, 0)),
        named("−1/2 is less than 1/3", new Case(-1, 2, 1, 3, -1)),
        named("−1/3 is more than −1/2", new Case(-1, 3, -1, 2, 1)),
        named("−2/6 equals −1/3", new Case(-2, 6, -1, 3, 0)),
        named("−1/1 is less than 0/1", new Case(-1, 1, 0, 1, -1)),
        named(
            "2^62/(2^62+1) is more than (2^62−1)/2^62 (differ by 1 in 2^124)",
            new Case(P62, P62 + 1, P62 - 1, P62, 1)),
        named("(2^62+1)/2^62 is less than 2^62/(2^62−1)", new Case(P62 + 1, P62, P62, P62 - 1, -1)),
        named(
            "−2^62/(2^62+1) is less than −(2^62−1)/2^62",
            new Case(-P62, P62 + 1, -(P62 - 1), P62, -1)),
        named("2^62/1 is more than 1/2, though 2^62·2 overflows a long", new Case(P62, 1, 1, 2, 1)),
        named(
            "(2^62−1)/2^62 is more than 1/3, though 3·(2^62−1) overflows a long",
            new Case(P62 - 1, P62, 1, 3, 1)),
        named(
            "−(2^62−1)/2^62 is less than −1/3, though 3·(2^62−1) overflows a long",
            new Case(-(P62 - 1), P62, -1, 3, -1)),
        named(
            "(2^62−1)/(2^62+3) is less than (2^62+1)/(2^62+5): equal as doubles",
            new Case(P62 - 1, P62 + 3, P62 + 1, P62 + 5, -1)),
        named("3·2^60/3 equals 2^60/1", new Case(3L << 60, 3, 1L << 60, 1, 0)),
        named(
            "Long.MAX_VALUE/Long.MAX_VALUE equals 1/1",
            new Case(Long.MAX_VALUE, Long.MAX_VALUE, 1, 1, 0)),
        named(
            "(Long.MAX_VALUE−1)/Long.MAX_VALUE is less than 1/1",
            new Case(Long.MAX_VALUE - 1, Long.MAX_VALUE, 1, 1, -1)),
        named(
            "Long.MIN_VALUE/1 is less than −Long.MAX_VALUE/1",
            new Case(Long.MIN_VALUE, 1, -Long.MAX_VALUE, 1, -1)),
        named(
            "a negative over a huge denominator is still below zero",
            new Case(-1, Long.MAX_VALUE, 0, 1, -1)));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void comparesExactly(Case k) {
    // the expectation itself, checked in exact arithmetic
    BigInteger left = BigInteger.valueOf(k.a()).multiply(BigInteger.valueOf(k.d()));
    BigInteger right = BigInteger.valueOf(k.c()).multiply(BigInteger.valueOf(k.b()));
    assertThat(left.compareTo(right)).as("test expectation").isEqualTo(k.expected());

    assertThat(Integer.signum(Ratios.compare(k.a(), k.b(), k.c(), k.d()))).isEqualTo(k.expected());
    assertThat(Integer.signum(Ratios.compare(k.c(), k.d(), k.a(), k.b())))
        .as("reversed")
        .isEqualTo(-k.expected());
  }
}
