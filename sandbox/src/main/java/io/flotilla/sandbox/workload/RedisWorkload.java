package io.flotilla.sandbox.workload;

import io.flotilla.ops.redis.RedisMembership.Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps writing to a Redis Cluster and reading back, through a small cluster client of its own
 * (slot routing, {@code MOVED}, {@code ASK}, re-reading the slot map on errors). Write {@code n} is
 * {@code SET demo:<n> <n>}, acknowledged when the slot's master answers {@code OK}; right after it
 * comes {@code GET demo:<n>}. A failed write is never retried with the same number.
 *
 * <p>Redis replicates asynchronously: a write acknowledged by a master that dies before its replica
 * got it is lost after the failover. The drill reports such losses; {@link #verify} finds them
 * exactly, reading every acknowledged key through the same routing and reporting those that are
 * missing or hold another value.
 *
 * <p>One daemon thread does the writes and reads, with a pause between steps; every connection and
 * reply waits at most {@value #TIMEOUT_SECONDS} s, so a dead node never blocks it for long.
 */
public final class RedisWorkload implements Workload {
  private static final Logger LOG = LoggerFactory.getLogger(RedisWorkload.class);
  static final String KEY_PREFIX = "demo:";
  static final long TIMEOUT_SECONDS = 2;
  private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);
  private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(5);
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);
  private static final Duration DEFAULT_PAUSE = Duration.ofMillis(10);

  private final List<Address> seeds;
  private final LongSupplier nanoTime;
  private final Counters counters;
  private final RedisClusterClient client;
  private final PacedLoop loop;
  private long next;
  private final OutageLog outages = new OutageLog("redis");
  private boolean started;

  /**
   * A workload writing every 10 ms or so, on the system clock.
   *
   * @param seeds some of the cluster's nodes as {@code host:port}
   * @param password the nodes' password, or null for none
   */
  public RedisWorkload(List<String> seeds, String password) {
    this(seeds, password, DEFAULT_PAUSE, System::nanoTime);
  }

  /**
   * @param seeds some of the cluster's nodes as {@code host:port}
   * @param password the nodes' password, or null for none
   * @param pause the pause after each write and read
   * @param nanoTime a monotonic clock in nanoseconds, for the counters and deadlines
   * @throws IllegalArgumentException naming the seed when one is not {@code host:port}
   */
  public RedisWorkload(List<String> seeds, String password, Duration pause, LongSupplier nanoTime) {
    this.seeds = seeds.stream().map(RedisWorkload::address).toList();
    this.nanoTime = nanoTime;
    this.counters = new Counters(nanoTime);
    this.client = new RedisClusterClient(this.seeds, password, TIMEOUT, COMMAND_DEADLINE, nanoTime);
    this.loop = new PacedLoop("workload-redis", pause, this::step);
  }

  static Address address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      if (colon <= 0) {
        throw new NumberFormatException("no port");
      }
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      if (port <= 0 || port > 65535) {
        throw new NumberFormatException("port out of range");
      }
      return new Address(hostPort.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "redis workload: seed \"" + hostPort + "\" is not host:port (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public String describe() {
    return "redis cluster keys " + KEY_PREFIX + "<n> via " + seeds;
  }

  /**
   * Reads the slot map, then starts writing.
   *
   * @throws WorkloadException when no seed answers {@code CLUSTER SLOTS} (unreachable, refused
   *     password, not in cluster mode)
   * @throws IllegalStateException when started before
   */
  @Override
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("redis workload: already started");
    }
    started = true;
    try {
      client.refresh();
    } catch (IllegalStateException e) {
      throw new WorkloadException("redis workload: cannot start: " + e.getMessage(), e);
    }
    int covered = client.slots().covered();
    LOG.atInfo()
        .addKeyValue("seeds", seeds)
        .addKeyValue("knownNodes", client.slots().nodes().size())
        .addKeyValue("coveredSlots", covered)
        .log("redis workload started");
    loop.start();
  }

  private void step() {
    long n = next++;
    String key = KEY_PREFIX + n;
    String value = Long.toString(n);
    try {
      Object reply = client.call(key, "SET", key, value);
      if (!"OK".equals(reply)) {
        failed("redis SET " + key + ": unexpected reply " + reply);
        return;
      }
    } catch (RuntimeException e) {
      failed("redis SET " + key + ": " + e.getMessage());
      return;
    }
    counters.acknowledged(n);
    outages.succeeded(n);
    try {
      Object read = client.call(key, "GET", key);
      if (value.equals(read)) {
        counters.read();
      } else {
        LOG.atWarn()
            .addKeyValue("key", key)
            .addKeyValue("read", read)
            .log("redis workload read back another value than it just wrote");
      }
    } catch (RuntimeException e) {
      LOG.atDebug().addKeyValue("key", key).addKeyValue("error", e.getMessage()).log("read failed");
    }
  }

  private void failed(String error) {
    counters.failed(error);
    outages.failed(error);
  }

  @Override
  public Stats stats() {
    return counters.stats();
  }

  /** Stops after the write in flight (idempotent). */
  @Override
  public void stop() {
    loop.stop(STOP_WAIT);
  }

  /**
   * Stops if running, then reads every acknowledged key; a key missing or holding another value
   * than its sequence number is reported. Errors are retried until {@code timeout}.
   *
   * @throws WorkloadException naming the key and the last error when one cannot be read in time, or
   *     when the write in flight does not finish
   */
  @Override
  public Verification verify(Duration timeout) {
    if (!loop.stop(STOP_WAIT)) {
      throw new WorkloadException(
          "redis workload: cannot verify, the write in flight did not finish within " + STOP_WAIT);
    }
    List<Long> acknowledged = counters.acknowledgedSequences();
    long giveUp = nanoTime.getAsLong() + timeout.toNanos();
    List<Long> missing = new ArrayList<>();
    for (long n : acknowledged) {
      String key = KEY_PREFIX + n;
      while (true) {
        try {
          Object value = client.call(key, "GET", key);
          if (!Long.toString(n).equals(value)) {
            missing.add(n);
          }
          break;
        } catch (RuntimeException e) {
          if (nanoTime.getAsLong() - giveUp > 0) {
            throw new WorkloadException(
                "redis workload: cannot read back "
                    + key
                    + " within "
                    + timeout
                    + ": "
                    + e.getMessage(),
                e);
          }
          pause();
        }
      }
    }
    LOG.atInfo()
        .addKeyValue("acknowledged", acknowledged.size())
        .addKeyValue("missing", missing.size())
        .log("redis workload verified");
    return new Verification(acknowledged.size(), missing);
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkloadException("redis workload: interrupted while verifying", e);
    }
  }

  @Override
  public void close() {
    stop();
    client.close();
  }
}
