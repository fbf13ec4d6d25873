package io.flotilla.servers.kafka;

import io.flotilla.servers.tools.WorkloadLines;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.RaftVoterEndpoint;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka administration for Flotilla through Kafka's Admin API, run in a child JVM with Kafka's own
 * classpath: the KRaft metadata quorum (KIP-853 dynamic voters), broker registrations, partition
 * reassignment, and the clients a drill needs. Prints one result line per item on standard output;
 * exits 0 on success, 1 on a Kafka error or timeout (message on standard error), 2 on bad usage.
 *
 * <pre>
 * COMMAND (--bootstrap-server | --bootstrap-controller) HOST:PORT[,...] ARGS
 *
 * quorum                         "leader ID epoch E", then "voter|observer ID DIRECTORY-ID LEO"
 * add-voter ID HOST:PORT         makes controller ID (an observer, caught up) a voter on HOST:PORT
 * remove-voter ID                removes voter ID (nothing to do when it is not one)
 * brokers                        "broker ID HOST:PORT rack RACK fenced|unfenced"
 * unregister-broker ID           removes lost broker ID's registration once it is fenced
 *                                (nothing to do when absent; refused while it stays unfenced)
 * topics                         "TOPIC PARTITION leader L replicas A,B,C isr A,B", every topic
 *                                (leader -1 when it has none; "-" for an empty list)
 * reassign LOST[,...] NEW[,...] SECONDS
 *                                moves each replica on a lost broker to a new broker that
 *                                partition lacks, and waits until every moved partition's ISR is
 *                                its whole new replica list: "moved TOPIC P A,B,C -&gt; A,B,D"
 * create-topic NAME PARTITIONS RF [CONFIG=VALUE]...
 * produce TOPIC FROM COUNT       sends keys k-FROM.. with acks=all; prints each acknowledged key
 * consume TOPIC                  prints the key of every record up to the current end
 * workload TOPIC [INTERVAL_MS]   until standard input ends (or reads "stop"), sends records with
 *                                key and value N = 0, 1, ... (acks=all, idempotent; the topic is
 *                                created with 3 replicas and min.insync.replicas=2 when absent)
 *                                while a consumer reads the topic: "ack N", "read" (a poll that
 *                                returned records), "fail N REASON"; in-flight sends are finished
 *                                before it exits
 * verify TOPIC                   reads sequence numbers from standard input, one a line, and
 *                                prints each one no record of TOPIC has as its key
 * </pre>
 */
public final class KafkaAdmin {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  /** The workload's topic when it creates it: one replica per rack, two in sync for acks=all. */
  private static final int WORKLOAD_PARTITIONS = 3;

  private static final short WORKLOAD_REPLICATION = 3;
  private static final String WORKLOAD_MIN_ISR = "2";
  private static final long WORKLOAD_INTERVAL_MS = 20;

  private KafkaAdmin() {}

