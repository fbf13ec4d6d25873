package io.flotilla.scheduler;

import java.util.Objects;

/**
 * A filter plugin's verdict on one cluster: it passes; it is rejected (its replicas move away); or
 * it is restricted (it keeps the replicas it has but gets no new ones, as a cordoned cluster).
 */
public record FilterResult(Verdict verdict, String reason) {
  /** The three verdicts. */
  public enum Verdict {
    PASS,
    RESTRICT,
    REJECT
  }

  private static final FilterResult PASS = new FilterResult(Verdict.PASS, "");

  public FilterResult {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
  }

  public static FilterResult pass() {
    return PASS;
  }

  public static FilterResult reject(String reason) {
    return new FilterResult(Verdict.REJECT, reason);
  }

  /** The cluster keeps what it holds and gets nothing more. */
  public static FilterResult restrict(String reason) {
    return new FilterResult(Verdict.RESTRICT, reason);
  }

  public boolean passed() {
    return verdict == Verdict.PASS;
  }
}
