package io.flotilla.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which watch events are the echo of the engine's own writes. */
class OwnWritesTest {
  private static final ObjectRef A =
      new ObjectRef("flotilla.io/v1alpha1", "ResourceBinding", "default", "a");
  private static final ObjectRef B =
      new ObjectRef("flotilla.io/v1alpha1", "ResourceBinding", "default", "b");

  /**
   * Each step is "wrote REF VERSION", "forget REF", or "event REF VERSION"; the answers are those
   * of the events, in order (true: an echo, no pass queued).
   */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "an event for a version written here is an echo, once",
            List.of("wrote a 5", "event a 5", "event a 5"),
            List.of(true, false)),
        Arguments.of(
            "an event for a version not written here is news",
            List.of("wrote a 5", "event a 6"),
            List.of(false)),
        Arguments.of(
            "a version of another object is news",
            List.of("wrote a 5", "event b 5"),
            List.of(false)),
        Arguments.of(
            "a spec then a status write: both events are echoes",
            List.of("wrote a 5", "wrote a 6", "event a 5", "event a 6"),
            List.of(true, true)),
        Arguments.of(
            "an echo consumes the older records of its object (their events are past)",
            List.of("wrote a 5", "wrote a 6", "event a 6", "event a 5"),
            List.of(true, false)),
        Arguments.of(
            "at most two versions are kept per object",
            List.of("wrote a 5", "wrote a 6", "wrote a 7", "event a 5", "event a 6", "event a 7"),
            List.of(false, true, true)),
        Arguments.of(
            "a deleted object's records are forgotten",
            List.of("wrote a 5", "forget a", "event a 5"),
            List.of(false)),
        Arguments.of(
            "records of one object do not touch another's",
            List.of("wrote a 5", "wrote b 9", "forget a", "event b 9", "event a 5"),
            List.of(true, false)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void echoes(String name, List<String> steps, List<Boolean> answers) {
    OwnWrites writes = new OwnWrites();
    List<Boolean> got = new ArrayList<>();
    for (String step : steps) {
      String[] s = step.split(" ");
      ObjectRef ref = s[1].equals("a") ? A : B;
      switch (s[0]) {
        case "wrote" -> writes.wrote(ref, s[2]);
        case "forget" -> writes.forget(ref);
        case "event" -> got.add(writes.echo(ref, s[2]));
        default -> throw new IllegalArgumentException(step);
      }
    }
    assertThat(got).isEqualTo(answers);
  }

  @Test
  void anObjectWhoseRecordsAreAllEchoedIsNoLongerHeld() {
    OwnWrites writes = new OwnWrites();
    writes.wrote(A, "1");
    writes.wrote(A, "2");
    writes.wrote(B, "3");
    assertThat(writes.held()).isEqualTo(2);
    writes.echo(A, "2");
    assertThat(writes.held()).isEqualTo(1);
    writes.echo(B, "3");
    assertThat(writes.held()).isZero();
  }
}
