package io.flotilla.store;

import io.flotilla.api.ObjectRef;

/** A store operation failed; {@link #reason()} says how, the message names the object. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How a store operation failed. */
  public enum Reason {
    ALREADY_EXISTS,
    NOT_FOUND,
    /** The object changed since it was read (its resourceVersion is not the stored one). */
    CONFLICT,
    /**
     * A watch asked for changes older than the store keeps, or from a version newer than the
     * store's own (from another store, or one that was reset): list again and watch from there.
     */
    GONE,
    /** The object is not acceptable (no name, not JSON, too large). */
    INVALID,
    /** Reading or writing the store itself failed. */
    IO
  }

  private final Reason reason;
  private final transient ObjectRef ref;

  public StoreException(Reason reason, ObjectRef ref, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.ref = ref;
  }

  public StoreException(Reason reason, ObjectRef ref, String message) {
    this(reason, ref, message, null);
  }

  public Reason reason() {
    return reason;
  }

  /** The object concerned, or null when the failure is not about one object. */
  public ObjectRef ref() {
    return ref;
  }
}
