package io.flotilla.ops.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection to a Redis server speaking RESP2, enough for administration: a command is a list
 * of strings, a reply is a {@code String} (simple or bulk), a {@code Long}, a {@code List} of
 * replies, or {@code null}; an error reply throws {@link RedisError}. Not thread-safe.
 */
public final class RedisConnection implements AutoCloseable {
  private final String address;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RedisConnection(String address, Socket socket) throws IOException {
    this.address = address;
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Connects and, when a password is given, authenticates.
   *
   * @throws UncheckedIOException naming the address when the server cannot be reached
   * @throws RedisError when the password is refused
   */
  public static RedisConnection open(String host, int port, String password, Duration timeout) {
    String address = host + ":" + port;
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      s.setTcpNoDelay(true);
      RedisConnection c = new RedisConnection(address, s);
      if (password != null) {
        c.call("AUTH", password);
      }
      return c;
    } catch (IOException e) {
      closeQuietly(s);
      throw new UncheckedIOException("redis " + address + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(s);
      throw e;
    }
  }

  public String address() {
    return address;
  }

  /**
   * Sends one command and reads its reply.
   *
   * @throws RedisError for an error reply
   * @throws UncheckedIOException when the connection fails
   */
  public Object call(String... args) {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (String a : args) {
        byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
        b.write(
            ('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        b.write(bytes);
        b.write('\r');
        b.write('\n');
      }
      out.write(b.toByteArray());
      out.flush();
      return read();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "redis " + address + ": " + args[0] + " failed: " + e.getMessage(), e);
    }
  }

  /** Sends a command whose reply is text (simple or bulk). */
  public String text(String... args) {
    Object r = call(args);
    return r == null ? null : r.toString();
  }

  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed");
    }
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new RedisError(address, line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          byte[] data = in.readNBytes(n);
          if (data.length < n || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("truncated bulk reply");
          }
          return new String(data, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            try {
              items.add(read());
            } catch (RedisError e) {
              items.add(e);
            }
          }
          return items;
        }
      default:
        throw new IOException("unexpected reply type '" + (char) type + "'");
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\r') {
        if (in.read() != '\n') {
          throw new IOException("malformed reply line");
        }
        return b.toString(StandardCharsets.UTF_8);
      }
      b.write(c);
    }
    throw new EOFException("connection closed");
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing: nothing left to do
    }
  }

  /** An error reply ({@code -ERR ...}, {@code -MOVED ...}, ...). */
  public static final class RedisError extends RuntimeException {
    private final String reply;

    RedisError(String address, String reply) {
      super("redis " + address + ": " + reply);
      this.reply = reply;
    }

    /** The error reply as the server sent it, such as {@code MOVED 3999 127.0.0.1:6381}. */
    public String reply() {
      return reply;
    }
  }
}
