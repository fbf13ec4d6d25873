package io.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kubernetes quantities, parsed exactly. fabric8's {@code Quantity.getAmountInBytes} is the
 * reference, except where it departs from Kubernetes' grammar (see {@link #reference}).
 */
class QuantityTest {
  private static final BigInteger TWO = BigInteger.TWO;

  static Stream<Arguments> validQuantities() {
    return Stream.of(
        valid("500m is half a core", "500m", "0.5"),
        valid("2 is 2", "2", "2"),
        valid("1.5 is one and a half", "1.5", "1.5"),
        valid("2Gi is 2147483648 bytes", "2Gi", "2147483648"),
        valid("512Mi is 536870912 bytes", "512Mi", "536870912"),
        valid("1G is 10^9", "1G", "1000000000"),
        valid("1e3 is 1000", "1e3", "1000"),
        valid("1E3 is 1000 (E followed by digits is an exponent, not exa)", "1E3", "1000"),
        valid("+1 is 1", "+1", "1"),
        valid("-1 is minus one", "-1", "-1"),
        valid(".5 is a half", ".5", "0.5"),
        valid("5. is 5", "5.", "5"),
        valid("1Ki is 1024", "1Ki", "1024"),
        valid("0.1m is a ten-thousandth, kept exactly", "0.1m", "0.0001"),
        valid("1n is 10^-9", "1n", "0.000000001"),
        valid("1u is 10^-6", "1u", "0.000001"),
        valid(
            "12345678901234567890 is kept beyond the range of a long",
            "12345678901234567890",
            "12345678901234567890"),
        valid("1.5Gi is 1610612736 bytes", "1.5Gi", "1610612736"),
        valid("1e-3 is a thousandth", "1e-3", "0.001"),
        valid("100k is 10^5", "100k", "100000"),
        valid("3M is 3 * 10^6", "3M", "3000000"),
        valid("2T is 2 * 10^12", "2T", "2000000000000"),
        valid("1P is 10^15", "1P", "1000000000000000"),
        valid("1E is 10^18 (exa)", "1E", "1000000000000000000"),
        valid("1Ei is 2^60 = 1152921504606846976 bytes exactly", "1Ei", "1152921504606846976"),
        valid("1Pi is 2^50 bytes", "1Pi", "1125899906842624"),
        valid("1Ti is 2^40 bytes", "1Ti", "1099511627776"),
        valid("1e+3 is 1000 (an exponent may carry a sign)", "1e+3", "1000"),
        valid("+.5 is a half", "+.5", "0.5"),
        valid("-.5Gi is minus half a gibibyte", "-.5Gi", "-536870912"),
        valid("0 is zero", "0", "0"),
        valid("0m is zero", "0m", "0"),
        valid("5.e2 is 500", "5.e2", "500"),
        valid("007 is 7 (leading zeros are allowed)", "007", "7"),
        valid("1e100 is the largest exponent allowed", "1e100", "1e100"),
        valid("1e-100 is the smallest exponent allowed", "1e-100", "1e-100"));
  }

  private static Arguments valid(String name, String text, String expected) {
    return arguments(named(name, text), new BigDecimal(expected));
  }

  @ParameterizedTest
  @MethodSource("validQuantities")
  void parsesToTheExactValue(String text, BigDecimal expected) {
    Quantity q = Quantity.parse(text);

    assertThat(q.value()).isEqualByComparingTo(expected);
  }

  @ParameterizedTest
  @MethodSource("validQuantities")
  void agreesExactlyWithFabric8(String text, BigDecimal ignored) {
    assertThat(Quantity.parse(text).value()).isEqualByComparingTo(reference(text));
  }

  /**
   * fabric8's value of a well-formed quantity. fabric8 8.0.0 computes the {@code Ei} multiplier as
   * {@code 2.pow(60, MathContext.DECIMAL64)}, which keeps 16 significant digits: it says 1Ei is
   * 1152921504606847000 where Kubernetes (and the definition) say 2^60 = 1152921504606846976. For
   * {@code Ei} the reference is therefore fabric8's value of the same number in {@code Pi}, times
   * 1024, which fabric8 computes exactly.
   */
  private static BigDecimal reference(String text) {
    if (text.endsWith("Ei")) {
      String inPi = text.substring(0, text.length() - 2) + "Pi";
      return fabric8(inPi).multiply(BigDecimal.valueOf(1024));
    }
    return fabric8(text);
  }

