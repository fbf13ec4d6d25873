package io.flotilla.cluster;

/**
 * Why a member cluster could not be reached or refused a request; the words become condition
 * reasons ("Timeout", "ConnectionRefused", ...).
 */
public enum FailureReason {
  /** No answer within the timeout. */
  TIMEOUT("Timeout"),
  /** Nothing listens at the address (or the host cannot be resolved or reached). */
  REFUSED("ConnectionRefused"),
  /** The TLS handshake failed: an untrusted or mismatched certificate, say. */
  TLS("TLSHandshakeFailed"),
  /** The server rejected the credentials (401) or the permissions (403). */
  UNAUTHORIZED("Unauthorized"),
  /** The kubeconfig (or the Secret holding it) is missing or invalid. */
  INVALID_CONFIG("InvalidKubeconfig"),
  /** The server refused the request as invalid (a 4xx other than the above). */
  REJECTED("Rejected"),
  /** A conflict persisted after retries. */
  CONFLICT("Conflict"),
  /** Anything else (a 5xx, an unexpected answer). */
  ERROR("Error");

  private final String conditionReason;

  FailureReason(String conditionReason) {
    this.conditionReason = conditionReason;
  }

  /** The CamelCase word used as a condition's reason. */
  public String conditionReason() {
    return conditionReason;
  }
}
