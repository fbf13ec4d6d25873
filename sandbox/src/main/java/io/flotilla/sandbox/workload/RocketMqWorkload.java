package io.flotilla.sandbox.workload;

import io.flotilla.runtime.Tools;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * RocketMQ's workload: one message per sequence number N (key N) sent synchronously to a topic
 * created on every broker, acknowledged only on SEND_OK (with the adapter's settings: stored on an
 * in-sync replica in another cluster); every fifth acknowledged message is pulled back from its
 * queue. Verified by pulling every queue of the topic from its first offset to its last.
 */
public final class RocketMqWorkload {
  static final String TOOL = "io.flotilla.servers.rocketmq.RocketMqAdmin";

  private RocketMqWorkload() {}

  /**
   * @param nameServers the name servers, {@code host:port;...}
   * @param topic the topic; fresh for each run, or earlier runs' messages count as read back
   */
  public static ToolWorkload of(Tools tools, String nameServers, String topic) {
    return of(tools, nameServers, topic, System::nanoTime);
  }

  public static ToolWorkload of(
      Tools tools, String nameServers, String topic, LongSupplier nanoTime) {
    return new ToolWorkload(
        tools,
        new ToolWorkload.Command(
            "rocketmq messages in topic " + topic,
            "rocketmq",
            TOOL,
            List.of("workload", nameServers, topic),
            List.of("verify", nameServers, topic),
            Map.of()),
        nanoTime);
  }
}
