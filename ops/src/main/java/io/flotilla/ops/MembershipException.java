package io.flotilla.ops;

/**
 * A membership operation that could not be carried out: names the middleware, the operation and the
 * reason (the server's own answer where there is one).
 */
public final class MembershipException extends RuntimeException {
  public MembershipException(String middleware, String operation, String reason) {
    super(middleware + ": " + operation + ": " + reason);
  }

  public MembershipException(String middleware, String operation, String reason, Throwable cause) {
    super(middleware + ": " + operation + ": " + reason, cause);
  }
}
