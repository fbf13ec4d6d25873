package io.flotilla.cluster;

/** A member cluster operation failed; the message names the cluster, object and reason. */
public final class MemberException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final FailureReason reason;

  public MemberException(FailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public MemberException(FailureReason reason, String message) {
    this(reason, message, null);
  }

  public FailureReason reason() {
    return reason;
  }
}
