package io.flotilla.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.MemberException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How fabric8's and the JDK's failures become reasons and messages. */
class FailuresTest {
  private static KubernetesClientException http(int code, String message) {
    return new KubernetesClientException(
        "Failure executing: PUT at: https://10.0.0.1/api. Message: " + message,
        code,
        new StatusBuilder().withCode(code).withMessage(message).build());
  }

  private static KubernetesClientException io(Throwable cause) {
    return new KubernetesClientException(
        "Operation: [get] for kind: [ConfigMap] failed.",
        new IOException(new CompletionException(cause)));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            named("401", http(401, "Unauthorized")),
            FailureReason.UNAUTHORIZED,
            "HTTP 401: Unauthorized"),
        Arguments.of(
            named(
                "403", http(403, "configmaps \"x\" is forbidden: User \"flotilla\" cannot update")),
            FailureReason.UNAUTHORIZED,
            "HTTP 403: configmaps \"x\" is forbidden"),
        Arguments.of(
            named("409", http(409, "the object has been modified")),
            FailureReason.CONFLICT,
            "HTTP 409"),
        Arguments.of(
            named("422", http(422, "spec.replicas: Invalid value: -1")),
            FailureReason.REJECTED,
            "Invalid value"),
        Arguments.of(
            named("404", http(404, "namespaces \"mw\" not found")),
            FailureReason.REJECTED,
            "not found"),
        Arguments.of(named("408", http(408, "timeout")), FailureReason.TIMEOUT, "HTTP 408"),
        Arguments.of(named("429", http(429, "too many requests")), FailureReason.ERROR, "HTTP 429"),
        Arguments.of(
            named("500", http(500, "etcdserver: leader changed")),
            FailureReason.ERROR,
            "leader changed"),
        Arguments.of(named("503", http(503, "unavailable")), FailureReason.ERROR, "HTTP 503"),
        Arguments.of(named("504", http(504, "gateway timeout")), FailureReason.TIMEOUT, "HTTP 504"),
        Arguments.of(
            named("connection refused", io(new ConnectException())),
            FailureReason.REFUSED,
            "connection refused"),
        Arguments.of(
            named(
                "an unresolvable host",
                io(new ConnectException().initCause(new UnresolvedAddressException()))),
            FailureReason.REFUSED,
            "does not resolve"),
        Arguments.of(
            named("an unknown host", io(new UnknownHostException("dc9.example"))),
            FailureReason.REFUSED,
            "does not resolve"),
        Arguments.of(
            named("a request timeout", io(new HttpTimeoutException("request timed out"))),
            FailureReason.TIMEOUT,
            "no answer in time"),
        Arguments.of(
            named("a connect timeout", io(new HttpConnectTimeoutException("connect timed out"))),
            FailureReason.TIMEOUT,
            "no answer in time"),
        Arguments.of(
            named("a socket timeout", io(new SocketTimeoutException())),
            FailureReason.TIMEOUT,
            "no answer in time"),
        Arguments.of(
            named(
                "an untrusted certificate",
                io(new SSLHandshakeException("PKIX path building failed"))),
            FailureReason.TLS,
            "TLS handshake failed: PKIX path building failed"),
        Arguments.of(
            named("anything else", new KubernetesClientException("Could not parse the answer")),
            FailureReason.ERROR,
            "KubernetesClientException: Could not parse the answer"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("cases")
  void classified(Throwable failure, FailureReason reason, String says) {
    MemberException e = Failures.of("dc1", "apply ConfigMap mw/x", failure);

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.getMessage())
        .startsWith("member cluster dc1: apply ConfigMap mw/x: ")
        .contains(says);
    assertThat(e.getCause()).isSameAs(failure);
  }

  @Test
  void aMemberExceptionPassesThroughUnchanged() {
    MemberException original = new MemberException(FailureReason.CONFLICT, "already said");

    assertThat(Failures.of("dc1", "apply", original)).isSameAs(original);
  }
}