  public static void main(String[] args) throws Exception {
    // the tool's standard error carries its own messages; Kafka's chatter only when it matters
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    if (args.length < 3) {
      usage();
    }
    String command = args[0];
    Properties connect = new Properties();
    switch (args[1]) {
      case "--bootstrap-server" ->
          connect.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, args[2]);
      case "--bootstrap-controller" ->
          connect.put(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, args[2]);
      default -> usage();
    }
    List<String> rest = List.of(args).subList(3, args.length);
    try {
      switch (command) {
        case "quorum" -> withAdmin(connect, KafkaAdmin::quorum);
        case "add-voter" ->
            withAdmin(connect, a -> addVoter(a, Integer.parseInt(arg(rest, 0)), arg(rest, 1)));
        case "remove-voter" ->
            withAdmin(connect, a -> removeVoter(a, Integer.parseInt(arg(rest, 0))));
        case "brokers" -> withAdmin(connect, KafkaAdmin::brokers);
        case "unregister-broker" ->
            withAdmin(connect, a -> unregisterBroker(a, Integer.parseInt(arg(rest, 0))));
        case "topics" -> withAdmin(connect, a -> topics(a).forEach(KafkaAdmin::printPartition));
        case "reassign" ->
            withAdmin(
                connect,
                a ->
                    reassign(
                        a,
                        ids(arg(rest, 0)),
                        ids(arg(rest, 1)),
                        Duration.ofSeconds(Long.parseLong(arg(rest, 2)))));
        case "create-topic" -> withAdmin(connect, a -> createTopic(a, rest));
        case "produce" ->
            produce(
                connect,
                arg(rest, 0),
                Integer.parseInt(arg(rest, 1)),
                Integer.parseInt(arg(rest, 2)));
        case "consume" -> readKeys(connect, arg(rest, 0), System.out::println);
        case "workload" ->
            workload(
                connect,
                arg(rest, 0),
                rest.size() > 1 ? Long.parseLong(rest.get(1)) : WORKLOAD_INTERVAL_MS);
        case "verify" -> verify(connect, arg(rest, 0));
        default -> usage();
      }
    } catch (ExecutionException e) {
      fail(e.getCause());
    } catch (Exception e) {
      fail(e);
    }
    System.exit(0);
  }

  private interface AdminAction {
    void run(Admin admin) throws Exception;
  }

  private static void withAdmin(Properties connect, AdminAction action) throws Exception {
    Properties p = new Properties();
    p.putAll(connect);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
    try (Admin admin = Admin.create(p)) {
      action.run(admin);
    }
  }

  private static void quorum(Admin admin) throws Exception {
    QuorumInfo q = admin.describeMetadataQuorum().quorumInfo().get();
    System.out.println("leader " + q.leaderId() + " epoch " + q.leaderEpoch());
    for (QuorumInfo.ReplicaState v : q.voters()) {
      System.out.println(replicaLine("voter", v, q));
    }
    for (QuorumInfo.ReplicaState o : q.observers()) {
      System.out.println(replicaLine("observer", o, q));
    }
  }

  private static String replicaLine(String kind, QuorumInfo.ReplicaState r, QuorumInfo q) {
    String endpoints =
        Optional.ofNullable(q.nodes().get(r.replicaId())).stream()
            .flatMap(n -> n.endpoints().stream())
            .map(e -> e.name() + "://" + e.host() + ":" + e.port())
            .collect(Collectors.joining(","));
    return kind
        + " "
        + r.replicaId()
        + " "
        + r.replicaDirectoryId()
        + " "
        + r.logEndOffset()
        + (endpoints.isEmpty() ? "" : " " + endpoints);
  }

  /**
   * Adds an observer as a voter. The leader accepts only a replica that has caught up with its log,
   * so a fresh controller is retried until it has, for the timeout.
   */
  private static void addVoter(Admin admin, int id, String hostPort) throws Exception {
    int colon = hostPort.lastIndexOf(':');
    RaftVoterEndpoint endpoint =
        new RaftVoterEndpoint(
            CONTROLLER_LISTENER,
            hostPort.substring(0, colon),
            Integer.parseInt(hostPort.substring(colon + 1)));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      QuorumInfo q = admin.describeMetadataQuorum().quorumInfo().get();
      if (q.voters().stream().anyMatch(v -> v.replicaId() == id)) {
        break;
      }
      Optional<QuorumInfo.ReplicaState> observer =
          q.observers().stream().filter(o -> o.replicaId() == id).findFirst();
      String why;
      if (observer.isEmpty()) {
        why = "controller " + id + " is not fetching from the quorum as an observer";
      } else {
        try {
          admin.addRaftVoter(id, observer.get().replicaDirectoryId(), Set.of(endpoint)).all().get();
          break;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof RetriableException)) {
            throw e;
          }
          why = e.getCause().getMessage();
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "cannot add voter " + id + " within " + TIMEOUT.toSeconds() + " s: " + why);
      }
      Thread.sleep(500);
    }
    quorum(admin);
  }

  private static void removeVoter(Admin admin, int id) throws Exception {
    QuorumInfo q = admin.describeMetadataQuorum().quorumInfo().get();
    Optional<QuorumInfo.ReplicaState> voter =
        q.voters().stream().filter(v -> v.replicaId() == id).findFirst();
    if (voter.isPresent()) {
      admin.removeRaftVoter(id, voter.get().replicaDirectoryId()).all().get();
    }
    quorum(admin);
  }

  private static void brokers(Admin admin) throws Exception {
    Collection<Node> nodes =
        admin
            .describeCluster(new DescribeClusterOptions().includeFencedBrokers(true))
            .nodes()
            .get();
    nodes.stream()
        .sorted((a, b) -> Integer.compare(a.id(), b.id()))
        .forEach(
            n ->
                System.out.println(
                    "broker "
                        + n.id()
                        + " "
                        + n.host()
                        + ":"
                        + n.port()
                        + " rack "
                        + n.rack()
                        + (n.isFenced() ? " fenced" : " unfenced")));
  }

  /**
   * Unregisters a lost broker: one the controller has fenced (it stopped heartbeating) or that is
   * gone already. A broker still unfenced after the timeout is alive, and is left alone: dropping a
   * live broker's registration would take it out of every ISR.
   */
  private static void unregisterBroker(Admin admin, int id) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (admin
        .describeCluster(new DescribeClusterOptions().includeFencedBrokers(true))
        .nodes()
        .get()
        .stream()
        .anyMatch(n -> n.id() == id && !n.isFenced())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "broker "
                + id
                + " is still unfenced after "
                + TIMEOUT.toSeconds()
                + " s: it is alive, so its registration stays");
      }
      Thread.sleep(500);
    }
    try {
      admin.unregisterBroker(id).all().get();
      System.out.println("unregistered " + id);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof BrokerIdNotRegisteredException)) {
        throw e;
      }
      System.out.println("not registered " + id);
    }
  }

  /** Every topic's partitions, internal ones too, by topic name then partition. */
  private static Map<TopicPartition, TopicPartitionInfo> topics(Admin admin) throws Exception {
    Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
    Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
    Map<TopicPartition, TopicPartitionInfo> out =
        new TreeMap<>(
            (a, b) -> {
              int c = a.topic().compareTo(b.topic());
              return c != 0 ? c : Integer.compare(a.partition(), b.partition());
            });
    described.forEach(
        (name, d) ->
            d.partitions().forEach(p -> out.put(new TopicPartition(name, p.partition()), p)));
    return out;
  }

  private static void printPartition(TopicPartition tp, TopicPartitionInfo p) {
    System.out.println(
        tp.topic()
            + " "
            + tp.partition()
            + " leader "
            + (p.leader() == null ? -1 : p.leader().id())
            + " replicas "
            + join(p.replicas().stream().map(Node::id).toList())
            + " isr "
            + join(p.isr().stream().map(Node::id).toList()));
  }

  private static void reassign(
      Admin admin, List<Integer> lost, List<Integer> replacements, Duration timeout)
      throws Exception {
    Map<TopicPartition, List<Integer>> before = new LinkedHashMap<>();
    Map<TopicPartition, List<Integer>> targets = new LinkedHashMap<>();
    for (Map.Entry<TopicPartition, TopicPartitionInfo> e : topics(admin).entrySet()) {
      List<Integer> replicas = e.getValue().replicas().stream().map(Node::id).toList();
      if (replicas.stream().noneMatch(lost::contains)) {
        continue;
      }
      List<Integer> target = new ArrayList<>();
      for (int r : replicas) {
        if (!lost.contains(r)) {
          target.add(r);
          continue;
        }
        int replacement =
            replacements.stream()
                .filter(n -> !replicas.contains(n) && !target.contains(n))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            e.getKey()
                                + " has replicas "
                                + replicas
                                + ": no broker among "
                                + replacements
                                + " is left to replace "
                                + r));
        target.add(replacement);
      }
      before.put(e.getKey(), replicas);
      targets.put(e.getKey(), target);
    }
    if (targets.isEmpty()) {
      return;
    }
    Map<TopicPartition, Optional<NewPartitionReassignment>> request = new HashMap<>();
    targets.forEach((tp, t) -> request.put(tp, Optional.of(new NewPartitionReassignment(t))));
    admin.alterPartitionReassignments(request).all().get();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Set<TopicPartition> moving =
          admin.listPartitionReassignments(targets.keySet()).reassignments().get().keySet();
      Map<TopicPartition, TopicPartitionInfo> now = topics(admin);
      List<TopicPartition> lagging =
          targets.keySet().stream()
              .filter(tp -> moving.contains(tp) || !full(now.get(tp), targets.get(tp)))
              .toList();
      if (lagging.isEmpty()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "within "
                + timeout.toSeconds()
                + " s, these partitions did not get their whole new replica list in sync: "
                + lagging);
      }
      Thread.sleep(500);
    }
    targets.forEach(
        (tp, t) ->
            System.out.println(
                "moved "
                    + tp.topic()
                    + " "
                    + tp.partition()
                    + " "
                    + join(before.get(tp))
                    + " -> "
                    + join(t)));
  }

  private static boolean full(TopicPartitionInfo p, List<Integer> target) {
    if (p == null) {
      return false;
    }
    List<Integer> replicas = p.replicas().stream().map(Node::id).toList();
    Set<Integer> isr = p.isr().stream().map(Node::id).collect(Collectors.toSet());
    return replicas.equals(target) && isr.containsAll(target);
  }

  private static void createTopic(Admin admin, List<String> args) throws Exception {
    NewTopic topic =
        new NewTopic(arg(args, 0), Integer.parseInt(arg(args, 1)), Short.parseShort(arg(args, 2)));
    Map<String, String> configs = new TreeMap<>();
    for (String kv : args.subList(3, args.size())) {
      int eq = kv.indexOf('=');
      if (eq < 0) {
        usage();
      }
      configs.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    topic.configs(configs);
    try {
      admin.createTopics(List.of(topic)).all().get();
      System.out.println("created " + topic.name());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
      System.out.println("exists " + topic.name());
    }
  }

  /**
   * Sends COUNT records with acks=all and idempotence, printing each acknowledged key as it is
   * acknowledged. Exits 1 (after printing what was acknowledged) when any record was not.
   */
  private static void produce(Properties connect, String topic, int from, int count)
      throws Exception {
    Properties p = new Properties();
    p.putAll(connect);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    AtomicReference<Exception> firstError = new AtomicReference<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (int n = from; n < from + count; n++) {
        String key = "k-" + n;
        producer.send(
            new ProducerRecord<>(topic, key, Integer.toString(n)),
            (metadata, error) -> {
              if (error == null) {
                acknowledged.add(key);
              } else {
                firstError.compareAndSet(null, error);
              }
            });
      }
      producer.flush();
    }
    acknowledged.forEach(System.out::println);
    if (firstError.get() != null) {
      System.err.println(
          (count - acknowledged.size())
              + " of "
              + count
              + " records were not acknowledged: "
              + firstError.get().getMessage());
      System.exit(1);
    }
  }

  /**
   * Reads every partition from the beginning to its end as of the start, without a group, handing
   * on each record's key. A topic that does not exist has no records.
   */
  private static void readKeys(Properties connect, String topic, Consumer<String> onKey) {
    Properties p = new Properties();
    p.putAll(connect);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, TIMEOUT)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, TIMEOUT) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "cannot read " + topic + " to its end within " + TIMEOUT.toSeconds() + " s");
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          onKey.accept(r.key());
        }
      }
    }
  }

  private static void verify(Properties connect, String topic) throws IOException {
    List<Long> wanted = WorkloadLines.sequences();
    Set<String> stored = new HashSet<>();
    readKeys(connect, topic, stored::add);
    WorkloadLines.printMissing(wanted, n -> stored.contains(Long.toString(n)));
  }

  /**
   * Sends one record per interval until standard input ends, each acked or failed by its callback
   * (delivery fails within {@code delivery.timeout.ms}, so a lost broker never blocks the loop for
   * long), while a consumer thread polls the topic. On stop, the producer is flushed: every send in
   * flight is acked or failed before the tool exits.
   */
  private static void workload(Properties connect, String topic, long intervalMs) throws Exception {
    AtomicBoolean stopping = WorkloadLines.watchInput();
    Properties p = new Properties();
    p.putAll(connect);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    Thread reader = null;
    AtomicReference<KafkaConsumer<String, String>> consumer = new AtomicReference<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      boolean topicReady = false;
      for (long n = 0; !stopping.get(); n++) {
        long seq = n;
        try {
          if (!topicReady) {
            ensureWorkloadTopic(connect, topic);
            topicReady = true;
            reader = startReader(connect, topic, stopping, consumer);
          }
          String value = Long.toString(seq);
          producer.send(
              new ProducerRecord<>(topic, value, value),
              (metadata, error) -> {
                if (error == null) {
                  WorkloadLines.ack(seq);
                } else {
                  WorkloadLines.fail(seq, error);
                }
              });
        } catch (ExecutionException e) {
          WorkloadLines.fail(seq, e.getCause());
        } catch (KafkaException e) {
          // send() itself failed: no metadata within max.block.ms, say
          WorkloadLines.fail(seq, e);
        }
        if (intervalMs > 0) {
          TimeUnit.MILLISECONDS.sleep(intervalMs);
        }
      }
      producer.flush();
    } finally {
      KafkaConsumer<String, String> c = consumer.get();
      if (c != null) {
        c.wakeup();
      }
      if (reader != null) {
        reader.join(TimeUnit.SECONDS.toMillis(10));
      }
    }
  }

  private static void ensureWorkloadTopic(Properties connect, String topic) throws Exception {
    Properties p = new Properties();
    p.putAll(connect);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    try (Admin admin = Admin.create(p)) {
      NewTopic t = new NewTopic(topic, WORKLOAD_PARTITIONS, WORKLOAD_REPLICATION);
      t.configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, WORKLOAD_MIN_ISR));
      try {
        admin.createTopics(List.of(t)).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }

  /** A consumer thread that reads the topic from its beginning: "read" per poll with records. */
  private static Thread startReader(
      Properties connect,
      String topic,
      AtomicBoolean stopping,
      AtomicReference<KafkaConsumer<String, String>> consumer) {
    Properties p = new Properties();
    p.putAll(connect);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    KafkaConsumer<String, String> c = new KafkaConsumer<>(p);
    consumer.set(c);
    Thread t =
        new Thread(
            () -> {
              try (c) {
                List<TopicPartition> partitions = List.of();
                while (partitions.isEmpty()) {
                  if (stopping.get()) {
                    return;
                  }
                  try {
                    partitions =
                        c.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
                  } catch (WakeupException e) {
                    return;
                  } catch (KafkaException e) {
                    System.err.println(
                        "partitions of " + topic + ": " + WorkloadLines.oneLine(e.getMessage()));
                  }
                  if (partitions.isEmpty()) {
                    // its metadata has not reached this broker yet
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                  }
                }
                c.assign(partitions);
                c.seekToBeginning(partitions);
                while (!stopping.get()) {
                  try {
                    if (!c.poll(Duration.ofMillis(500)).isEmpty()) {
                      WorkloadLines.read();
                    }
                  } catch (WakeupException e) {
                    return;
                  } catch (KafkaException e) {
                    System.err.println(
                        "read " + topic + ": " + WorkloadLines.oneLine(e.getMessage()));
                  }
                }
              }
            },
            "reader");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** One result line, whole and at once (callbacks print from the producer's thread). */
  private static List<Integer> ids(String list) {
    List<Integer> out = new ArrayList<>();
    for (String s : list.split(",")) {
      out.add(Integer.parseInt(s.strip()));
    }
    return out;
  }

  /** Node ids as {@code 1,2,3}; {@code -} for none. */
  private static String join(List<Integer> ids) {
    if (ids.isEmpty()) {
      return "-";
    }
    return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static String arg(List<String> args, int i) {
    if (i >= args.size()) {
      usage();
    }
    return args.get(i);
  }

  private static void fail(Throwable e) {
    System.err.println(e.getClass().getSimpleName() + ": " + e.getMessage());
    System.exit(1);
  }

  private static void usage() {
    System.err.println(
        "usage: quorum|add-voter|remove-voter|brokers|unregister-broker|topics|reassign"
            + "|create-topic|produce|consume|workload|verify (--bootstrap-server|--bootstrap-controller) HOSTS ...");
    System.exit(2);
  }
}
