package io.flotilla.propagation.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.api.policy.JsonPointer;
import io.flotilla.api.policy.OverriderOperator;
import io.flotilla.api.policy.PlaintextOverrider;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 6902's add, remove and replace, exactly: the RFC's own examples (Appendix A) and the edges of
 * array indexes, missing paths and escaping.
 */
class JsonPatchTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** JSON written with ' for " so that the cases stay readable. */
  private static JsonNode j(String json) {
    return JSON.readTree(json.replace('\'', '"'));
  }

  private static PlaintextOverrider op(String operator, String path, String value) {
    return new PlaintextOverrider(
        JsonPointer.parse(path),
        OverriderOperator.fromValue(operator).orElseThrow(),
        Optional.ofNullable(value).map(JsonPatchTest::j));
  }

  private static Arguments ok(
      String name, String doc, String operator, String path, String value, String expected) {
    return arguments(named(name, doc), op(operator, path, value), expected);
  }

  static Stream<Arguments> patches() {
    return Stream.of(
        ok(
            "RFC 6902 A.1: adding an object member",
            "{'foo':'bar'}",
            "add",
            "/baz",
            "'qux'",
            "{'baz':'qux','foo':'bar'}"),
        ok(
            "RFC 6902 A.2: adding an array element",
            "{'foo':['bar','baz']}",
            "add",
            "/foo/1",
            "'qux'",
            "{'foo':['bar','qux','baz']}"),
        ok(
            "RFC 6902 A.3: removing an object member",
            "{'baz':'qux','foo':'bar'}",
            "remove",
            "/baz",
            null,
            "{'foo':'bar'}"),
        ok(
            "RFC 6902 A.4: removing an array element",
            "{'foo':['bar','qux','baz']}",
            "remove",
            "/foo/1",
            null,
            "{'foo':['bar','baz']}"),
        ok(
            "RFC 6902 A.5: replacing a value",
            "{'baz':'qux','foo':'bar'}",
            "replace",
            "/baz",
            "'boo'",
            "{'baz':'boo','foo':'bar'}"),
        ok(
            "RFC 6902 A.10: adding a nested member object",
            "{'foo':'bar'}",
            "add",
            "/child",
            "{'grandchild':{}}",
            "{'foo':'bar','child':{'grandchild':{}}}"),
        ok(
            "RFC 6902 A.14: ~01 is the member named ~1, not /",
            "{'/':9,'~1':10}",
            "replace",
            "/~01",
            "11",
            "{'/':9,'~1':11}"),
        ok("~1 is the member named /", "{'/':9,'~1':10}", "replace", "/~1", "8", "{'/':8,'~1':10}"),
        ok(
            "RFC 6902 A.16: adding an array value with -",
            "{'foo':['bar']}",
            "add",
            "/foo/-",
            "['abc','def']",
            "{'foo':['bar',['abc','def']]}"),
        ok(
            "add at the index equal to the size appends",
            "{'a':[1,2]}",
            "add",
            "/a/2",
            "3",
            "{'a':[1,2,3]}"),
        ok("add at index 0 prepends", "{'a':[1,2]}", "add", "/a/0", "0", "{'a':[0,1,2]}"),
        ok("add to an existing member replaces it", "{'a':{'b':1}}", "add", "/a", "2", "{'a':2}"),
        ok("add a member named by the empty token", "{'a':{}}", "add", "/a/", "1", "{'a':{'':1}}"),
        ok("remove the last element", "{'a':[1,2,3]}", "remove", "/a/2", null, "{'a':[1,2]}"),
        ok(
            "replace an array element",
            "{'a':[1,2,3]}",
            "replace",
            "/a/1",
            "{'x':null}",
            "{'a':[1,{'x':null},3]}"),
        ok("replace a member whose value is null", "{'a':null}", "replace", "/a", "1", "{'a':1}"),
        ok("replace the whole document", "{'a':1}", "replace", "", "{'b':2}", "{'b':2}"),
        ok("add the whole document", "{'a':1}", "add", "", "{'b':2}", "{'b':2}"),
        ok(
            "a member whose name is a number is no index",
            "{'0':'x'}",
            "replace",
            "/0",
            "'y'",
            "{'0':'y'}"));
  }

  @ParameterizedTest
  @MethodSource("patches")
  void appliesAsTheRfcSays(String doc, PlaintextOverrider op, String expected)
      throws OverrideException {
    assertThat(JsonPatch.apply(j(doc), op)).isEqualTo(j(expected));
  }

  private static Arguments fails(
      String name, String doc, String operator, String path, String value, String reason) {
    return arguments(named(name, doc), op(operator, path, value), reason);
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        fails(
            "RFC 6902 A.12: adding to a nonexistent target",
            "{'foo':'bar'}",
            "add",
            "/baz/bat",
            "'qux'",
            "the path does not exist: the object has no \"baz\""),
        fails(
            "add past the end of an array",
            "{'a':[1,2]}",
            "add",
            "/a/3",
            "3",
            "the path does not exist: index 3 is past the end of an array of 2 (use 2 or - to"
                + " append)"),
        fails(
            "an index with a leading zero",
            "{'a':[1,2]}",
            "add",
            "/a/01",
            "3",
            "\"01\" is not an array index (0, 1, 2, ... without leading zeros, or -)"),
        fails(
            "a negative index",
            "{'a':[1,2]}",
            "replace",
            "/a/-1",
            "3",
            "\"-1\" is not an array index"),
        fails(
            "remove a member that is not there",
            "{'a':{}}",
            "remove",
            "/a/b",
            null,
            "the path does not exist: /a has no \"b\""),
        fails(
            "replace a member that is not there",
            "{'a':{}}",
            "replace",
            "/a/b",
            "1",
            "the path does not exist: /a has no \"b\""),
        fails(
            "remove with - (there is no element after the last)",
            "{'a':[1]}",
            "remove",
            "/a/-",
            null,
            "\"-\" names no element: it is the position after the last one, for add" + " only"),
        fails(
            "replace an element out of bounds",
            "{'a':[1]}",
            "replace",
            "/a/1",
            "2",
            "the path does not exist: index 1 is out of bounds of an array of 1"),
        fails(
            "add below a string",
            "{'a':'text'}",
            "add",
            "/a/b",
            "1",
            "the path does not exist: /a is string \"text\", not an object or a list"),
        fails(
            "add below null",
            "{'a':null}",
            "add",
            "/a/b",
            "1",
            "the path does not exist: /a is null, not an object or a list"),
        fails(
            "traverse an array with a name",
            "{'a':[{'b':1}]}",
            "replace",
            "/a/b/c",
            "1",
            "\"b\" is not an array index"),
        fails(
            "remove the whole document",
            "{'a':1}",
            "remove",
            "",
            null,
            "cannot remove the whole object"));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void failsWithTheReasonAndChangesNothing(String doc, PlaintextOverrider op, String reason) {
    JsonNode before = j(doc);
    JsonNode working = before.deepCopy();

    OverrideException e =
        catchThrowableOfType(OverrideException.class, () -> JsonPatch.apply(working, op));

    assertThat(e).isNotNull();
    assertThat(e.reason()).startsWith(reason);
    assertThat(e.path()).isEqualTo(op.path().toString());
    assertThat(working).isEqualTo(before);
  }

  @Test
  void theAddedValueIsACopy() throws OverrideException {
    ObjectNode value = (ObjectNode) j("{'x':1}");
    JsonNode doc = JsonPatch.add(j("{}"), JsonPointer.of("a"), value);

    value.put("x", 2);

    assertThat(doc).isEqualTo(j("{'a':{'x':1}}"));
  }
}
