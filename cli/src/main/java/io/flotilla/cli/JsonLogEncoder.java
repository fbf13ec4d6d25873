package io.flotilla.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Logs one JSON object per line (docs/observability.md): {@code timestamp} (ISO-8601, UTC), {@code
 * level}, {@code logger}, {@code thread}, {@code message}, then every key-value pair of the event
 * as a field of its own (numbers and booleans as such, collections as arrays, anything else as its
 * string), and {@code exception} (the stack trace) when there is one. A key that would overwrite
 * one of those fields is written as {@code kv.<key>}.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> FIXED =
      Set.of("timestamp", "level", "logger", "thread", "message", "exception");
  private static final byte[] NEWLINE = {'\n'};

  @Override
  public byte[] headerBytes() {
    return new byte[0];
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ObjectNode n = F.objectNode();
    n.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(event.getInstant()));
    n.put("level", event.getLevel().toString());
    n.put("logger", event.getLoggerName());
    n.put("thread", event.getThreadName());
    n.put("message", event.getFormattedMessage());
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        String key = FIXED.contains(kv.key) ? "kv." + kv.key : kv.key;
        put(n, key, kv.value);
      }
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      n.put("exception", ThrowableProxyUtil.asString(thrown));
    }
    byte[] json = MAPPER.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
    byte[] line = new byte[json.length + 1];
    System.arraycopy(json, 0, line, 0, json.length);
    line[json.length] = NEWLINE[0];
    return line;
  }

  private static void put(ObjectNode n, String key, Object value) {
    if (value == null) {
      n.putNull(key);
    } else if (value instanceof Boolean b) {
      n.put(key, b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      n.put(key, ((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        n.put(key, d);
      } else {
        n.put(key, Double.toString(d));
      }
    } else if (value instanceof BigInteger i) {
      n.put(key, i);
    } else if (value instanceof BigDecimal d) {
      n.put(key, d);
    } else if (value instanceof Collection<?> c) {
      ArrayNode a = n.putArray(key);
      c.forEach(v -> a.add(String.valueOf(v)));
    } else if (value instanceof Map<?, ?> m) {
      ObjectNode o = n.putObject(key);
      m.forEach((k, v) -> o.put(String.valueOf(k), String.valueOf(v)));
    } else {
      n.put(key, String.valueOf(value));
    }
  }

  @Override
  public byte[] footerBytes() {
    return new byte[0];
  }
}
