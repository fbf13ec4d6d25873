package io.flotilla.store.file;

import static io.flotilla.store.testing.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.KubeObject;
import io.flotilla.api.ObjectRef;
import io.flotilla.store.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} for real: a child JVM ({@link CrashWriter}) writes objects of up to tens of KiB
 * in a loop, compacting often, and prints each acknowledged write; the test kills it with SIGKILL
 * at random moments (after a random number of acknowledgements, or a random time after its start,
 * so that some kills land in its startup and recovery), then opens the store and checks that every
 * acknowledged write is there with its content, that at most one write beyond them (the one under
 * way) landed, that no object is torn, and that versions only go up, across every restart.
 */
@Tag("e2e")
class FileObjectStoreKillTest {
  private static final int ROUNDS = 20;

  @TempDir Path temp;

  /** What the test knows an object to be: present at n, or absent, as of version rv. */
  private record Known(boolean present, int n, long rv) {
    static final Known NEVER = new Known(false, 0, 0);
  }

  @Test
  void noAcknowledgedWriteIsLostAndNoObjectTornWhenTheWriterIsKilledAtRandomMoments()
      throws Exception {
    long seed = System.nanoTime();
    System.out.println("FileObjectStoreKillTest seed " + seed);
    Random random = new Random(seed);
    Path dir = temp.resolve("data");
    Path output = temp.resolve("child");
    Path stderr = temp.resolve("child.err");
    Map<String, Known> known = new HashMap<>();
    long lastAcked = 0;
    long storeVersion = 0;
    int acks = 0;
    int inFlightLanded = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String context = "seed " + seed + ", round " + round + ", child stderr in " + stderr;
      List<String> lines;
      try (ChildJvm child = ChildJvm.start(CrashWriter.class, output, dir.toString(), "65536")) {
        if (round % 4 == 3) {
          Thread.sleep(200 + random.nextInt(1000)); // a kill at any moment, startup included
        } else {
          int after = random.nextInt(150);
          eventually()
              .atMost(Duration.ofSeconds(60))
              .until(() -> child.lines().size() > after || !child.isAlive());
        }
        child.kill();
        lines = child.lines();
      }
      for (String line : lines) {
        String[] f = line.split(" ");
        if (f[0].equals("READY")) {
          assertThat(Long.parseLong(f[1]))
              .as(context + ": version on reopen")
              .isEqualTo(storeVersion);
          continue;
        }
        assertThat(f[0]).as(context).isEqualTo("ACK");
        long rv = Long.parseLong(f[4]);
        assertThat(rv).as(context + ": versions go up, " + line).isGreaterThan(lastAcked);
        lastAcked = rv;
        acks++;
        known.put(f[2], new Known(!f[1].equals("DELETE"), Integer.parseInt(f[3]), rv));
      }

      try (FileObjectStore store =
          FileObjectStore.open(dir, new MutableClock(Instant.parse("2025-03-01T00:00:00Z")))) {
        storeVersion = Long.parseLong(store.resourceVersion());
        assertThat(storeVersion).as(context).isGreaterThanOrEqualTo(lastAcked);
        List<String> landed = new ArrayList<>();
        for (int i = 0; i < CrashWriter.OBJECTS; i++) {
          ObjectRef ref = CrashWriter.ref(i);
          Optional<KubeObject> stored = store.get(ref);
          stored.ifPresent(o -> assertWhole(o, context));
          Known acked = known.getOrDefault(ref.name(), Known.NEVER);
          if (!matches(acked, stored)) {
            assertThat(isNext(acked, stored))
                .as(
                    context
                        + ": "
                        + ref.name()
                        + " acknowledged as "
                        + acked
                        + ", stored "
                        + stored)
                .isTrue();
            landed.add(
                ref.name()
                    + " acknowledged as "
                    + acked
                    + ", stored "
                    + stored
                        .map(o -> "n=" + o.at("/spec/n").asInt() + " at " + version(o))
                        .orElse("absent"));
          }
          known.put(
              ref.name(),
              stored
                  .map(o -> new Known(true, o.at("/spec/n").asInt(), version(o)))
                  .orElse(new Known(false, 0, storeVersion)));
        }
        List<String> printed = lines;
        assertThat(landed)
            .as(
                () ->
                    context
                        + ": writes beyond the acknowledged ones; the child's last lines "
                        + printed.subList(Math.max(0, printed.size() - 3), printed.size())
                        + ", its stderr: "
                        + tail(stderr))
            .hasSizeLessThan(2);
        inFlightLanded += landed.size();
      }
    }
    System.out.println(
        "FileObjectStoreKillTest: "
            + ROUNDS
            + " kills, "
            + acks
            + " acknowledged writes checked, "
            + inFlightLanded
            + " unacknowledged writes found whole, store at version "
            + storeVersion);
    assertThat(acks).isPositive();
  }

  private static String tail(Path file) {
    try {
      String all = Files.readString(file);
      return all.substring(Math.max(0, all.length() - 3000));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static long version(KubeObject o) {
    return Long.parseLong(o.resourceVersion().orElseThrow());
  }

  /** The object's content is exactly what the writer wrote for its n. */
  private static void assertWhole(KubeObject o, String context) {
    int n = o.at("/spec/n").asInt();
    assertThat(o.at("/spec/blob").asString())
        .as(context + ": " + o.name() + " at n=" + n + " is whole")
        .isEqualTo(CrashWriter.blob(o.name(), n));
  }

  /** Stored as it was acknowledged. */
  private static boolean matches(Known acked, Optional<KubeObject> stored) {
    if (!acked.present()) {
      return stored.isEmpty();
    }
    return stored.isPresent()
        && stored.get().at("/spec/n").asInt() == acked.n()
        && version(stored.get()) == acked.rv();
  }

  /** Stored as the writer's next write (under way when it was killed) leaves it. */
  private static boolean isNext(Known acked, Optional<KubeObject> stored) {
    if (!acked.present()) {
      return stored.isPresent()
          && stored.get().at("/spec/n").asInt() == 0
          && version(stored.get()) > acked.rv();
    }
    if (acked.n() == CrashWriter.LAST) {
      return stored.isEmpty();
    }
    return stored.isPresent()
        && stored.get().at("/spec/n").asInt() == acked.n() + 1
        && version(stored.get()) > acked.rv();
  }
}
