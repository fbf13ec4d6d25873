package io.flotilla.servers.rocketmq;

import io.flotilla.servers.tools.WorkloadLines;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.Pair;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.exception.RemotingException;
import org.apache.rocketmq.remoting.protocol.body.BrokerMemberGroup;
import org.apache.rocketmq.remoting.protocol.body.BrokerReplicasInfo;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.header.controller.ElectMasterResponseHeader;
import org.apache.rocketmq.remoting.protocol.header.controller.GetMetaDataResponseHeader;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * RocketMQ administration for Flotilla, run in a child JVM with RocketMQ's own classpath
 * (MQAdminExt and the client). Prints one result line per item on standard output, fields separated
 * by single spaces; exits 0 on success, 1 on a RocketMQ error (message on standard error), 2 on bad
 * usage. Addresses are {@code host:port}; lists of them are separated by {@code ;}.
 *
 * <pre>
 * clusters NAMESRV                   broker CLUSTER GROUP ID ADDRESS, for every broker
 * create-topic NAMESRV TOPIC QUEUES  created TOPIC GROUP ID ADDRESS, on every broker of every
 *                                    group: slaves copy topics from their master only every minute,
 *                                    and a slave promoted before that would not know the topic
 * broker-config BROKER KEY...        KEY=VALUE of the broker's live configuration
 * set-namesrv LIST BROKER...         BROKER namesrvAddr=LIST: sets each broker's name server list
 * controller CONTROLLERS             leader ID ADDRESS, then peers PEERS
 * sync-state CONTROLLERS GROUP...    master GROUP ID ADDRESS EPOCH, then in-sync|out-of-sync
 *                                    GROUP ID ADDRESS ALIVE for every replica the controller knows
 * elect CONTROLLERS CLUSTER GROUP [ID]  master GROUP ID ADDRESS EPOCH after an election by the
 *                                    controllers' policy (or of replica ID)
 * produce NAMESRV TOPIC PREFIX COUNT [INTERVAL_MS]
 *                                    sends PREFIX-0..COUNT-1; per message: ok KEY GROUP, or
 *                                    unacknowledged KEY STATUS, or failed KEY REASON
 * keys NAMESRV TOPIC                 the key of every message stored in TOPIC, read from every queue
 * workload NAMESRV TOPIC [INTERVAL_MS]
 *                                    until standard input ends (or reads "stop"), sends messages
 *                                    with key N = 0, 1, ... synchronously (the topic is created on
 *                                    every broker first) and pulls every fifth acknowledged one
 *                                    back from its queue: "ack N" (SEND_OK only), "read",
 *                                    "fail N REASON"
 * verify NAMESRV TOPIC               reads sequence numbers from standard input, one a line, and
 *                                    prints each one no message stored in TOPIC has as its key
 * </pre>
 */
public final class RocketMqAdmin {
  private static final long TIMEOUT_MS = 5000;
  private static final int WORKLOAD_QUEUES = 4;
  private static final long WORKLOAD_INTERVAL_MS = 20;
  private static final int VERIFY_TRIES = 10;
  private static final long VERIFY_PAUSE_MS = 2000;

  /** How many acknowledged messages the workload sends between two reads. */
  private static final int ACKS_PER_READ = 5;

