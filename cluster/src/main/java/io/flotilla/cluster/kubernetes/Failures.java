package io.flotilla.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.MemberException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns what fabric8 and the JDK throw into a {@link FailureReason} and a message for people.
 *
 * <p>HTTP answers are classified by status code; failures without an answer by the first cause in
 * the chain that says what went wrong (TLS, a timeout, a refused or unresolvable address). Messages
 * come from the server's {@code Status.message} or the exception's class and message: never from
 * request headers, so credentials cannot reach them.
 */
final class Failures {
  private Failures() {}

  /** A MemberException for a failed action: "member cluster dc1: apply ConfigMap ns/x: ...". */
  static MemberException of(String cluster, String action, Throwable t) {
    if (t instanceof MemberException m) {
      return m;
    }
    if (t instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new MemberException(
        reason(t), "member cluster " + cluster + ": " + action + ": " + describe(t), t);
  }

  /** Why {@code t} happened. */
  static FailureReason reason(Throwable t) {
    if (t instanceof Kinds.NotServedException) {
      return FailureReason.REJECTED;
    }
    int code = httpCode(t);
    if (code > 0) {
      return reasonForStatus(code);
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException || c instanceof CertificateException) {
        return FailureReason.TLS;
      }
      if (c instanceof HttpTimeoutException
          || c instanceof SocketTimeoutException
          || c instanceof TimeoutException) {
        return FailureReason.TIMEOUT;
      }
      if (c instanceof ConnectException
          || c instanceof UnknownHostException
          || c instanceof NoRouteToHostException
          || c instanceof UnresolvedAddressException) {
        return FailureReason.REFUSED;
      }
    }
    return FailureReason.ERROR;
  }

  /** The reason for an HTTP status code that is not a success. */
  static FailureReason reasonForStatus(int code) {
    if (code == 401 || code == 403) {
      return FailureReason.UNAUTHORIZED;
    }
    if (code == 409) {
      return FailureReason.CONFLICT;
    }
    if (code == 408 || code == 504) {
      return FailureReason.TIMEOUT;
    }
    if (code == 429) {
      return FailureReason.ERROR;
    }
    if (code >= 400 && code < 500) {
      return FailureReason.REJECTED;
    }
    return FailureReason.ERROR;
  }

  /** The HTTP status code of the first KubernetesClientException in the chain, or 0. */
  static int httpCode(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof KubernetesClientException k && k.getCode() > 0) {
        return k.getCode();
      }
    }
    return 0;
  }

  /** A short description: "HTTP 403: configmaps is forbidden", "connection refused", ... */
  static String describe(Throwable t) {
    if (t instanceof Kinds.NotServedException) {
      return t.getMessage();
    }
    int code = httpCode(t);
    if (code > 0) {
      return "HTTP " + code + serverMessage(t).map(m -> ": " + m).orElse("");
    }
    FailureReason reason = reason(t);
    Throwable specific = specificCause(t, reason);
    switch (reason) {
      case TLS:
        return "TLS handshake failed: " + firstLine(specific.getMessage());
      case TIMEOUT:
        return "no answer in time (" + specific.getClass().getSimpleName() + ")";
      case REFUSED:
        return specific instanceof UnknownHostException
                || specific instanceof UnresolvedAddressException
            ? "the server's host name does not resolve"
            : "connection refused or unreachable";
      default:
        return specific.getClass().getSimpleName()
            + (specific.getMessage() == null ? "" : ": " + firstLine(specific.getMessage()));
    }
  }

  private static java.util.Optional<String> serverMessage(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof KubernetesClientException k && k.getCode() > 0) {
        Status s = k.getStatus();
        if (s != null && s.getMessage() != null && !s.getMessage().isBlank()) {
          return java.util.Optional.of(firstLine(s.getMessage()));
        }
      }
    }
    return java.util.Optional.empty();
  }

  /** The deepest cause that explains {@code reason}, or the innermost cause for ERROR. */
  private static Throwable specificCause(Throwable t, FailureReason reason) {
    Throwable found = null;
    Throwable last = t;
    for (Throwable c = t; c != null; c = c.getCause()) {
      last = c;
      boolean matches =
          switch (reason) {
            case TLS -> c instanceof SSLException || c instanceof CertificateException;
            case TIMEOUT ->
                c instanceof HttpTimeoutException
                    || c instanceof SocketTimeoutException
                    || c instanceof TimeoutException;
            case REFUSED ->
                c instanceof ConnectException
                    || c instanceof UnknownHostException
                    || c instanceof NoRouteToHostException
                    || c instanceof UnresolvedAddressException;
            default -> false;
          };
      if (matches && found == null) {
        found = c;
      }
      if (matches && reason == FailureReason.REFUSED) {
        found = c; // the innermost says whether the name did not resolve
      }
    }
    if (found != null) {
      return found;
    }
    return t instanceof KubernetesClientException && t.getCause() != null ? last : t;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
