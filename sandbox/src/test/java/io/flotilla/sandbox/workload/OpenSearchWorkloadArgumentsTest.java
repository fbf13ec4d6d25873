package io.flotilla.sandbox.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenSearchWorkloadArgumentsTest {
  private static final List<URI> NODE = List.of(URI.create("http://127.0.0.1:1"));

  @ParameterizedTest
  @CsvSource({"0, 1", "1, 2", "2, 2", "5, 2"})
  void anAckNeedsTwoCopiesWhenThereAreReplicas(int replicas, int copies) {
    assertThat(new OpenSearchWorkload(NODE, "demo", replicas).waitForActiveShards())
        .isEqualTo(copies);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Demo", "_demo", "de/mo", "demo?x=1"})
  void aBadIndexNameIsNamed(String index) {
    assertThatThrownBy(() -> new OpenSearchWorkload(NODE, index, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index \"" + index + "\" is not a lower-case index name");
  }

  @Test
  void badCountsAndNoNodesAreRefused() {
    assertThatThrownBy(() -> new OpenSearchWorkload(List.of(), "demo", 1))
        .hasMessageContaining("no node addresses");
    assertThatThrownBy(
            () -> new OpenSearchWorkload(NODE, "demo", 0, 1, Duration.ZERO, System::nanoTime))
        .hasMessageContaining("index demo needs shards >= 1 and replicas >= 0, got 0 and 1");
    assertThatThrownBy(() -> new OpenSearchWorkload(NODE, "demo", -1))
        .hasMessageContaining("got 3 and -1");
  }

  @Test
  void nodesThatCannotBeReachedFailTheStartWithTheIndexAndTheNode() {
    try (OpenSearchWorkload w = new OpenSearchWorkload(NODE, "demo", 1)) {
      assertThatThrownBy(w::start)
          .isInstanceOf(WorkloadException.class)
          .hasMessageContaining("cannot create index demo on any node")
          .hasMessageContaining("http://127.0.0.1:1");
      assertThat(w.verify(Duration.ofSeconds(1)).acknowledged()).isZero();
    }
  }
}
