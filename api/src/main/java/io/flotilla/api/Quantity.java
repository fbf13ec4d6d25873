package io.flotilla.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A Kubernetes resource quantity ("500m", "2", "1.5", "2Gi", "512Mi", "1G", "1e3"), held exactly as
 * a {@link BigDecimal}: no floating point is ever involved.
 *
 * <p>The grammar is Kubernetes' own (apimachinery {@code resource.ParseQuantity}):
 *
 * <pre>
 * quantity        ::= signedNumber suffix
 * signedNumber    ::= [+-] number
 * number          ::= digits | digits "." digits | digits "." | "." digits
 * suffix          ::= binarySI | decimalExponent | decimalSI
 * binarySI        ::= Ki | Mi | Gi | Ti | Pi | Ei
 * decimalSI       ::= n | u | m | "" | k | M | G | T | P | E
 * decimalExponent ::= ("e" | "E") signedInteger
 * </pre>
 */
public final class Quantity implements Comparable<Quantity> {
  private static final BigInteger THOUSAND = BigInteger.valueOf(1000);

  /** Decimal exponents beyond this are refused: they cannot describe a real resource. */
  private static final int MAX_EXPONENT = 100;

  private final String text;
  private final BigDecimal value;

  private Quantity(String text, BigDecimal value) {
    this.text = text;
    this.value = value;
  }

  /**
   * Parses a quantity.
   *
   * @throws IllegalArgumentException with the reason when {@code text} is not a quantity
   */
  public static Quantity parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty quantity");
    }
    int pos = 0;
    boolean negative = false;
    char first = text.charAt(0);
    if (first == '+' || first == '-') {
      negative = first == '-';
      pos = 1;
    }
    int numberStart = pos;
    int digits = 0;
    boolean dot = false;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
      pos++;
    }
    if (digits == 0) {
      throw new IllegalArgumentException(
          "quantity " + quote(text) + " must start with a number, like 500m, 2 or 1.5Gi");
    }
    BigDecimal number = new BigDecimal(normalizeNumber(text.substring(numberStart, pos)));
    String suffix = text.substring(pos);
    BigDecimal value = number.multiply(multiplier(text, suffix));
    if (negative) {
      value = value.negate();
    }
    return new Quantity(text, value);
  }

  private static String normalizeNumber(String number) {
    String n = number.startsWith(".") ? "0" + number : number;
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private static BigDecimal multiplier(String text, String suffix) {
    switch (suffix) {
      case "":
        return BigDecimal.ONE;
      case "n":
        return BigDecimal.ONE.scaleByPowerOfTen(-9);
      case "u":
        return BigDecimal.ONE.scaleByPowerOfTen(-6);
      case "m":
        return BigDecimal.ONE.scaleByPowerOfTen(-3);
      case "k":
        return new BigDecimal(THOUSAND);
      case "M":
        return new BigDecimal(THOUSAND.pow(2));
      case "G":
        return new BigDecimal(THOUSAND.pow(3));
      case "T":
        return new BigDecimal(THOUSAND.pow(4));
      case "P":
        return new BigDecimal(THOUSAND.pow(5));
      case "E":
        return new BigDecimal(THOUSAND.pow(6));
      case "Ki":
        return new BigDecimal(BigInteger.ONE.shiftLeft(10));
      case "Mi":
        return new BigDecimal(BigInteger.ONE.shiftLeft(20));
      case "Gi":
        return new BigDecimal(BigInteger.ONE.shiftLeft(30));
      case "Ti":
        return new BigDecimal(BigInteger.ONE.shiftLeft(40));
      case "Pi":
        return new BigDecimal(BigInteger.ONE.shiftLeft(50));
      case "Ei":
        return new BigDecimal(BigInteger.ONE.shiftLeft(60));
      default:
        return exponent(text, suffix);
    }
  }

  private static BigDecimal exponent(String text, String suffix) {
    char e = suffix.charAt(0);
    String exp = suffix.substring(1);
    if ((e != 'e' && e != 'E') || !isSignedInteger(exp)) {
      throw new IllegalArgumentException(
          "quantity "
              + quote(text)
              + " has unknown suffix "
              + quote(suffix)
              + "; use one of n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent"
              + " such as e3");
    }
    int value;
    try {
      value = Integer.parseInt(exp);
    } catch (NumberFormatException tooLong) {
      value = Integer.MAX_VALUE;
    }
    if (Math.abs(value) > MAX_EXPONENT) {
      throw new IllegalArgumentException(
          "quantity " + quote(text) + " has exponent out of range (at most ±" + MAX_EXPONENT + ")");
    }
    return BigDecimal.ONE.scaleByPowerOfTen(value);
  }

  private static boolean isSignedInteger(String s) {
    int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static String quote(String s) {
    return '"' + s + '"';
  }

  /** The exact value, in base units (cores for cpu, bytes for memory). */
  public BigDecimal value() {
    return value;
  }

  /** The value in thousandths of the unit, rounded up as Kubernetes does (1 cpu = 1000). */
  public BigInteger milliValueCeil() {
    return value.movePointRight(3).setScale(0, RoundingMode.CEILING).toBigIntegerExact();
  }

  /** The value in whole units (bytes for memory), rounded up as Kubernetes does. */
  public BigInteger valueCeil() {
    return value.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
  }

  public boolean isNegative() {
    return value.signum() < 0;
  }

  /** The text this quantity was parsed from. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public int compareTo(Quantity other) {
    return value.compareTo(other.value);
  }

  /** Two quantities are equal when their values are, whatever their spelling ("1Ki" = "1024"). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity q && value.compareTo(q.value) == 0;
  }

  @Override
  public int hashCode() {
    return value.stripTrailingZeros().hashCode();
  }
}
