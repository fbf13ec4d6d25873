package io.flotilla.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.flotilla.api.InvalidInputException;
import io.flotilla.api.Problem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --log-format text|json} of the long-running commands ({@code server}, {@code sandbox up}):
 * text lines (the default, {@code logback.xml}'s pattern) or one JSON object per line ({@link
 * JsonLogEncoder}) on standard error. The environment variable {@code FLOTILLA_LOG_FORMAT} gives
 * the default.
 */
final class LogFormatOption {
  /** How log lines are written. */
  enum Format {
    TEXT,
    JSON;

    /** The option's spelling. */
    String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The values, for completion and help. */
  static final class Values extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Values() {
      super(List.of("text", "json"));
    }
  }

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "${env:FLOTILLA_LOG_FORMAT:-text}",
      completionCandidates = Values.class,
      description =
          "How log lines are written to standard error: text, or json (one object per line with"
              + " timestamp, level, logger, message and every key-value; env FLOTILLA_LOG_FORMAT;"
              + " default: ${DEFAULT-VALUE}).")
  String format;

  /**
   * The format chosen.
   *
   * @throws InvalidInputException naming the option when it is neither text nor json
   */
  Format format() {
    String f = format == null ? "text" : format.strip().toLowerCase(Locale.ROOT);
    for (Format v : Format.values()) {
      if (v.value().equals(f)) {
        return v;
      }
    }
    throw new InvalidInputException(
        "--log-format", List.of(new Problem("", "must be text or json, got \"" + format + "\"")));
  }

  /**
   * Makes the log lines of this process the chosen format from now on.
   *
   * @return what puts the encoders as they were back
   */
  Runnable apply() {
    return use(format());
  }

  /**
   * Gives every appender of the root logger that writes to a stream the encoder of {@code format}
   * (JSON: {@link JsonLogEncoder}; text: the encoders the configuration gave, left as they are).
   * Does nothing when SLF4J is not bound to logback.
   *
   * @return what puts the encoders as they were back
   */
  static Runnable use(Format format) {
    if (format == Format.TEXT
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return () -> {};
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    List<Runnable> undo = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        Encoder<ILoggingEvent> before = appender.getEncoder();
        JsonLogEncoder json = new JsonLogEncoder();
        json.setContext(context);
        json.start();
        swap(appender, json);
        undo.add(() -> swap(appender, before));
      }
    }
    return () -> undo.forEach(Runnable::run);
  }

  private static void swap(OutputStreamAppender<ILoggingEvent> appender, Encoder<ILoggingEvent> e) {
    appender.stop();
    appender.setEncoder(e);
    appender.start();
  }
}
