package io.flotilla.api.io;

import io.flotilla.api.InvalidInputException;
import io.flotilla.api.Problem;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads Kubernetes-style manifests: YAML (one document or many, separated by {@code ---}) or JSON
 * (one object, or an array of objects), where any object may be a {@code kind: List} holding {@code
 * items}. Duplicate keys are refused; numbers are kept exact.
 */
public final class ManifestReader {
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          // documents are read one by one from one parser; the next one is no "trailing token"
          .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();

  private ManifestReader() {}

  /**
   * Reads every object of {@code text}.
   *
   * @param source where the text came from, for messages (a file name)
   * @throws InvalidInputException when the text is not well-formed YAML or JSON, or holds something
   *     other than objects
   */
  public static List<Manifest> read(String source, String text) {
    List<Problem> problems = new ArrayList<>();
    List<Manifest> out = new ArrayList<>();
    List<JsonNode> documents;
    boolean json = looksLikeJson(text);
    if (!json) {
      List<Problem> aliases = aliases(text);
      if (!aliases.isEmpty()) {
        throw new InvalidInputException(source, aliases);
      }
    }
    try {
      documents = json ? readJson(text) : readYaml(text);
    } catch (JacksonException e) {
      throw new InvalidInputException(source, List.of(new Problem("", syntaxMessage(e))));
    }
    int index = 0;
    for (JsonNode doc : documents) {
      index++;
      if (doc == null || doc.isNull() || doc.isMissingNode()) {
        continue; // an empty YAML document, as after a trailing "---"
      }
      String location = "document " + index;
      if (!doc.isObject()) {
        problems.add(new Problem(location, "must be an object, got " + Fields.describe(doc)));
        continue;
      }
      expandList(source, location, doc, out, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(source, problems);
    }
    return out;
  }

  private static void expandList(
      String source, String location, JsonNode doc, List<Manifest> out, List<Problem> problems) {
    JsonNode kind = doc.get("kind");
    if (kind == null || !kind.isString() || !kind.stringValue().equals("List")) {
      out.add(new Manifest(source, location, doc));
      return;
    }
    JsonNode items = doc.get("items");
    if (items == null || items.isNull()) {
      return;
    }
    if (!items.isArray()) {
      problems.add(
          new Problem(location + ": items", "must be a list, got " + Fields.describe(items)));
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String itemLocation = location + ", items[" + i + "]";
      if (!item.isObject()) {
        problems.add(new Problem(itemLocation, "must be an object, got " + Fields.describe(item)));
      } else if (item.has("kind") && "List".equals(item.get("kind").asString())) {
        problems.add(new Problem(itemLocation, "a List inside a List is not supported"));
      } else {
        out.add(new Manifest(source, itemLocation, item));
      }
    }
  }

  private static boolean looksLikeJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  private static List<JsonNode> readJson(String text) {
    JsonNode root = JSON.readTree(text);
    List<JsonNode> docs = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(docs::add);
    } else {
      docs.add(root);
    }
    return docs;
  }

  /** Each document's root value, read one at a time so that a root sequence stays one value. */
  private static List<JsonNode> readYaml(String text) {
    List<JsonNode> docs = new ArrayList<>();
    try (JsonParser p = YAML.createParser(text)) {
      while (p.nextToken() != null) {
        docs.add(YAML.readTree(p));
      }
    }
    return docs;
  }

  /**
   * YAML aliases ({@code *name}, and merge keys {@code <<: *name}) are refused: the tree reader
   * would take an alias for the anchor's name, silently. Syntax errors are left to the reader,
   * which reports them with their position.
   */
  private static List<Problem> aliases(String text) {
    List<Problem> problems = new ArrayList<>();
    try {
      for (Event e : new Parse(LoadSettings.builder().build()).parseString(text)) {
        if (e instanceof AliasEvent alias) {
          String where =
              alias
                  .getStartMark()
                  .map(
                      mark ->
                          "line "
                              + (mark.getLine() + 1)
                              + ", column "
                              + (mark.getColumn() + 1)
                              + ": ")
                  .orElse("");
          problems.add(
              new Problem(
                  "",
                  where
                      + "YAML alias *"
                      + alias.getAlias().getValue()
                      + " is not supported; write the value out in full"));
        }
      }
    } catch (YamlEngineException syntaxError) {
      return List.of();
    }
    return problems;
  }

  private static String syntaxMessage(JacksonException e) {
    TokenStreamLocation loc = e.getLocation();
    String where =
        loc != null && loc.getLineNr() > 0
            ? "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": "
            : "";
    String msg = e.getOriginalMessage();
    int nl = msg.indexOf('\n');
    return "not valid YAML or JSON: " + where + (nl > 0 ? msg.substring(0, nl) : msg);
  }
}
