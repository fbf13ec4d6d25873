package io.flotilla.sandbox.workload;

import io.flotilla.runtime.Tools;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Kafka's workload: one record per sequence number N (key and value N) sent with acks=all by an
 * idempotent producer to a topic with three replicas and min.insync.replicas=2 (created when
 * absent), each acknowledged when its send completed; a consumer polling the topic makes the reads.
 * Verified by reading every partition from its beginning to its end.
 */
public final class KafkaWorkload {
  static final String TOOL = "io.flotilla.servers.kafka.KafkaAdmin";

  private KafkaWorkload() {}

  /**
   * @param bootstrap the brokers' addresses, {@code host:port,...}
   * @param topic the topic; fresh for each run, or earlier runs' records count as read back
   */
  public static ToolWorkload of(Tools tools, String bootstrap, String topic) {
    return of(tools, bootstrap, topic, System::nanoTime);
  }

  public static ToolWorkload of(
      Tools tools, String bootstrap, String topic, LongSupplier nanoTime) {
    return new ToolWorkload(
        tools,
        new ToolWorkload.Command(
            "kafka records in topic " + topic,
            "kafka",
            TOOL,
            List.of("workload", "--bootstrap-server", bootstrap, topic),
            List.of("verify", "--bootstrap-server", bootstrap, topic),
            Map.of()),
        nanoTime);
  }
}
