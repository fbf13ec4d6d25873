package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.flotilla.api.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code --log-format json}: one parseable JSON object per line with every key-value pair. */
class JsonLogTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Lines written by a logger of a context of its own with the JSON encoder. */
  private static List<JsonNode> logged(java.util.function.Consumer<Logger> log) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    log.accept(context.getLogger("io.flotilla.server.ApiServer"));
    appender.stop();
    return out.toString(StandardCharsets.UTF_8).lines().map(JSON::readTree).toList();
  }

  @Test
  void eachEventIsOneLineWithItsFieldsAndEveryKeyValueTyped() {
    List<JsonNode> lines =
        logged(
            log -> {
              log.atInfo()
                  .addKeyValue("method", "GET")
                  .addKeyValue("path", "/metrics")
                  .addKeyValue("status", 200)
                  .addKeyValue("ms", 3L)
                  .addKeyValue("ready", true)
                  .addKeyValue("clusters", java.util.List.of("dc1", "dc2"))
                  .log("API request");
              log.atWarn()
                  .addKeyValue("message", "a key named like a field")
                  .log("two\nlines and \"quotes\"");
              log.atError()
                  .addKeyValue("cluster", "dc2")
                  .setCause(new IllegalStateException("boom"))
                  .log("apply failed");
            });
    assertThat(lines).hasSize(3);
    JsonNode first = lines.get(0);
    assertThat(first.path("level").asString()).isEqualTo("INFO");
    assertThat(first.path("logger").asString()).isEqualTo("io.flotilla.server.ApiServer");
    assertThat(first.path("message").asString()).isEqualTo("API request");
    assertThat(Instant.parse(first.path("timestamp").asString())).isBeforeOrEqualTo(Instant.now());
    assertThat(first.path("thread").asString()).isNotEmpty();
    assertThat(first.path("method").asString()).isEqualTo("GET");
    assertThat(first.path("path").asString()).isEqualTo("/metrics");
    assertThat(first.path("status").isNumber()).isTrue();
    assertThat(first.path("status").asInt()).isEqualTo(200);
    assertThat(first.path("ms").asLong()).isEqualTo(3L);
    assertThat(first.path("ready").isBoolean()).isTrue();
    assertThat(first.path("clusters").toString()).isEqualTo("[\"dc1\",\"dc2\"]");
    assertThat(first.has("exception")).isFalse();

    JsonNode second = lines.get(1);
    assertThat(second.path("message").asString()).isEqualTo("two\nlines and \"quotes\"");
    assertThat(second.path("kv.message").asString()).isEqualTo("a key named like a field");

    JsonNode third = lines.get(2);
    assertThat(third.path("level").asString()).isEqualTo("ERROR");
    assertThat(third.path("cluster").asString()).isEqualTo("dc2");
    assertThat(third.path("exception").asString())
        .startsWith("java.lang.IllegalStateException: boom")
        .contains("at io.flotilla.cli.JsonLogTest");
  }

  @Test
  void theOptionSwitchesTheProcessLogToJsonLinesOnStandardError() {
    LogFormatOption option = new LogFormatOption();
    option.format = "json";
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Runnable undo = option.apply();
    try {
      LoggerFactory.getLogger(JsonLogTest.class)
          .atInfo()
          .addKeyValue("replica", "host-1")
          .addKeyValue("term", 7)
          .log("leading: control plane started");
    } finally {
      undo.run();
      System.setErr(err);
    }
    List<JsonNode> lines =
        captured
            .toString(StandardCharsets.UTF_8)
            .lines()
            .map(JSON::readTree) // every line is JSON: fails on a text line
            .filter(n -> n.path("logger").asString().equals(JsonLogTest.class.getName()))
            .toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).path("message").asString()).isEqualTo("leading: control plane started");
    assertThat(lines.get(0).path("replica").asString()).isEqualTo("host-1");
    assertThat(lines.get(0).path("term").asInt()).isEqualTo(7);
  }

  @Test
  void textIsTheDefaultAndAnyOtherFormatIsRefusedNamingTheOption() {
    LogFormatOption option = new LogFormatOption();
    assertThat(option.format()).isEqualTo(LogFormatOption.Format.TEXT);
    option.format = "JSON";
    assertThat(option.format()).isEqualTo(LogFormatOption.Format.JSON);
    option.format = "yaml";
    assertThatThrownBy(option::format)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("--log-format");
  }
}
