package io.flotilla.store.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.api.ObjectRef;
import io.flotilla.store.events.EventLog.Event;
import io.flotilla.store.events.EventLog.Type;
import io.flotilla.store.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventLogTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final ObjectRef ZK =
      new ObjectRef("flotilla.io/v1alpha1", "Middleware", "default", "zk");
  private static final ObjectRef REDIS =
      new ObjectRef("flotilla.io/v1alpha1", "Middleware", "default", "redis");
  private static final ObjectRef DC1 =
      new ObjectRef("flotilla.io/v1alpha1", "MemberCluster", "", "dc1");

  /** One step of a case: the clock moves by a second, then the step runs on the log. */
  private record Step(String what, Consumer<EventLog> action) {}

  private record Expected(
      ObjectRef ref,
      Type type,
      String reason,
      String message,
      int count,
      int firstSecond,
      int lastSecond) {}

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "an event repeated is counted, keeps its first time and moves its last",
            5,
            List.of(
                new Step(
                    "placed", l -> l.normal(ZK, "controller", "Scheduled", "dc1=2 dc2=2 dc3=1")),
                new Step(
                    "placed again",
                    l -> l.normal(ZK, "controller", "Scheduled", "dc1=2 dc2=2 dc3=1"))),
            ZK,
            List.of(new Expected(ZK, Type.Normal, "Scheduled", "dc1=2 dc2=2 dc3=1", 2, 1, 2))),
        Arguments.of(
            "another message is another event",
            5,
            List.of(
                new Step(
                    "placed", l -> l.normal(ZK, "controller", "Scheduled", "dc1=2 dc2=2 dc3=1")),
                new Step("moved", l -> l.normal(ZK, "controller", "Scheduled", "dc1=2 dc3=3"))),
            ZK,
            List.of(
                new Expected(ZK, Type.Normal, "Scheduled", "dc1=2 dc2=2 dc3=1", 1, 1, 1),
                new Expected(ZK, Type.Normal, "Scheduled", "dc1=2 dc3=3", 1, 2, 2))),
        Arguments.of(
            "the same reason as a warning is another event",
            5,
            List.of(
                new Step("normal", l -> l.normal(ZK, "controller", "Rolling", "x")),
                new Step("warning", l -> l.warning(ZK, "controller", "Rolling", "x"))),
            ZK,
            List.of(
                new Expected(ZK, Type.Normal, "Rolling", "x", 1, 1, 1),
                new Expected(ZK, Type.Warning, "Rolling", "x", 1, 2, 2))),
        Arguments.of(
            "a repeated event becomes the newest",
            5,
            List.of(
                new Step("lost", l -> l.warning(ZK, "controller", "ClusterLost", "lost: dc2")),
                new Step("placed", l -> l.normal(ZK, "controller", "Scheduled", "dc1=3 dc3=2")),
                new Step(
                    "lost again", l -> l.warning(ZK, "controller", "ClusterLost", "lost: dc2"))),
            ZK,
            List.of(
                new Expected(ZK, Type.Normal, "Scheduled", "dc1=3 dc3=2", 1, 2, 2),
                new Expected(ZK, Type.Warning, "ClusterLost", "lost: dc2", 2, 1, 3))),
        Arguments.of(
            "only the events about the object asked for are listed",
            5,
            List.of(
                new Step("zk", l -> l.normal(ZK, "controller", "Scheduled", "a")),
                new Step("redis", l -> l.normal(REDIS, "controller", "Scheduled", "b")),
                new Step("dc1", l -> l.warning(DC1, "api", "Cordoned", "c"))),
            REDIS,
            List.of(new Expected(REDIS, Type.Normal, "Scheduled", "b", 1, 2, 2))),
        Arguments.of(
            "beyond capacity the event seen longest ago goes first",
            2,
            List.of(
                new Step("one", l -> l.normal(ZK, "controller", "R", "1")),
                new Step("two", l -> l.normal(ZK, "controller", "R", "2")),
                new Step("one again", l -> l.normal(ZK, "controller", "R", "1")),
                new Step("three", l -> l.normal(ZK, "controller", "R", "3"))),
            ZK,
            List.of(
                new Expected(ZK, Type.Normal, "R", "1", 2, 1, 3),
                new Expected(ZK, Type.Normal, "R", "3", 1, 4, 4))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void events(
      String name, int capacity, List<Step> steps, ObjectRef asked, List<Expected> expected) {
    MutableClock clock = new MutableClock(T0);
    EventLog log = new EventLog(clock, capacity);
    for (Step s : steps) {
      clock.advance(Duration.ofSeconds(1));
      s.action().accept(log);
    }
    List<Expected> got =
        log.of(asked).stream()
            .map(
                (Event e) ->
                    new Expected(
                        e.involved(),
                        e.type(),
                        e.reason(),
                        e.message(),
                        e.count(),
                        (int) Duration.between(T0, e.first()).toSeconds(),
                        (int) Duration.between(T0, e.last()).toSeconds()))
            .toList();
    assertThat(got).containsExactlyElementsOf(expected);
    assertThat(log.all()).hasSizeLessThanOrEqualTo(capacity);
  }

  @Test
  void allListsEveryObjectsEventsOldestFirst() {
    MutableClock clock = new MutableClock(T0);
    EventLog log = new EventLog(clock);
    log.normal(ZK, "controller", "Scheduled", "a");
    clock.advance(Duration.ofSeconds(1));
    log.warning(DC1, "api", "Cordoned", "b");
    assertThat(log.all()).extracting(Event::reason).containsExactly("Scheduled", "Cordoned");
  }

  @Test
  void aCapacityBelowOneIsRefusedNamingTheField() {
    assertThatThrownBy(() -> new EventLog(new MutableClock(T0), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity: must be at least 1, was 0");
  }
}
