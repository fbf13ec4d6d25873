package io.flotilla.server;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What {@code GET /metrics} answers (docs/observability.md): the process's metrics in the
 * Prometheus text exposition format, behind the API's bearer token.
 */
@FunctionalInterface
public interface MetricsSource {
  /** The content type of the text exposition format the scrape is written in. */
  String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Writes every metric as it stands now, in the text exposition format. */
  void writeTo(OutputStream out) throws IOException;
}
