package io.flotilla.cluster.kubernetes;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.client.internal.CertUtils;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

/** Servers on 127.0.0.1 that misbehave in the ways a member can: silent, closed, strict TLS. */
final class TestServers {
  private TestServers() {}

  /** Accepts connections and never answers. */
  static final class Silent implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> accepted = new ArrayList<>();
    private final Thread acceptor;

    Silent() {
      try {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      acceptor =
          new Thread(
              () -> {
                try {
                  while (!socket.isClosed()) {
                    Socket s = socket.accept();
                    synchronized (accepted) {
                      accepted.add(s);
                    }
                  }
                } catch (IOException closed) {
                  // the server was closed
                }
              },
              "silent-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      synchronized (accepted) {
        for (Socket s : accepted) {
          s.close();
        }
      }
    }
  }

  /** A port on 127.0.0.1 where nothing listens. */
  static String closedPortUrl() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fabric8 mock server answering every request to {@code path} with {@code code}. */
  static KubernetesMockServer answering(String method, String path, int code) {
    KubernetesMockServer s = new KubernetesMockServer(false);
    s.init(InetAddress.getLoopbackAddress(), 0);
    var expectation = s.expect();
    var withMethod =
        switch (method) {
          case "GET" -> expectation.get();
          case "PATCH" -> expectation.patch();
          case "PUT" -> expectation.put();
          case "POST" -> expectation.post();
          case "DELETE" -> expectation.delete();
          default -> throw new IllegalArgumentException(method);
        };
    withMethod
        .withPath(path)
        .andReturn(
            code,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
                + code
                + ",\"message\":\"answer "
                + code
                + " from the test server\"}")
        .always();
    return s;
  }

  /**
   * An HTTPS server with a self-signed certificate for "localhost" (no IP address in it) that, as
   * kube-apiserver does, asks for a client certificate without demanding one: a request with a
   * certificate signed by that same self-signed certificate gets 200, one without gets 401.
   */
  @SuppressWarnings("removal") // vertx's SelfSignedCertificate: the mock server's own helper
  static final class ClientCertServer implements AutoCloseable {
    private final SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    private final HttpsServer server;

    ClientCertServer() throws Exception {
      char[] pass = "changeit".toCharArray();
      KeyStore keys;
      try (InputStream c = new FileInputStream(cert.certificatePath());
          InputStream k = new FileInputStream(cert.privateKeyPath())) {
        keys = CertUtils.createKeyStore(c, k, "RSA", pass, null, pass);
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream c = new FileInputStream(cert.certificatePath())) {
        Certificate x509 = CertificateFactory.getInstance("X.509").generateCertificate(c);
        trust.setCertificateEntry("client-ca", x509);
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, pass);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(
          new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters p = ssl.getDefaultSSLParameters();
              p.setWantClientAuth(true);
              params.setSSLParameters(p);
            }
          });
      server.createContext(
          "/",
          exchange -> {
            int code = 200;
            try {
              ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
            } catch (SSLPeerUnverifiedException noCertificate) {
              code = 401;
            }
            byte[] body =
                (code == 200
                        ? "{\"kind\":\"NamespaceList\",\"apiVersion\":\"v1\",\"items\":[]}"
                        : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"code\":401}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    /** The certificate, base64 PEM, as kubeconfig *-data fields hold it. */
    String certificateData() throws IOException {
      return base64(Path.of(cert.certificatePath()));
    }

    String keyData() throws IOException {
      return base64(Path.of(cert.privateKeyPath()));
    }

    @Override
    public void close() {
      server.stop(0);
      cert.delete();
    }
  }

  static String base64(Path pem) throws IOException {
    return Base64.getEncoder().encodeToString(Files.readAllBytes(pem));
  }
}
