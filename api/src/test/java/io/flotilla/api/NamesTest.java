package io.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Kubernetes' name rules: DNS labels and subdomains, qualified names, label values. */
class NamesTest {
  private static final Function<String, Optional<String>> DNS_LABEL = Names::checkDnsLabel;
  private static final Function<String, Optional<String>> DNS_SUBDOMAIN = Names::checkDnsSubdomain;
  private static final Function<String, Optional<String>> QUALIFIED_NAME =
      Names::checkQualifiedName;
  private static final Function<String, Optional<String>> LABEL_VALUE = Names::checkLabelValue;

  /** 253 characters: three 63-character labels and one of 61, joined by dots. */
  private static final String SUBDOMAIN_253 =
      "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);

  static Stream<Arguments> validNames() {
    return Stream.of(
        ok("a one-letter DNS label", DNS_LABEL, "a"),
        ok("a DNS label with a dash and digits", DNS_LABEL, "redis-1"),
        ok("a DNS label may start with a digit", DNS_LABEL, "1st"),
        ok("a DNS label of 63 characters", DNS_LABEL, "a".repeat(63)),
        ok("a single-label DNS subdomain", DNS_SUBDOMAIN, "user1"),
        ok("a dotted DNS subdomain", DNS_SUBDOMAIN, "dc1.compute.example"),
        ok("a DNS subdomain of 253 characters", DNS_SUBDOMAIN, SUBDOMAIN_253),
        ok("a plain qualified name", QUALIFIED_NAME, "cluster"),
        ok("a prefixed qualified name", QUALIFIED_NAME, "topology.kubernetes.io/zone"),
        ok("a qualified name with upper case, '_', '.' and '-'", QUALIFIED_NAME, "Node_Pool.v2-a"),
        ok("a qualified name of 63 characters", QUALIFIED_NAME, "n".repeat(63)),
        ok(
            "a qualified name with a 253-character prefix and a 63-character name",
            QUALIFIED_NAME,
            SUBDOMAIN_253 + "/" + "n".repeat(63)),
        ok("a one-character qualified name", QUALIFIED_NAME, "x"),
        ok("the empty label value", LABEL_VALUE, ""),
        ok("a plain label value", LABEL_VALUE, "compute"),
        ok("a label value with upper case, '_', '.' and '-'", LABEL_VALUE, "V1.2_rc-3"),
        ok("a one-character label value", LABEL_VALUE, "A"),
        ok("a label value of 63 characters", LABEL_VALUE, "v".repeat(63)));
  }

  private static Arguments ok(String name, Function<String, Optional<String>> check, String input) {
    return arguments(named(name, check), input);
  }

  @ParameterizedTest
  @MethodSource("validNames")
  void acceptsValidNames(Function<String, Optional<String>> check, String input) {
    assertThat(check.apply(input)).isEmpty();
  }

  static Stream<Arguments> invalidNames() {
    return Stream.of(
        bad("an empty DNS label", DNS_LABEL, "", "must not be empty"),
        bad(
            "a DNS label of 64 characters",
            DNS_LABEL,
            "a".repeat(64),
            "must be at most 63 characters, got 64"),
        bad("a DNS label with upper case", DNS_LABEL, "Redis", "\"Redis\" is not a DNS label"),
        bad("a DNS label starting with '-'", DNS_LABEL, "-a", "is not a DNS label"),
        bad("a DNS label ending with '-'", DNS_LABEL, "a-", "is not a DNS label"),
        bad("a DNS label with '_'", DNS_LABEL, "a_b", "is not a DNS label"),
        bad("a DNS label with a dot", DNS_LABEL, "a.b", "is not a DNS label"),
        bad("an empty DNS subdomain", DNS_SUBDOMAIN, "", "must not be empty"),
        bad(
            "a DNS subdomain of 254 characters",
            DNS_SUBDOMAIN,
            SUBDOMAIN_253 + "d",
            "must be at most 253 characters, got 254"),
        bad("a DNS subdomain with an empty label", DNS_SUBDOMAIN, "a..b", "is not a DNS subdomain"),
        bad("a DNS subdomain starting with a dot", DNS_SUBDOMAIN, ".a", "is not a DNS subdomain"),
        bad("a DNS subdomain ending with a dot", DNS_SUBDOMAIN, "a.", "is not a DNS subdomain"),
        bad("a DNS subdomain with upper case", DNS_SUBDOMAIN, "A.b", "\"A.b\" is not a DNS"),
        bad("a DNS subdomain with '_'", DNS_SUBDOMAIN, "a_b.c", "is not a DNS subdomain"),
        bad(
            "a DNS subdomain label ending with '-'",
            DNS_SUBDOMAIN,
            "a-.b",
            "is not a DNS subdomain"),
        bad("an empty qualified name", QUALIFIED_NAME, "", "must not be empty"),
        bad(
            "a qualified name of 64 characters",
            QUALIFIED_NAME,
            "n".repeat(64),
            "is not a valid key"),
        bad(
            "a qualified name with an empty prefix",
            QUALIFIED_NAME,
            "/zone",
            "prefix of \"/zone\" must not be empty"),
        bad(
            "a qualified name whose prefix is no DNS subdomain",
            QUALIFIED_NAME,
            "Example.com/zone",
            "prefix of \"Example.com/zone\""),
        bad(
            "a qualified name with a 254-character prefix",
            QUALIFIED_NAME,
            SUBDOMAIN_253 + "d/zone",
            "must be at most 253 characters, got 254"),
        bad(
            "a qualified name with two slashes",
            QUALIFIED_NAME,
            "a.io/b/c",
            "\"a.io/b/c\" is not a valid key"),
        bad(
            "a qualified name with a prefix and no name",
            QUALIFIED_NAME,
            "example.com/",
            "is not a valid key"),
        bad("a qualified name starting with '-'", QUALIFIED_NAME, "-zone", "is not a valid key"),
        bad("a qualified name ending with '.'", QUALIFIED_NAME, "zone.", "is not a valid key"),
        bad("a qualified name with a space", QUALIFIED_NAME, "my zone", "is not a valid key"),
        bad(
            "a qualified name with a 64-character name after its prefix",
            QUALIFIED_NAME,
            "example.com/" + "n".repeat(64),
            "is not a valid key"),
        bad(
            "a label value of 64 characters",
            LABEL_VALUE,
            "v".repeat(64),
            "is not a valid label value"),
        bad(
            "a label value starting with '-'",
            LABEL_VALUE,
            "-v",
            "\"-v\" is not a valid label value"),
        bad("a label value ending with '_'", LABEL_VALUE, "v_", "is not a valid label value"),
        bad("a label value with a space", LABEL_VALUE, "a b", "is not a valid label value"),
        bad("a label value with a slash", LABEL_VALUE, "a/b", "is not a valid label value"));
  }

  private static Arguments bad(
      String name, Function<String, Optional<String>> check, String input, String reason) {
    return arguments(named(name, check), input, reason);
  }

  @ParameterizedTest
  @MethodSource("invalidNames")
  void rejectsInvalidNamesSayingWhy(
      Function<String, Optional<String>> check, String input, String reason) {
    assertThat(check.apply(input)).hasValueSatisfying(r -> assertThat(r).contains(reason));
  }
}
