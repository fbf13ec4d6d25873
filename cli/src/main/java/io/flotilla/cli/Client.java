package io.flotilla.cli;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.Problem;
import java.io.PrintWriter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** What the client commands share: error reporting with exit codes, and JSON/YAML printing. */
final class Client {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .defaultPrettyPrinter(
              new DefaultPrettyPrinter(
                  Separators.createDefaultInstance()
                      .withObjectNameValueSpacing(Separators.Spacing.AFTER)))
          .build();
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .build();

  /** A command's body; returns its exit code. */
  @FunctionalInterface
  interface Body {
    int run(ApiClient client);
  }

  private Client() {}

  /**
   * Runs a command's body against the server: 1 when the input or the server refuses (the message
   * and every problem printed), 3 when the server cannot be reached (its URL printed).
   */
  static int run(ServerOptions options, PrintWriter err, Body body) {
    try {
      return body.run(options.client());
    } catch (InvalidInputException e) {
      err.println("flotilla: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (ApiClient.Refused e) {
      printRefused(err, "", e);
      return Main.BAD_INPUT;
    } catch (ApiClient.Unreachable e) {
      err.println("flotilla: " + e.getMessage());
      return Main.UNREACHABLE;
    }
  }

  /** "flotilla: PREFIX message", then each problem indented. */
  static void printRefused(PrintWriter err, String prefix, ApiClient.Refused e) {
    err.println("flotilla: " + prefix + e.getMessage());
    for (Problem p : e.problems()) {
      err.println("  " + p);
    }
  }

  static void print(PrintWriter out, OutputFormat format, JsonNode node) {
    if (format == OutputFormat.yaml) {
      out.print(YAML.writeValueAsString(node));
    } else {
      out.println(JSON.writeValueAsString(node));
    }
  }

  /** A text field, or "-" when absent. */
  static String text(JsonNode node, String pointer) {
    JsonNode v = node.at(pointer);
    if (v.isMissingNode() || v.isNull()) {
      return "-";
    }
    String s = v.isValueNode() ? v.asString() : v.toString();
    return s.isEmpty() ? "-" : s;
  }

  /** The status of the condition of {@code type} in {@code status.conditions}, or "-". */
  static String condition(JsonNode object, String type) {
    for (JsonNode c : object.at("/status/conditions")) {
      if (type.equals(c.path("type").asString(""))) {
        return c.path("status").asString("-");
      }
    }
    return "-";
  }
}
