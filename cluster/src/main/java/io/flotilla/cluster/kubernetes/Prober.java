package io.flotilla.cluster.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.flotilla.cluster.FailureReason;
import io.flotilla.cluster.ProbeResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A member's health probe: {@code GET /api/v1/namespaces?limit=1}, with the member's credentials.
 *
 * <p>Unlike {@code /version}, {@code /readyz} or {@code /livez}, which anonymous users may read, it
 * proves the credentials are accepted and allowed to read the cluster; unlike discovery it reaches
 * storage (a list with a limit is not served from the watch cache), so an API server that lost etcd
 * fails it. The answer must come within the timeout, TCP and TLS included.
 */
final class Prober {
  static final String PATH = "api/v1/namespaces?limit=1";

  private final String cluster;
  private final HttpClient http;
  private final String url;

  Prober(String cluster, KubernetesClient client) {
    this.cluster = cluster;
    this.http = client.getHttpClient();
    String master = client.getMasterUrl().toString();
    this.url = (master.endsWith("/") ? master : master + "/") + PATH;
  }

  ProbeResult probe(Duration timeout) {
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> answer = null;
    try {
      HttpRequest request =
          http.newHttpRequestBuilder()
              .uri(url)
              .timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
              .build();
      answer = http.sendAsync(request, String.class);
      HttpResponse<String> response = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      Duration latency = since(start);
      int code = response.code();
      if (code >= 200 && code < 300) {
        return ProbeResult.ok(latency);
      }
      return ProbeResult.failed(
          Failures.reasonForStatus(code),
          "member cluster " + cluster + ": health probe answered HTTP " + code + statusWord(code),
          latency);
    } catch (TimeoutException e) {
      answer.cancel(true);
      return ProbeResult.failed(
          FailureReason.TIMEOUT,
          "member cluster "
              + cluster
              + ": health probe got no answer within "
              + timeout.toMillis()
              + "ms",
          since(start));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return failed(cause, timeout, start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (answer != null) {
        answer.cancel(true);
      }
      return ProbeResult.failed(
          FailureReason.ERROR,
          "member cluster " + cluster + ": health probe interrupted",
          since(start));
    } catch (RuntimeException e) {
      return failed(e, timeout, start);
    }
  }

  private ProbeResult failed(Throwable cause, Duration timeout, long start) {
    FailureReason reason = Failures.reason(cause);
    String detail =
        reason == FailureReason.TIMEOUT
            ? "no answer within " + timeout.toMillis() + "ms"
            : Failures.describe(cause);
    return ProbeResult.failed(
        reason, "member cluster " + cluster + ": health probe failed: " + detail, since(start));
  }

  private static String statusWord(int code) {
    return switch (code) {
      case 401 -> " (Unauthorized: the credentials were not accepted)";
      case 403 -> " (Forbidden: the credentials may not list namespaces)";
      case 404 -> " (Not Found)";
      case 429 -> " (Too Many Requests)";
      case 500 -> " (Internal Server Error)";
      case 503 -> " (Service Unavailable)";
      default -> "";
    };
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
