package io.flotilla.propagation.render;

/**
 * Why an overrider cannot apply to a template, and where: raised inside rendering and turned into
 * an {@link OverrideFailure}; it never leaves this package.
 */
final class OverrideException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String path;

  OverrideException(String path, String reason) {
    super(reason, null, false, false);
    this.path = path;
  }

  /** The JSON pointer of the field that could not be changed. */
  String path() {
    return path;
  }

  String reason() {
    return getMessage();
  }
}
