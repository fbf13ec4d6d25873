package io.flotilla.runtime;

import io.flotilla.middleware.LocalLaunch.Readiness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/** Carries out a {@link Readiness} check once; never throws, answers false on any failure. */
final class ReadinessChecks {
  private static final int TIMEOUT_MS = 1000;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private ReadinessChecks() {}

  static boolean check(Readiness r, RunningInstance instance) {
    try {
      if (r instanceof Readiness.TcpConnect t) {
        try (Socket s = connect(t.host(), t.port())) {
          return true;
        }
      }
      if (r instanceof Readiness.RedisPing p) {
        return exchange(p.host(), p.port(), "PING\r\n").startsWith("+PONG");
      }
      if (r instanceof Readiness.ZooKeeperServing z) {
        String srvr = exchange(z.host(), z.port(), "srvr");
        return srvr.contains("Mode: leader")
            || srvr.contains("Mode: follower")
            || srvr.contains("Mode: observer");
      }
      if (r instanceof Readiness.LogLine l) {
        Pattern p = Pattern.compile(l.regex());
        return instance.output().lines().anyMatch(line -> p.matcher(line).find());
      }
      if (r instanceof Readiness.HttpOk h) {
        HttpResponse<String> resp =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(h.url()))
                    .timeout(Duration.ofSeconds(2))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        return resp.statusCode() == 200 && resp.body().contains(h.bodyContains());
      }
      if (r instanceof Readiness.AllOf all) {
        return all.checks().stream().allMatch(c -> check(c, instance));
      }
      return false;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Socket connect(String host, int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
    s.setSoTimeout(TIMEOUT_MS);
    return s;
  }

  /** Sends a request and reads the answer until the server closes or a timeout. */
  private static String exchange(String host, int port, String request) throws IOException {
    try (Socket s = connect(host, port)) {
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] b = new byte[1024];
      try {
        for (int n = in.read(b); n > 0; n = in.read(b)) {
          buf.write(b, 0, n);
          if (request.startsWith("PING")
              && buf.toString(StandardCharsets.US_ASCII).contains("\r\n")) {
            break;
          }
        }
      } catch (java.net.SocketTimeoutException e) {
        // answered what it had
      }
      return buf.toString(StandardCharsets.US_ASCII);
    }
  }
}
