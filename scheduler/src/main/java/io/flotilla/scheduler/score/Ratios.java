package io.flotilla.scheduler.score;

/** Exact comparison of fractions of {@code long}s, through 128-bit products. */
public final class Ratios {
  private Ratios() {}

  /**
   * Compares two doubles that each approximate an exact value within a relative 2^-51, when that
   * settles the order of the exact values: returns -1 or 1 when x and y are further apart than both
   * errors together could explain, and 0 when they are too close to tell (the caller must then
   * compare exactly). Never wrong, often decisive, and far cheaper than 128-bit arithmetic.
   */
  public static int compareApproximately(double x, double y) {
    double margin = 0x1p-49 * (Math.abs(x) + Math.abs(y));
    if (x < y - margin) {
      return -1;
    }
    if (x > y + margin) {
      return 1;
    }
    return 0;
  }

  /**
   * Compares a/b with c/d for positive denominators b and d, exactly.
   *
   * @return negative, zero or positive as a/b is less than, equal to or greater than c/d
   */
  public static int compare(long a, long b, long c, long d) {
    if (a == c && b == d) {
      return 0; // the same fraction, as for identical clusters: no products needed
    }
    // a/b < c/d  <=>  a*d < c*b, with both products taken in 128 bits.
    long hi1 = Math.multiplyHigh(a, d);
    long hi2 = Math.multiplyHigh(c, b);
    if (hi1 != hi2) {
      return Long.compare(hi1, hi2);
    }
    return Long.compareUnsigned(a * d, c * b);
  }
}
