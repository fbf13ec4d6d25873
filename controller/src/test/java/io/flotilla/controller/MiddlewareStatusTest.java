package io.flotilla.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.Placement;
import io.flotilla.api.ShardPlacement;
import io.flotilla.middleware.BaseIds;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class MiddlewareStatusTest {
  @Test
  void theRunningShardsMembersSurviveARestartOfTheController() {
    Placement running = Placement.builder().put("master", "dc1", 1).put("slave", "dc2", 1).build();
    MiddlewareStatus status =
        MiddlewareStatus.EMPTY.withRunning(
            running,
            new BaseIds(
                Map.of(
                    "master", new TreeMap<>(Map.of("dc1", 1)),
                    "slave", new TreeMap<>(Map.of("dc2", 4)))),
            List.of(new ShardPlacement(0, "dc1", List.of("dc2"))),
            new TreeMap<>(Map.of(0, List.of(1, 4))));
    String written = JsonMapper.builder().build().writeValueAsString(status.toJson());
    MiddlewareStatus read =
        MiddlewareStatus.fromJson(JsonMapper.builder().build().readTree(written));
    assertThat(read.runningShardIds()).containsExactlyEntriesOf(Map.of(0, List.of(1, 4)));
    assertThat(read.runningShards()).isEqualTo(status.runningShards());
  }

  @Test
  void aStatusWrittenBeforeShardMembersWereRecordedReadsWithNone() {
    MiddlewareStatus read =
        MiddlewareStatus.fromJson(
            JsonMapper.builder().build().readTree("{\"observedGeneration\": 1}"));
    assertThat(read.runningShardIds()).isEmpty();
  }
}
