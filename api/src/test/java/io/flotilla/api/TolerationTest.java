package io.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tolerations against taints, with Kubernetes' semantics. */
class TolerationTest {
  private static final Taint MAINTENANCE_NO_SCHEDULE =
      new Taint("maintenance", "true", TaintEffect.NoSchedule);
  private static final Taint MAINTENANCE_NO_EXECUTE =
      new Taint("maintenance", "true", TaintEffect.NoExecute);
  private static final Taint DEDICATED_NO_VALUE =
      new Taint("dedicated", "", TaintEffect.NoSchedule);

  static Stream<Arguments> cases() {
    return Stream.of(
        tolerates(
            "Equal with the same key, value and effect tolerates",
            equal("maintenance", "true", TaintEffect.NoSchedule),
            MAINTENANCE_NO_SCHEDULE,
            true),
        tolerates(
            "Equal with another value does not tolerate",
            equal("maintenance", "false", TaintEffect.NoSchedule),
            MAINTENANCE_NO_SCHEDULE,
            false),
        tolerates(
            "Equal with another key does not tolerate",
            equal("dedicated", "true", TaintEffect.NoSchedule),
            MAINTENANCE_NO_SCHEDULE,
            false),
        tolerates(
            "Equal with an empty value tolerates a taint without value",
            equal("dedicated", "", TaintEffect.NoSchedule),
            DEDICATED_NO_VALUE,
            true),
        tolerates(
            "Equal with an empty value does not tolerate a taint with a value",
            equal("maintenance", "", TaintEffect.NoSchedule),
            MAINTENANCE_NO_SCHEDULE,
            false),
        tolerates(
            "Exists with the key tolerates any value",
            exists("maintenance", Optional.of(TaintEffect.NoSchedule)),
            MAINTENANCE_NO_SCHEDULE,
            true),
        tolerates(
            "Exists with another key does not tolerate",
            exists("dedicated", Optional.empty()),
            MAINTENANCE_NO_SCHEDULE,
            false),
        tolerates(
            "Exists with an empty key and no effect tolerates every taint",
            exists("", Optional.empty()),
            MAINTENANCE_NO_EXECUTE,
            true),
        tolerates(
            "Exists with an empty key and effect NoSchedule tolerates every NoSchedule taint",
            exists("", Optional.of(TaintEffect.NoSchedule)),
            DEDICATED_NO_VALUE,
            true),
        tolerates(
            "Exists with an empty key and effect NoSchedule does not tolerate NoExecute",
            exists("", Optional.of(TaintEffect.NoSchedule)),
            MAINTENANCE_NO_EXECUTE,
            false),
        tolerates(
            "Equal with an empty key tolerates nothing",
            new Toleration("", TolerationOperator.Equal, "true", Optional.empty()),
            MAINTENANCE_NO_SCHEDULE,
            false),
        tolerates(
            "an absent effect matches NoSchedule",
            new Toleration("maintenance", TolerationOperator.Equal, "true", Optional.empty()),
            MAINTENANCE_NO_SCHEDULE,
            true),
        tolerates(
            "an absent effect matches NoExecute",
            new Toleration("maintenance", TolerationOperator.Equal, "true", Optional.empty()),
            MAINTENANCE_NO_EXECUTE,
            true),
        tolerates(
            "effect NoSchedule does not tolerate a NoExecute taint",
            equal("maintenance", "true", TaintEffect.NoSchedule),
            MAINTENANCE_NO_EXECUTE,
            false),
        tolerates(
            "effect NoExecute does not tolerate a NoSchedule taint",
            exists("maintenance", Optional.of(TaintEffect.NoExecute)),
            MAINTENANCE_NO_SCHEDULE,
            false));
  }

  private static Arguments tolerates(
      String name, Toleration toleration, Taint taint, boolean expected) {
    return arguments(named(name, toleration), taint, expected);
  }

  private static Toleration equal(String key, String value, TaintEffect effect) {
    return new Toleration(key, TolerationOperator.Equal, value, Optional.of(effect));
  }

  private static Toleration exists(String key, Optional<TaintEffect> effect) {
    return new Toleration(key, TolerationOperator.Exists, "", effect);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void toleratesWithKubernetesSemantics(Toleration toleration, Taint taint, boolean expected) {
    assertThat(toleration.tolerates(taint)).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("taintTexts")
  void taintsPrintAsKubectlWritesThem(Taint taint, String text) {
    assertThat(taint).hasToString(text);
  }

  static Stream<Arguments> taintTexts() {
    return Stream.of(
        arguments(
            named("a taint with a value", MAINTENANCE_NO_SCHEDULE), "maintenance=true:NoSchedule"),
        arguments(named("a taint without a value", DEDICATED_NO_VALUE), "dedicated:NoSchedule"));
  }
}
