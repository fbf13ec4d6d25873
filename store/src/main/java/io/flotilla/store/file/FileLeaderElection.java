package io.flotilla.store.file;

import io.flotilla.store.LeaderElection;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Leader election for the embedded mode: a lease file ({@code leader.lease}: holder, term, acquire
 * and renew times, lease duration) in a directory shared by the replicas of one machine. Each round
 * reads, decides and rewrites the lease under an OS lock on {@code leader.lock}, held only for that
 * read-modify-write, so two processes can never both take it; the lease is rewritten by a forced
 * temporary file renamed over it, so a crash never leaves a torn one.
 *
 * <p>The leader renews every {@link Timing#renewEvery}; a standby retries every {@link
 * Timing#retryEvery} and takes the lease once it is released or {@link Timing#leaseDuration} has
 * passed since its last renewal (the leader died, or stalled). A leader whose own lease ran out
 * before it could renew stops leading at once ({@link #isLeader} is false from that instant; {@code
 * onLoss} runs at its next round) and campaigns again for a new term. All replicas must read the
 * same clock: they run on one machine.
 */
public final class FileLeaderElection implements LeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(FileLeaderElection.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  static final String LEASE_FILE = "leader.lease";
  static final String LOCK_FILE = "leader.lock";

  /** A JVM holds one OS lock per file: electors in one JVM take turns here before taking it. */
  private static final ConcurrentHashMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path dir;
  private final String identity;
  private final Clock clock;
  private final Timing timing;
  private final Scheduler scheduler;
  private final ScheduledExecutorService ownExecutor;
  private final Object rounds = new Object();

  private Runnable onLead;
  private Runnable onLoss;
  private Scheduler.Cancellable next;
  private boolean started;
  private boolean closed;
  private volatile boolean leading;
  private volatile Instant renewedAt = Instant.EPOCH;
  private volatile long term;

  /**
   * How long a lease lasts and how often it is renewed and tried for.
   *
   * @param leaseDuration how long after its last renewal a lease stands
   * @param renewEvery how often the leader renews (well below the duration: a few renewals may fail
   *     before the lease runs out)
   * @param retryEvery how often a standby looks at the lease
   */
  public record Timing(Duration leaseDuration, Duration renewEvery, Duration retryEvery) {
    /** A 6 s lease renewed every 2 s, tried for every second. */
    public static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(6), Duration.ofSeconds(2), Duration.ofSeconds(1));

    public Timing {
      Objects.requireNonNull(leaseDuration, "leaseDuration");
      Objects.requireNonNull(renewEvery, "renewEvery");
      Objects.requireNonNull(retryEvery, "retryEvery");
      if (renewEvery.isNegative()
          || renewEvery.isZero()
          || retryEvery.isNegative()
          || retryEvery.isZero()
          || renewEvery.compareTo(leaseDuration) >= 0) {
        throw new IllegalArgumentException(
            "renewEvery and retryEvery must be positive and renewEvery shorter than the lease: "
                + this);
      }
    }
  }

  /** Runs the election's rounds: on a timer in production, by hand in tests. */
  @FunctionalInterface
  public interface Scheduler {
    /** Runs {@code task} once, {@code delay} from now. */
    Cancellable after(Duration delay, Runnable task);

    /** A scheduled task that may still be called off. */
    @FunctionalInterface
    interface Cancellable {
      void cancel();
    }
  }

  /**
   * An election in {@code dir} (created if needed) with the given clock, timing and scheduler.
   *
   * @param identity this replica's name in the lease, unique among the replicas
   */
  public FileLeaderElection(
      Path dir, String identity, Clock clock, Timing timing, Scheduler scheduler) {
    this(dir, identity, clock, timing, scheduler, null);
  }

  /**
   * An election in {@code dir} on the system clock with {@link Timing#DEFAULT}, its rounds on its
   * own daemon thread.
   */
  public static FileLeaderElection inDirectory(Path dir, String identity) {
    return withOwnThread(dir, identity, Clock.systemUTC(), Timing.DEFAULT);
  }

  /** An election with its rounds on its own daemon thread, stopped by {@link #close}. */
  public static FileLeaderElection withOwnThread(
      Path dir, String identity, Clock clock, Timing timing) {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "leader-election-" + identity);
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    Scheduler scheduler =
        (delay, task) -> {
          ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
          return () -> f.cancel(false);
        };
    return new FileLeaderElection(dir, identity, clock, timing, scheduler, executor);
  }

  private FileLeaderElection(
      Path dir,
      String identity,
      Clock clock,
      Timing timing,
      Scheduler scheduler,
      ScheduledExecutorService ownExecutor) {
    this.dir = dir.toAbsolutePath().normalize();
    this.identity = Objects.requireNonNull(identity, "identity");
    if (identity.isBlank()) {
      throw new IllegalArgumentException("a replica's identity must not be blank");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timing = Objects.requireNonNull(timing, "timing");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.ownExecutor = ownExecutor;
    try {
      Files.createDirectories(this.dir);
    } catch (IOException e) {
      throw DataDirectory.io("cannot create the election directory " + this.dir, e);
    }
  }

  /** "host-pid": unique among the replicas of one machine. */
  public static String defaultIdentity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  @Override
  public void start(Runnable onLead, Runnable onLoss) {
    Objects.requireNonNull(onLead, "onLead");
    Objects.requireNonNull(onLoss, "onLoss");
    synchronized (rounds) {
      if (closed) {
        throw new IllegalStateException("the election of " + identity + " is closed");
      }
      if (started) {
        throw new IllegalStateException("the election of " + identity + " is already started");
      }
      started = true;
      this.onLead = onLead;
      this.onLoss = onLoss;
      next = scheduler.after(Duration.ZERO, this::round);
    }
  }

  @Override
  public boolean isLeader() {
    return leading && clock.instant().isBefore(renewedAt.plus(timing.leaseDuration()));
  }

  @Override
  public String identity() {
    return identity;
  }

  /** The term this replica leads or last led (0 before it ever led). */
  public long term() {
    return term;
  }

  /** The lease as it stands in the directory, if there is one. */
  public Optional<Lease> lease() {
    return inFileLock(this::read);
  }

  /** One round: renew as the leader, or try to take the lease; then schedule the next. */
  private void round() {
    synchronized (rounds) {
      if (closed) {
        return;
      }
      Instant now = clock.instant();
      if (leading && !now.isBefore(renewedAt.plus(timing.leaseDuration()))) {
        lose("its lease ran out before it was renewed", now);
      }
      try {
        if (leading) {
          renew(now);
        } else {
          campaign(now);
        }
      } catch (StoreException e) {
        LOG.atWarn()
            .addKeyValue("identity", identity)
            .addKeyValue("dir", dir)
            .setCause(e)
            .log("cannot read or write the lease; trying again");
      }
      next = scheduler.after(leading ? timing.renewEvery() : timing.retryEvery(), this::round);
    }
  }

  private void renew(Instant now) {
    boolean renewed =
        inFileLock(
            () -> {
              Optional<Lease> lease = read();
              if (lease.isEmpty()
                  || !lease.get().holder().equals(identity)
                  || lease.get().term() != term) {
                return false;
              }
              write(
                  new Lease(
                      identity, term, lease.get().acquireTime(), now, timing.leaseDuration()));
              return true;
            });
    if (renewed) {
      renewedAt = now;
    } else {
      lose("another replica holds the lease", now);
    }
  }

  private void campaign(Instant now) {
    Optional<Lease> taken =
        inFileLock(
            () -> {
              Optional<Lease> lease = read();
              if (lease.isPresent()
                  && !lease.get().isFree(now)
                  && !lease.get().holder().equals(identity)) {
                return Optional.empty();
              }
              long nextTerm = lease.map(Lease::term).orElse(0L) + 1;
              Lease mine = new Lease(identity, nextTerm, now, now, timing.leaseDuration());
              write(mine);
              return Optional.of(mine);
            });
    if (taken.isPresent()) {
      term = taken.get().term();
      renewedAt = now;
      leading = true;
      LOG.atInfo()
          .addKeyValue("identity", identity)
          .addKeyValue("term", term)
          .addKeyValue("dir", dir)
          .log("leading");
      run(onLead, "onLead");
    }
  }

  private void lose(String why, Instant now) {
    leading = false;
    LOG.atWarn()
        .addKeyValue("identity", identity)
        .addKeyValue("term", term)
        .addKeyValue("lastRenewed", renewedAt)
        .addKeyValue("now", now)
        .log("stopped leading: " + why);
    run(onLoss, "onLoss");
  }

  private void run(Runnable callback, String name) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.atError()
          .addKeyValue("identity", identity)
          .addKeyValue("term", term)
          .setCause(e)
          .log(name + " failed");
    }
  }

  /**
   * Stops campaigning; as the leader, frees the lease (so a standby takes over at its next try).
   */
  @Override
  public void close() {
    synchronized (rounds) {
      if (closed) {
        return;
      }
      closed = true;
      if (next != null) {
        next.cancel();
      }
      if (leading) {
        try {
          inFileLock(
              () -> {
                Optional<Lease> lease = read();
                if (lease.isPresent()
                    && lease.get().holder().equals(identity)
                    && lease.get().term() == term) {
                  write(lease.get().released());
                }
                return null;
              });
        } catch (StoreException e) {
          LOG.atWarn()
              .addKeyValue("identity", identity)
              .setCause(e)
              .log("cannot free the lease; a standby takes over when it runs out");
        }
        leading = false;
        LOG.atInfo()
            .addKeyValue("identity", identity)
            .addKeyValue("term", term)
            .log("gave up the lead");
        run(onLoss, "onLoss");
      }
    }
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- the lease file

  /**
   * A lease as written: who holds it, in which term (one more at each new holder or after a lapse),
   * since when, last renewed when, for how long. An empty holder is a freed lease.
   */
  public record Lease(
      String holder, long term, Instant acquireTime, Instant renewTime, Duration duration) {
    /** Whether a replica may take it at {@code now}: freed, or not renewed in time. */
    public boolean isFree(Instant now) {
      return holder.isEmpty() || !now.isBefore(renewTime.plus(duration));
    }

    Lease released() {
      return new Lease("", term, acquireTime, renewTime, duration);
    }
  }

  private interface Locked<T> {
    T run() throws IOException;
  }

  /** Runs a read-modify-write of the lease under the in-process and the OS lock. */
  private <T> T inFileLock(Locked<T> action) {
    Object inProcess = IN_PROCESS.computeIfAbsent(dir, d -> new Object());
    synchronized (inProcess) {
      try (FileChannel channel =
              FileChannel.open(
                  dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        return action.run();
      } catch (IOException e) {
        throw new StoreException(
            Reason.IO, null, "cannot read or write the lease in " + dir + ": " + e, e);
      }
    }
  }

  private Optional<Lease> read() throws IOException {
    Path file = dir.resolve(LEASE_FILE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
      return Optional.of(
          new Lease(
              n.get("holder").asString(),
              n.get("term").asLong(),
              Instant.parse(n.get("acquireTime").asString()),
              Instant.parse(n.get("renewTime").asString()),
              Duration.ofMillis(n.get("leaseDurationMillis").asLong())));
    } catch (RuntimeException e) {
      throw new IOException("the lease file " + file + " is not a lease: " + e.getMessage(), e);
    }
  }

  /** Writes the lease whole: a forced temporary file renamed over the lease, then the directory. */
  private void write(Lease lease) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("holder", lease.holder());
    n.put("term", lease.term());
    n.put("acquireTime", lease.acquireTime().toString());
    n.put("renewTime", lease.renewTime().toString());
    n.put("leaseDurationMillis", lease.duration().toMillis());
    Path file = dir.resolve(LEASE_FILE);
    Path tmp = dir.resolve(LEASE_FILE + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      Snapshots.writeFully(
          out,
          ByteBuffer.wrap((JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8)));
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
