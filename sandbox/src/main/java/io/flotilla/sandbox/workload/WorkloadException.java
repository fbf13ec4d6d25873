package io.flotilla.sandbox.workload;

/** A workload that cannot start or cannot read back what it wrote, with the reason. */
public final class WorkloadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkloadException(String message) {
    super(message);
  }

  public WorkloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
