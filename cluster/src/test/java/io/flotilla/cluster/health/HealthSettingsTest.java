package io.flotilla.cluster.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HealthSettingsTest {
  @Test
  void theDefaultsAreAProbeASecondThreeFailuresTwoSuccessesAndASummaryEveryTenSeconds() {
    HealthSettings d = HealthSettings.defaults();

    assertThat(d.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.timeout()).isLessThan(d.interval());
    assertThat(d.failureThreshold()).isEqualTo(3);
    assertThat(d.successThreshold()).isEqualTo(2);
    assertThat(d.summaryInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.detectionTime()).isEqualTo(Duration.ofSeconds(3));
  }

  static Stream<Arguments> invalid() {
    HealthSettings d = HealthSettings.defaults();
    return Stream.of(
        row(
            "a zero interval",
            () -> d.withInterval(Duration.ZERO, Duration.ofMillis(1)),
            "health interval must be greater than 0, got PT0S"),
        row(
            "a negative timeout",
            () -> d.withInterval(Duration.ofSeconds(1), Duration.ofMillis(-5)),
            "health timeout must be greater than 0, got PT-0.005S"),
        row(
            "a timeout longer than the interval",
            () -> d.withInterval(Duration.ofSeconds(1), Duration.ofSeconds(2)),
            "health timeout must be at most the interval (PT1S) so that probes of one member never overlap, got PT2S"),
        row(
            "a failure threshold of 0",
            () -> d.withThresholds(0, 2),
            "health failureThreshold must be at least 1, got 0"),
        row(
            "a success threshold of -1",
            () -> d.withThresholds(3, -1),
            "health successThreshold must be at least 1, got -1"),
        row(
            "a zero summary interval",
            () -> d.withSummaryInterval(Duration.ZERO),
            "health summaryInterval must be greater than 0, got PT0S"));
  }

  private static Arguments row(String name, Runnable make, String message) {
    return Arguments.of(Named.of(name, make), message);
  }

  @ParameterizedTest(name = "{0} is refused")
  @MethodSource("invalid")
  void invalidSettingsAreRefusedWithTheirReason(Runnable make, String message) {
    assertThatThrownBy(make::run).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void aTimeoutEqualToTheIntervalIsAllowed() {
    HealthSettings s =
        HealthSettings.defaults().withInterval(Duration.ofMillis(200), Duration.ofMillis(200));

    assertThat(s.timeout()).isEqualTo(s.interval());
    assertThat(s.withThresholds(1, 1).detectionTime()).isEqualTo(Duration.ofMillis(200));
  }
}
