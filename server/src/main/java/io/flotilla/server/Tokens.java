package io.flotilla.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API's bearer token: generated into the data directory on first start (file {@code token},
 * readable by its owner only), read back on later starts, compared in constant time. Never logged.
 */
public final class Tokens {
  /** The token file's name in the data directory. */
  public static final String FILE_NAME = "token";

  /** Random bytes in a token: 256 bits. */
  static final int BYTES = 32;

  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{16,}");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private Tokens() {}

  /**
   * The token and whether this call created it (so that the caller prints it once). {@link
   * #toString()} hides the value so that it cannot reach a log by accident.
   */
  public record Token(String value, boolean created) {
    @Override
    public String toString() {
      return "Token[created=" + created + "]";
    }
  }

  /** As {@link #loadOrCreate(Path, SecureRandom)} with a new {@link SecureRandom}. */
  public static Token loadOrCreate(Path dataDir) throws IOException {
    return loadOrCreate(dataDir, new SecureRandom());
  }

  /**
   * Reads {@code <dataDir>/token}, or creates it (with the directory) holding 32 random bytes from
   * {@code random} in unpadded base64url, mode 0600. The file appears whole or not at all: it is
   * written aside, flushed to disk and linked into place, so two replicas starting at once agree on
   * one token.
   *
   * @throws IOException when the file cannot be read or written, or holds no token
   */
  public static Token loadOrCreate(Path dataDir, SecureRandom random) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      return new Token(read(file), false);
    }
    Files.createDirectories(dataDir);
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Path temp = dataDir.resolve(FILE_NAME + "." + Long.toHexString(random.nextLong()) + ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(
              temp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              ownerOnly(dataDir))) {
        ch.write(java.nio.ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
      try {
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException lostTheRace) {
        return new Token(read(file), false);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return new Token(token, true);
  }

  private static FileAttribute<?>[] ownerOnly(Path dir) {
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }

  private static String read(Path file) throws IOException {
    String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (!BASE64URL.matcher(token).matches()) {
      throw new IOException(
          file
              + " holds no token (expected base64url text of at least 16 characters);"
              + " delete it to have a new one generated");
    }
    return token;
  }

  /**
   * Whether {@code given} is {@code expected}, in time that does not depend on where they differ
   * (both are hashed first, so not on their lengths either).
   */
  public static boolean matches(String expected, String given) {
    if (given == null) {
      return false;
    }
    return MessageDigest.isEqual(sha256(expected), sha256(given));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
