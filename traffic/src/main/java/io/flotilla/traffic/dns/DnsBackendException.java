package io.flotilla.traffic.dns;

/** A DNS backend refused or could not be reached; the message names the backend and the reason. */
public final class DnsBackendException extends RuntimeException {
  public DnsBackendException(String message, Throwable cause) {
    super(message, cause);
  }

  public DnsBackendException(String message) {
    super(message);
  }
}
