package io.flotilla.store.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.api.ObjectRef;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreException.Reason;

/**
 * The API server's answers as {@link StoreException}s: 409 is ALREADY_EXISTS on create and CONFLICT
 * otherwise, 404 NOT_FOUND, 410 GONE, 400, 413 and 422 INVALID, anything else (and no answer at
 * all) IO. Messages name the object and carry the server's own message, never a request header.
 */
final class Errors {
  private Errors() {}

  /** What went wrong when {@code action} ("create", "update", ...) was done to {@code ref}. */
  static StoreException of(KubernetesClientException e, ObjectRef ref, String action) {
    int code = e.getCode();
    Reason reason =
        switch (code) {
          case 409 -> action.equals("create") ? Reason.ALREADY_EXISTS : Reason.CONFLICT;
          case 404 -> Reason.NOT_FOUND;
          case 410 -> Reason.GONE;
          case 400, 413, 422 -> Reason.INVALID;
          default -> Reason.IO;
        };
    String what = ref == null ? action : action + " " + ref;
    String detail =
        switch (reason) {
          case ALREADY_EXISTS -> "already exists";
          case CONFLICT ->
              "was changed since it was read (resourceVersion); read it again and reapply the"
                  + " change";
          case NOT_FOUND -> "not found";
          case GONE -> "the changes asked for are no longer kept; list again and watch from there";
          case INVALID -> "refused as invalid";
          default -> code > 0 ? "the API server answered HTTP " + code : "no answer";
        };
    return new StoreException(reason, ref, what + ": " + detail + serverMessage(e), e);
  }

  private static String serverMessage(KubernetesClientException e) {
    Status s = e.getStatus();
    if (s != null && s.getMessage() != null && !s.getMessage().isBlank()) {
      return " (" + firstLine(s.getMessage()) + ")";
    }
    Throwable cause = e.getCause();
    if (e.getCode() <= 0 && cause != null) {
      return " (" + cause.getClass().getSimpleName() + ")";
    }
    return "";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