  private static BigDecimal fabric8(String text) {
    return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
        new io.fabric8.kubernetes.api.model.Quantity(text));
  }

  static Stream<Arguments> malformedQuantities() {
    return Stream.of(
        malformed("the empty string is no quantity", "", "empty quantity"),
        malformed("abc has no number", "abc", "must start with a number"),
        malformed("1.2.3 has two decimal points", "1.2.3", "unknown suffix \".3\""),
        malformed("1 Gi has a space before the suffix", "1 Gi", "unknown suffix \" Gi\""),
        malformed("1Gib is not a binary suffix", "1Gib", "unknown suffix \"Gib\""),
        malformed("1e has an exponent without digits", "1e", "unknown suffix \"e\""),
        malformed("1ee3 has a doubled exponent mark", "1ee3", "unknown suffix \"ee3\""),
        malformed("0x10 is hexadecimal", "0x10", "unknown suffix \"x10\""),
        malformed(". is a decimal point without digits", ".", "must start with a number"),
        malformed("- is a sign without a number", "-", "must start with a number"),
        malformed("+ is a sign without a number", "+", "must start with a number"),
        malformed("1Ki5 has digits after the suffix", "1Ki5", "unknown suffix \"Ki5\""),
        malformed("Gi is a suffix without a number", "Gi", "must start with a number"),
        malformed("1m1 has digits after a decimal suffix", "1m1", "unknown suffix \"m1\""),
        malformed("1K is not a suffix (kilo is lower-case k)", "1K", "unknown suffix \"K\""),
        malformed("1e1000 has an exponent out of range", "1e1000", "exponent out of range"),
        malformed("1e-101 has an exponent out of range", "1e-101", "exponent out of range"),
        malformed(
            "1e99999999999 has an exponent beyond an int, out of range",
            "1e99999999999",
            "exponent out of range"),
        malformed("' 1' has a leading space", " 1", "must start with a number"),
        malformed("'1 ' has a trailing space", "1 ", "unknown suffix \" \""),
        malformed("1e3.5 has a fractional exponent", "1e3.5", "unknown suffix \"e3.5\""),
        malformed("--1 has two signs", "--1", "must start with a number"));
  }

  private static Arguments malformed(String name, String text, String reason) {
    return arguments(named(name, text), reason);
  }

  @ParameterizedTest
  @MethodSource("malformedQuantities")
  void rejectsMalformedQuantitiesSayingWhy(String text, String reason) {
    assertThatThrownBy(() -> Quantity.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason)
        .hasMessageContaining(text.isEmpty() ? "empty" : "\"" + text + "\"");
  }

  static Stream<Arguments> milliValues() {
    return Stream.of(
        arguments(named("0.1m rounds up to 1 millicore", "0.1m"), 1L),
        arguments(named("1.5 is 1500 millicores", "1.5"), 1500L),
        arguments(named("2 is 2000 millicores", "2"), 2000L),
        arguments(named("500m is 500 millicores", "500m"), 500L),
        arguments(named("1n rounds up to 1 millicore", "1n"), 1L),
        arguments(named("1001u rounds up to 2 millicores", "1001u"), 2L),
        arguments(named("0 is 0 millicores", "0"), 0L),
        arguments(named("1e-3 is 1 millicore", "1e-3"), 1L));
  }

  @ParameterizedTest
  @MethodSource("milliValues")
  void milliValueCeilRoundsUpAsKubernetesDoes(String text, long millis) {
    assertThat(Quantity.parse(text).milliValueCeil()).isEqualTo(BigInteger.valueOf(millis));
  }

  static Stream<Arguments> wholeValues() {
    return Stream.of(
        arguments(named("0.5 rounds up to 1", "0.5"), 1L),
        arguments(named("1Ki is 1024", "1Ki"), 1024L),
        arguments(named("1m rounds up to 1", "1m"), 1L),
        arguments(named("1.5Gi is 1610612736", "1.5Gi"), 1_610_612_736L),
        arguments(named("2 is 2", "2"), 2L),
        arguments(named("0.5Ki is 512", "0.5Ki"), 512L),
        arguments(named("1.0001k rounds up to 1001", "1.0001k"), 1001L));
  }

  @ParameterizedTest
  @MethodSource("wholeValues")
  void valueCeilRoundsUpToWholeUnits(String text, long units) {
    assertThat(Quantity.parse(text).valueCeil()).isEqualTo(BigInteger.valueOf(units));
  }

  static Stream<Arguments> sameValues() {
    return Stream.of(
        arguments(named("1Ki equals 1024", "1Ki"), "1024"),
        arguments(named("1 equals 1000m", "1"), "1000m"),
        arguments(named("1.0 equals 1", "1.0"), "1"),
        arguments(named("1e3 equals 1k", "1e3"), "1k"),
        arguments(named("0.5Gi equals 512Mi", "0.5Gi"), "512Mi"),
        arguments(named("0 equals 0m", "0"), "0m"),
        arguments(named("-0 equals 0", "-0"), "0"));
  }

  @ParameterizedTest
  @MethodSource("sameValues")
  void quantitiesOfTheSameValueAreEqualWhateverTheirSpelling(String a, String b) {
    Quantity qa = Quantity.parse(a);
    Quantity qb = Quantity.parse(b);

    assertThat(qa).isEqualTo(qb);
    assertThat(qa.hashCode()).isEqualTo(qb.hashCode());
    assertThat(qa.compareTo(qb)).isZero();
  }

  @Test
  void quantitiesOfDifferentValuesDifferAndOrderByValue() {
    Quantity kibi = Quantity.parse("1Ki");
    Quantity kilo = Quantity.parse("1k");

    assertThat(kibi).isNotEqualTo(kilo);
    assertThat(kibi.compareTo(kilo)).isPositive();
    assertThat(kilo.compareTo(kibi)).isNegative();
    assertThat(kibi).isNotEqualTo("1Ki");
  }

  @Test
  void toStringKeepsTheOriginalText() {
    assertThat(Quantity.parse("1.50Gi")).hasToString("1.50Gi");
    assertThat(Quantity.parse("+1")).hasToString("+1");
    assertThat(Quantity.parse("1000m")).hasToString("1000m");
  }

  @Test
  void onlyQuantitiesBelowZeroAreNegative() {
    assertThat(Quantity.parse("-1m").isNegative()).isTrue();
    assertThat(Quantity.parse("-0").isNegative()).isFalse();
    assertThat(Quantity.parse("0").isNegative()).isFalse();
    assertThat(Quantity.parse("1n").isNegative()).isFalse();
  }

  @Test
  void nullIsRefused() {
    assertThatThrownBy(() -> Quantity.parse(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("text");
  }

  private static final List<String> SUFFIXES =
      List.of("", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei");

  @Test
  void randomWellFormedQuantitiesEqualFabric8sValueExactly() {
    Random random = new Random(20_261_126L);
    int exponents = 0;
    int binary = 0;
    int fractions = 0;
    for (int i = 0; i < 2_000; i++) {
      String text = randomQuantity(random);
      if (text.matches(".*[eE][-+]?[0-9]+")) {
        exponents++;
      }
      if (text.endsWith("i")) {
        binary++;
      }
      if (text.contains(".")) {
        fractions++;
      }
      assertThat(Quantity.parse(text).value()).as(text).isEqualByComparingTo(reference(text));
    }
    assertThat(exponents).as("quantities with an exponent").isGreaterThan(100);
    assertThat(binary).as("quantities with a binary suffix").isGreaterThan(400);
    assertThat(fractions).as("quantities with a fraction").isGreaterThan(500);
  }

  /** A quantity of Kubernetes' grammar: sign, digits, optional fraction, any suffix. */
  private static String randomQuantity(Random random) {
    StringBuilder b = new StringBuilder();
    switch (random.nextInt(4)) {
      case 0 -> b.append('+');
      case 1 -> b.append('-');
      default -> {}
    }
    String whole = digits(random, random.nextInt(13));
    switch (random.nextInt(4)) {
      case 0 -> b.append(whole.isEmpty() ? "0" : whole);
      case 1 -> b.append(whole.isEmpty() ? "1" : whole).append('.');
      case 2 -> b.append('.').append(digits(random, 1 + random.nextInt(6)));
      default -> b.append(whole).append('.').append(digits(random, 1 + random.nextInt(6)));
    }
    int choice = random.nextInt(SUFFIXES.size() + 2);
    if (choice < SUFFIXES.size()) {
      b.append(SUFFIXES.get(choice));
    } else {
      b.append(choice == SUFFIXES.size() ? 'e' : 'E')
          .append(List.of("", "+", "-").get(random.nextInt(3)))
          .append(random.nextInt(25));
    }
    return b.toString();
  }

  private static String digits(Random random, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append((char) ('0' + random.nextInt(10)));
    }
    return b.toString();
  }

  @Test
  void binarySuffixesArePowersOfTwo() {
    List<String> suffixes = List.of("Ki", "Mi", "Gi", "Ti", "Pi", "Ei");
    for (int i = 0; i < suffixes.size(); i++) {
      assertThat(Quantity.parse("1" + suffixes.get(i)).value())
          .as(suffixes.get(i))
          .isEqualByComparingTo(new BigDecimal(TWO.pow(10 * (i + 1))));
    }
  }
}
