package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {
  @TempDir Path dir;

  private static SecureRandom seeded() throws NoSuchAlgorithmException {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(42L);
    return r;
  }

  @Test
  void theFirstStartCreatesA256BitTokenReadableByTheOwnerOnly() throws Exception {
    Path data = dir.resolve("data");
    Tokens.Token token = Tokens.loadOrCreate(data, seeded());

    byte[] expected = new byte[32];
    seeded().nextBytes(expected);
    assertThat(token.created()).isTrue();
    assertThat(token.value())
        .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(expected));
    Path file = data.resolve("token");
    assertThat(Files.readString(file).strip()).isEqualTo(token.value());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var left = Files.list(data)) {
      assertThat(left).containsExactly(file);
    }
  }

  @Test
  void laterStartsReadTheSameTokenAndDoNotCreateIt() throws Exception {
    Tokens.Token first = Tokens.loadOrCreate(dir, seeded());
    Tokens.Token second = Tokens.loadOrCreate(dir, new SecureRandom());
    assertThat(second.created()).isFalse();
    assertThat(second.value()).isEqualTo(first.value());
  }

  @Test
  void aTokenNeverPrintsItsValue() throws Exception {
    Tokens.Token token = Tokens.loadOrCreate(dir, seeded());
    assertThat(token.toString()).doesNotContain(token.value());
  }

  @Test
  void aFileWithoutATokenIsAnErrorNamingIt() throws IOException {
    Files.writeString(dir.resolve("token"), "\n");
    assertThatThrownBy(() -> Tokens.loadOrCreate(dir, new SecureRandom()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir.resolve("token").toString())
        .hasMessageContaining("holds no token");
  }

  @Test
  void tokensMatchOnlyWhenEqual() {
    String t = "abcdefghijklmnopqrstuvwxyz012345";
    assertThat(Tokens.matches(t, t)).isTrue();
    assertThat(Tokens.matches(t, t.substring(1))).isFalse();
    assertThat(Tokens.matches(t, t + "x")).isFalse();
    assertThat(Tokens.matches(t, "")).isFalse();
    assertThat(Tokens.matches(t, null)).isFalse();
  }
}
