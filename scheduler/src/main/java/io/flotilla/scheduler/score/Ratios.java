package io.flotilla.scheduler.score;

/** Exact comparison of fractions of {@code long}s, through 128-bit products. */
public final class Ratios {
  private Ratios() {}

  /**
   * Compares a/b with c/d for positive denominators b and d, exactly.
   *
   * @return negative, zero or positive as a/b is less than, equal to or greater than c/d
   */
  public static int compare(long a, long b, long c, long d) {
    // a/b < c/d  <=>  a*d < c*b, with both products taken in 128 bits.
    long hi1 = Math.multiplyHigh(a, d);
    long hi2 = Math.multiplyHigh(c, b);
    if (hi1 != hi2) {
      return Long.compare(hi1, hi2);
    }
    return Long.compareUnsigned(a * d, c * b);
  }
}
