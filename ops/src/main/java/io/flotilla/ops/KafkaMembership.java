package io.flotilla.ops;

import io.flotilla.runtime.Tools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Kafka's membership through its Admin API: the KRaft controller quorum (KIP-853: remove lost
 * voters, add new controllers once they have caught up as observers), broker registrations (remove
 * lost brokers' so the controller stops counting them) and the reassignment of partitions that had
 * replicas on lost brokers to replacements, waiting until their ISR is whole again. Runs Kafka's
 * client in a child JVM (the {@code kafka} distribution's {@code KafkaAdmin}).
 */
public final class KafkaMembership {
  private static final String TOOL = "io.flotilla.servers.kafka.KafkaAdmin";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final Tools tools;

  public KafkaMembership(Tools tools) {
    this.tools = tools;
  }

  /**
   * Where the Admin client starts: brokers ({@code host:9092,...}) or, when no broker is left,
   * controllers ({@code host:9093,...}), which answer the quorum and registration operations too.
   */
  public record Bootstrap(Via via, String addresses) {
    public enum Via {
      BROKERS("--bootstrap-server"),
      CONTROLLERS("--bootstrap-controller");

      private final String option;

      Via(String option) {
        this.option = option;
      }
    }

    public Bootstrap {
      Objects.requireNonNull(via, "via");
      Objects.requireNonNull(addresses, "addresses");
    }

    public static Bootstrap brokers(String addresses) {
      return new Bootstrap(Via.BROKERS, addresses);
    }

    public static Bootstrap controllers(String addresses) {
      return new Bootstrap(Via.CONTROLLERS, addresses);
    }

    /** The KafkaAdmin options that name it: {@code --bootstrap-server ADDRESSES} or the like. */
    public List<String> options() {
      return List.of(via.option, addresses);
    }

    @Override
    public String toString() {
      return addresses;
    }
  }

  /** A member of the metadata quorum: its node id, metadata directory id and log end offset. */
  public record Replica(int id, String directoryId, long logEndOffset) {}

  /** The metadata quorum: its leader and epoch, its voters and its observers. */
  public record Quorum(int leader, long epoch, List<Replica> voters, List<Replica> observers) {
    public Quorum {
      voters = List.copyOf(voters);
      observers = List.copyOf(observers);
    }

    public List<Integer> voterIds() {
      return voters.stream().map(Replica::id).sorted().toList();
    }
  }

  /** A registered broker. */
  public record Broker(int id, String endpoint, String rack, boolean fenced) {}

  /** A partition's leader ({@code -1}: none), replicas and in-sync replicas. */
  public record Partition(
      String topic, int partition, int leader, List<Integer> replicas, List<Integer> isr) {
    public Partition {
      replicas = List.copyOf(replicas);
      isr = List.copyOf(isr);
    }

    /** Every replica is in sync. */
    public boolean full() {
      return isr.containsAll(replicas);
    }
  }

  /** A partition whose replicas moved from lost brokers to replacements. */
  public record Move(String topic, int partition, List<Integer> from, List<Integer> to) {
    public Move {
      from = List.copyOf(from);
      to = List.copyOf(to);
    }
  }

  public Quorum quorum(Bootstrap b) {
    return quorumOf(run("quorum", b, List.of(), TIMEOUT));
  }

  /** Makes a controller that fetches as an observer a voter, listening on host:port. */
  public Quorum addVoter(Bootstrap b, int id, String host, int port) {
    return quorumOf(run("add-voter", b, List.of(Integer.toString(id), host + ":" + port), TIMEOUT));
  }

  /** Removes a (lost) voter; nothing to do when it is no voter. */
  public Quorum removeVoter(Bootstrap b, int id) {
    return quorumOf(run("remove-voter", b, List.of(Integer.toString(id)), TIMEOUT));
  }

  /** Every registered broker, fenced ones too. */
  public List<Broker> brokers(Bootstrap b) {
    List<Broker> out = new ArrayList<>();
    for (String line : run("brokers", b, List.of(), TIMEOUT).lines()) {
      String[] f = line.split(" ");
      // broker ID HOST:PORT rack RACK fenced|unfenced
      out.add(new Broker(Integer.parseInt(f[1]), f[2], f[4], f[5].equals("fenced")));
    }
    return out;
  }

  /**
   * Removes a lost broker's registration once the controller has fenced it; nothing to do when it
   * has none.
   *
   * @throws MembershipException when the broker stays unfenced (alive) for the tool's timeout
   */
  public void unregisterBroker(Bootstrap b, int id) {
    run("unregister-broker", b, List.of(Integer.toString(id)), TIMEOUT);
  }

  /** Every partition of every topic, internal ones too. */
  public List<Partition> partitions(Bootstrap b) {
    List<Partition> out = new ArrayList<>();
    for (String line : run("topics", b, List.of(), TIMEOUT).lines()) {
      String[] f = line.split(" ");
      // TOPIC P leader L replicas A,B,C isr A,B
      out.add(
          new Partition(
              f[0], Integer.parseInt(f[1]), Integer.parseInt(f[3]), ids(f[5]), ids(f[7])));
    }
    return out;
  }

  /**
   * Moves every replica on a lost broker to a replacement its partition lacks (position kept, so
   * the preferred leaders stay spread) and waits until each moved partition's ISR is its whole new
   * replica list.
   *
   * @throws MembershipException naming the partitions when a replacement is missing or they do not
   *     get in sync within the timeout
   */
  public List<Move> reassign(
      Bootstrap b, Collection<Integer> lost, Collection<Integer> replacements, Duration timeout) {
    Tools.Result r =
        run(
            "reassign",
            b,
            List.of(join(lost), join(replacements), Long.toString(timeout.toSeconds())),
            timeout.plus(TIMEOUT));
    List<Move> out = new ArrayList<>();
    for (String line : r.lines()) {
      String[] f = line.split(" ");
      // moved TOPIC P A,B,C -> A,B,D
      out.add(new Move(f[1], Integer.parseInt(f[2]), ids(f[3]), ids(f[5])));
    }
    return out;
  }

  private Tools.Result run(String command, Bootstrap b, List<String> args, Duration timeout) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(b.options());
    all.addAll(args);
    Tools.Result r = tools.run("kafka", TOOL, all, Map.of(), timeout);
    if (!r.ok()) {
      throw new MembershipException("kafka", command + " via " + b, r.stderr().strip());
    }
    return r;
  }

  private static Quorum quorumOf(Tools.Result r) {
    int leader = -1;
    long epoch = -1;
    List<Replica> voters = new ArrayList<>();
    List<Replica> observers = new ArrayList<>();
    for (String line : r.lines()) {
      String[] f = line.split(" ");
      switch (f[0]) {
        case "leader" -> {
          leader = Integer.parseInt(f[1]);
          epoch = Long.parseLong(f[3]);
        }
        case "voter" -> voters.add(new Replica(Integer.parseInt(f[1]), f[2], Long.parseLong(f[3])));
        case "observer" ->
            observers.add(new Replica(Integer.parseInt(f[1]), f[2], Long.parseLong(f[3])));
        default ->
            throw new MembershipException("kafka", "describe quorum", "unexpected line " + line);
      }
    }
    return new Quorum(leader, epoch, voters, observers);
  }

  static List<Integer> ids(String list) {
    if (list.equals("-")) {
      return List.of();
    }
    return Arrays.stream(list.split(",")).map(Integer::parseInt).toList();
  }

  private static String join(Collection<Integer> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
