package io.flotilla.runtime;

/** A local instance or tool could not be started, did not become ready, or failed. */
public final class LocalRuntimeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LocalRuntimeException(String message) {
    super(message);
  }

  public LocalRuntimeException(String message, Throwable cause) {
    super(message, cause);
  }
}
