package io.flotilla.cli;

/** How a command prints its result. */
public enum OutputFormat {
  json,
  yaml,
  table
}