  private RocketMqAdmin() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("rocketmq.log.level") == null) {
      System.setProperty("rocketmq.log.level", "WARN");
    }
    if (args.length < 2) {
      usage();
    }
    int code = 0;
    try {
      switch (args[0]) {
        case "clusters" -> clusters(args[1]);
        case "create-topic" ->
            createTopic(args[1], arg(args, 2), Integer.parseInt(arg(args, 3)), System.out::println);
        case "broker-config" -> brokerConfig(args[1], Arrays.copyOfRange(args, 2, args.length));
        case "set-namesrv" -> setNamesrv(args[1], Arrays.copyOfRange(args, 2, args.length));
        case "controller" -> controller(args[1]);
        case "sync-state" -> syncState(args[1], Arrays.copyOfRange(args, 2, args.length));
        case "elect" ->
            elect(
                args[1],
                arg(args, 2),
                arg(args, 3),
                args.length > 4 ? Long.valueOf(args[4]) : null);
        case "produce" ->
            produce(
                args[1],
                arg(args, 2),
                arg(args, 3),
                Integer.parseInt(arg(args, 4)),
                args.length > 5 ? Long.parseLong(args[5]) : 0);
        case "keys" -> keys(args[1], arg(args, 2), System.out::println);
        case "workload" ->
            workload(
                args[1],
                arg(args, 2),
                args.length > 3 ? Long.parseLong(args[3]) : WORKLOAD_INTERVAL_MS);
        case "verify" -> verify(args[1], arg(args, 2));
        default -> usage();
      }
    } catch (MQClientException | MQBrokerException | RemotingException | IllegalStateException e) {
      System.err.println(args[0] + " " + args[1] + ": " + e.getMessage());
      code = 1;
    }
    System.out.flush();
    // RocketMQ's clients leave non-daemon threads behind
    System.exit(code);
  }

  private static String arg(String[] args, int i) {
    if (i >= args.length) {
      usage();
    }
    return args[i];
  }

  private static void usage() {
    System.err.println(
        "usage: clusters|create-topic|broker-config|set-namesrv|controller|sync-state|elect|produce|keys|workload|verify ADDRESS ...");
    System.exit(2);
  }

  /**
   * An admin client. For commands that talk to a broker or a controller directly, {@code address}
   * is that server's: the client needs some name server list, or it asks RocketMQ's default address
   * server on the network for one.
   */
  private static DefaultMQAdminExt admin(String address) throws MQClientException {
    DefaultMQAdminExt admin = new DefaultMQAdminExt(TIMEOUT_MS);
    admin.setInstanceName("flotilla-admin-" + ProcessHandle.current().pid());
    // never empty: without a name server list the client looks one up from an address server
    admin.setNamesrvAddr(address);
    admin.start();
    return admin;
  }

  private static void clusters(String namesrv) throws Exception {
    DefaultMQAdminExt admin = admin(namesrv);
    try {
      ClusterInfo info = admin.examineBrokerClusterInfo();
      List<BrokerData> groups = new ArrayList<>(info.getBrokerAddrTable().values());
      groups.sort(Comparator.comparing(BrokerData::getBrokerName));
      for (BrokerData group : groups) {
        new TreeMap<>(group.getBrokerAddrs())
            .forEach(
                (id, address) ->
                    System.out.println(
                        String.join(
                            " ",
                            "broker",
                            group.getCluster(),
                            group.getBrokerName(),
                            String.valueOf(id),
                            address)));
      }
    } finally {
      admin.shutdown();
    }
  }

  private static void createTopic(
      String namesrv, String topic, int queues, Consumer<String> onCreated) throws Exception {
    DefaultMQAdminExt admin = admin(namesrv);
    try {
      ClusterInfo info = admin.examineBrokerClusterInfo();
      Map<String, BrokerData> groups = new TreeMap<>(info.getBrokerAddrTable());
      for (BrokerData group : groups.values()) {
        if (!group.getBrokerAddrs().containsKey(0L)) {
          throw new IllegalStateException(group.getBrokerName() + " has no master");
        }
        for (Map.Entry<Long, String> replica : new TreeMap<>(group.getBrokerAddrs()).entrySet()) {
          admin.createAndUpdateTopicConfig(
              replica.getValue(),
              new TopicConfig(topic, queues, queues, PermName.PERM_READ | PermName.PERM_WRITE));
          onCreated.accept(
              String.join(
                  " ",
                  "created",
                  topic,
                  group.getBrokerName(),
                  String.valueOf(replica.getKey()),
                  replica.getValue()));
        }
      }
    } finally {
      admin.shutdown();
    }
  }

  private static void brokerConfig(String broker, String[] keys) throws Exception {
    DefaultMQAdminExt admin = admin(broker);
    try {
      Properties p = admin.getBrokerConfig(broker);
      for (String key : keys) {
        System.out.println(key + "=" + p.getProperty(key, ""));
      }
    } finally {
      admin.shutdown();
    }
  }

  private static void setNamesrv(String list, String[] brokers) throws Exception {
    if (brokers.length == 0) {
      usage();
    }
    DefaultMQAdminExt admin = admin(brokers[0]);
    try {
      Properties update = new Properties();
      update.setProperty("namesrvAddr", list);
      for (String broker : brokers) {
        admin.updateBrokerConfig(broker, update);
        String now = admin.getBrokerConfig(broker).getProperty("namesrvAddr", "");
        if (!now.equals(list)) {
          throw new IllegalStateException(broker + " kept namesrvAddr=" + now);
        }
        System.out.println(broker + " namesrvAddr=" + now);
      }
    } finally {
      admin.shutdown();
    }
  }

  /**
   * The controllers' metadata from the first of them that names a leader.
   *
   * @param controllers {@code host:port;...}
   */
  private static GetMetaDataResponseHeader leader(DefaultMQAdminExt admin, String controllers)
      throws Exception {
    Exception last = null;
    for (String controller : controllers.split(";")) {
      try {
        GetMetaDataResponseHeader meta = admin.getControllerMetaData(controller);
        if (meta != null
            && meta.getControllerLeaderAddress() != null
            && !meta.getControllerLeaderAddress().isEmpty()) {
          return meta;
        }
      } catch (RemotingException | MQBrokerException e) {
        last = e;
      }
    }
    throw new IllegalStateException(
        "no controller of "
            + controllers
            + " knows a leader"
            + (last == null ? "" : " (" + last.getMessage() + ")"));
  }

  private static void controller(String controller) throws Exception {
    DefaultMQAdminExt admin = admin(controller.split(";")[0]);
    try {
      GetMetaDataResponseHeader meta = leader(admin, controller);
      System.out.println(
          "leader " + meta.getControllerLeaderId() + " " + meta.getControllerLeaderAddress());
      System.out.println("peers " + meta.getPeers());
    } finally {
      admin.shutdown();
    }
  }

  private static void syncState(String controller, String[] groups) throws Exception {
    DefaultMQAdminExt admin = admin(controller.split(";")[0]);
    try {
      String leader = leader(admin, controller).getControllerLeaderAddress();
      BrokerReplicasInfo info = admin.getInSyncStateData(leader, List.of(groups));
      new TreeMap<>(info.getReplicasInfoTable())
          .forEach(
              (group, replicas) -> {
                System.out.println(
                    String.join(
                        " ",
                        "master",
                        group,
                        String.valueOf(replicas.getMasterBrokerId()),
                        String.valueOf(replicas.getMasterAddress()),
                        String.valueOf(replicas.getMasterEpoch())));
                for (BrokerReplicasInfo.ReplicaIdentity r : replicas.getInSyncReplicas()) {
                  System.out.println(replica("in-sync", group, r));
                }
                for (BrokerReplicasInfo.ReplicaIdentity r : replicas.getNotInSyncReplicas()) {
                  System.out.println(replica("out-of-sync", group, r));
                }
              });
    } finally {
      admin.shutdown();
    }
  }

  private static String replica(String kind, String group, BrokerReplicasInfo.ReplicaIdentity r) {
    return String.join(
        " ",
        kind,
        group,
        String.valueOf(r.getBrokerId()),
        r.getBrokerAddress(),
        String.valueOf(r.getAlive()));
  }

  private static void elect(String controller, String cluster, String group, Long id)
      throws Exception {
    DefaultMQAdminExt admin = admin(controller.split(";")[0]);
    try {
      String leader = leader(admin, controller).getControllerLeaderAddress();
      Pair<ElectMasterResponseHeader, BrokerMemberGroup> result =
          admin.electMaster(leader, cluster, group, id);
      ElectMasterResponseHeader h = result.getObject1();
      System.out.println(
          String.join(
              " ",
              "master",
              group,
              String.valueOf(h.getMasterBrokerId()),
              String.valueOf(h.getMasterAddress()),
              String.valueOf(h.getMasterEpoch())));
    } finally {
      admin.shutdown();
    }
  }

  private static void produce(
      String namesrv, String topic, String prefix, int count, long intervalMs) throws Exception {
    DefaultMQProducer producer = new DefaultMQProducer("flotilla-producer");
    producer.setNamesrvAddr(namesrv);
    producer.setInstanceName("flotilla-producer-" + ProcessHandle.current().pid());
    producer.setSendLatencyFaultEnable(true);
    producer.setRetryTimesWhenSendFailed(2);
    producer.setSendMsgTimeout(3000);
    producer.start();
    try {
      for (int n = 0; n < count; n++) {
        String key = prefix + "-" + n;
        Message m = new Message(topic, "flotilla", key, key.getBytes(StandardCharsets.UTF_8));
        try {
          SendResult r = producer.send(m);
          if (r.getSendStatus() == SendStatus.SEND_OK) {
            System.out.println("ok " + key + " " + r.getMessageQueue().getBrokerName());
          } else {
            System.out.println("unacknowledged " + key + " " + r.getSendStatus());
          }
        } catch (Exception e) {
          // whatever the client throws, the message was not acknowledged; keep sending
          System.out.println("failed " + key + " " + reason(e));
        }
        System.out.flush();
        if (intervalMs > 0) {
          TimeUnit.MILLISECONDS.sleep(intervalMs);
        }
      }
    } finally {
      producer.shutdown();
    }
  }

  /** The exception's first line and its root cause's, which says what the broker answered. */
  private static String reason(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String first = WorkloadLines.oneLine(e.getMessage());
    return root == e ? first : first + " (" + WorkloadLines.oneLine(root.getMessage()) + ")";
  }

  @SuppressWarnings("deprecation")
  private static void keys(String namesrv, String topic, Consumer<String> onKey) throws Exception {
    DefaultMQPullConsumer consumer = new DefaultMQPullConsumer("flotilla-reader");
    consumer.setNamesrvAddr(namesrv);
    consumer.setInstanceName("flotilla-reader-" + ProcessHandle.current().pid());
    consumer.start();
    try {
      List<MessageQueue> queues = new ArrayList<>(consumer.fetchSubscribeMessageQueues(topic));
      queues.sort(Comparator.naturalOrder());
      for (MessageQueue q : queues) {
        long offset = consumer.minOffset(q);
        long max = consumer.maxOffset(q);
        while (offset < max) {
          PullResult r = consumer.pull(q, "*", offset, 32, TIMEOUT_MS);
          if (r.getMsgFoundList() != null) {
            for (MessageExt m : r.getMsgFoundList()) {
              onKey.accept(m.getKeys());
            }
          }
          if (r.getNextBeginOffset() <= offset) {
            throw new IllegalStateException(
                q + " stopped at offset " + offset + " of " + max + ": " + r.getPullStatus());
          }
          offset = r.getNextBeginOffset();
        }
      }
    } finally {
      consumer.shutdown();
    }
  }

  /**
   * Sends one message per interval, synchronously, until standard input ends: acknowledged only on
   * SEND_OK, which with the adapter's settings means the message reached an in-sync replica in
   * another cluster. Every fifth acknowledged message is pulled back from the queue and offset the
   * broker gave it. A send fails within the producer's timeout when no broker takes it.
   */
  @SuppressWarnings("deprecation")
  private static void workload(String namesrv, String topic, long intervalMs) throws Exception {
    AtomicBoolean stopping = WorkloadLines.watchInput();
    String instance = "flotilla-workload-" + ProcessHandle.current().pid();
    DefaultMQProducer producer = new DefaultMQProducer("flotilla-workload");
    producer.setNamesrvAddr(namesrv);
    producer.setInstanceName(instance);
    producer.setSendLatencyFaultEnable(true);
    producer.setRetryTimesWhenSendFailed(2);
    producer.setSendMsgTimeout(3000);
    DefaultMQPullConsumer reader = new DefaultMQPullConsumer("flotilla-workload-reader");
    reader.setNamesrvAddr(namesrv);
    reader.setInstanceName(instance);
    producer.start();
    reader.start();
    try {
      boolean topicReady = false;
      long acked = 0;
      for (long n = 0; !stopping.get(); n++) {
        String key = Long.toString(n);
        try {
          if (!topicReady) {
            createTopic(namesrv, topic, WORKLOAD_QUEUES, line -> {});
            topicReady = true;
          }
          SendResult r =
              producer.send(
                  new Message(topic, "flotilla", key, key.getBytes(StandardCharsets.UTF_8)));
          if (r.getSendStatus() != SendStatus.SEND_OK) {
            WorkloadLines.fail(n, r.getSendStatus().toString());
          } else {
            WorkloadLines.ack(n);
            if (++acked % ACKS_PER_READ == 0) {
              read(reader, r.getMessageQueue(), r.getQueueOffset(), key);
            }
          }
        } catch (Exception e) {
          // whatever the client throws, the message was not acknowledged; go on with the next
          WorkloadLines.fail(n, reason(e));
        }
        if (intervalMs > 0) {
          TimeUnit.MILLISECONDS.sleep(intervalMs);
        }
      }
    } finally {
      reader.shutdown();
      producer.shutdown();
    }
  }

  /** Pulls the message at {@code offset} of {@code queue} and checks it is the one sent. */
  @SuppressWarnings("deprecation")
  private static void read(
      DefaultMQPullConsumer reader, MessageQueue queue, long offset, String key) {
    try {
      PullResult r = reader.pull(queue, "*", offset, 1, TIMEOUT_MS);
      List<MessageExt> found = r.getMsgFoundList();
      if (r.getPullStatus() == PullStatus.FOUND
          && found != null
          && !found.isEmpty()
          && key.equals(found.get(0).getKeys())) {
        WorkloadLines.read();
      } else {
        System.err.println("read " + queue + " offset " + offset + ": " + r.getPullStatus());
      }
    } catch (Exception e) {
      System.err.println("read " + queue + " offset " + offset + ": " + reason(e));
    }
  }

  /**
   * Reads sequence numbers from standard input; prints each one no stored message has as key. The
   * whole topic is read again, up to {@value #VERIFY_TRIES} times, while a read fails: right after
   * a failover a name server in the list may be gone and the routes still settling.
   */
  private static void verify(String namesrv, String topic) throws Exception {
    List<Long> wanted = WorkloadLines.sequences();
    Set<String> stored = new HashSet<>();
    for (int attempt = 1; ; attempt++) {
      try {
        keys(namesrv, topic, stored::add);
        break;
      } catch (Exception e) {
        if (attempt == VERIFY_TRIES) {
          throw e;
        }
        System.err.println("reading " + topic + " failed (" + reason(e) + "); reading again");
        stored.clear();
        Thread.sleep(VERIFY_PAUSE_MS);
      }
    }
    WorkloadLines.printMissing(wanted, n -> stored.contains(Long.toString(n)));
  }
}
