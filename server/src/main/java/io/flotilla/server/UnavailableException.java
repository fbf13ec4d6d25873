package io.flotilla.server;

/**
 * The request cannot be served by this replica now (a standby, or a leader still starting): the API
 * answers {@code 503 Unavailable} with this message, and the client should try the leader or again
 * later.
 */
public class UnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(String message) {
    super(message);
  }
}
