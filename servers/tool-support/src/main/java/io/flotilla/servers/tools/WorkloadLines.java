package io.flotilla.servers.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;

/**
 * The line protocol between an admin tool's {@code workload} and {@code verify} subcommands and the
 * sandbox's {@code ToolWorkload}, written once for every distribution:
 *
 * <pre>
 * workload: standard output, one line per event, flushed at once
 *   ack N             write N was acknowledged with the type's durability
 *   read              a read succeeded
 *   fail N REASON     write N failed (N is never written again)
 *   the tool stops when its standard input ends or reads "stop"
 * verify: standard input holds the acknowledged sequence numbers, one per line; standard output
 *   gets each one missing, one per line (nothing: none missing)
 * </pre>
 */
public final class WorkloadLines {
  private static final int REASON_CHARS = 200;

  private WorkloadLines() {}

  /**
   * Watches standard input on a daemon thread: the flag turns true when it ends or reads "stop".
   */
  public static AtomicBoolean watchInput() {
    AtomicBoolean stopping = new AtomicBoolean();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (line.strip().equals("stop")) {
                    break;
                  }
                }
              } catch (IOException e) {
                // no more input either way
              }
              stopping.set(true);
            },
            "stdin");
    t.setDaemon(true);
    t.start();
    return stopping;
  }

  public static void ack(long n) {
    emit("ack " + n);
  }

  public static void read() {
    emit("read");
  }

  public static void fail(long n, String reason) {
    emit("fail " + n + " " + oneLine(reason));
  }

  /** A failure's reason: its class and the first line of its message. */
  public static void fail(long n, Throwable e) {
    fail(n, e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
  }

  private static synchronized void emit(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** The first line of a message, at most 200 characters ("" for none). */
  public static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.lines().findFirst().orElse("");
    return line.length() > REASON_CHARS ? line.substring(0, REASON_CHARS) : line;
  }

  /**
   * verify's input: the sequence numbers on standard input, blank lines skipped.
   *
   * @throws IllegalArgumentException naming the line that is not a sequence number
   */
  public static List<Long> sequences() throws IOException {
    List<Long> out = new ArrayList<>();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(Long.parseLong(line.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a sequence number: " + line.strip());
      }
    }
    return out;
  }

  /** verify's output: each of {@code wanted} that is not {@code present}, one per line. */
  public static void printMissing(List<Long> wanted, LongPredicate present) {
    for (long n : wanted) {
      if (!present.test(n)) {
        System.out.println(n);
      }
    }
    System.out.flush();
  }
}
