package io.flotilla.sandbox.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedisSlotsTest {
  @ParameterizedTest
  @CsvSource({
    "'', 0x0000",
    "123456789, 0x31C3",
    "a, 0x7C87",
  })
  void crc16IsXmodem(String text, String expected) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    assertThat(RedisSlots.crc16(bytes, 0, bytes.length)).isEqualTo(Integer.decode(expected));
  }

  @ParameterizedTest
  @CsvSource({
    // CLUSTER KEYSLOT answers, from Redis's documentation
    "foo, 12182",
    "somekey, 11058",
    "foo{hash_tag}, 2515",
    "bar{hash_tag}, 2515",
    // a hash tag hashes only what lies between the braces
    "{foo}, 12182",
    "{foo}.anything, 12182",
    "x{foo}y{bar}, 12182",
  })
  void slotsAsRedisComputesThem(String key, int expected) {
    assertThat(RedisSlots.slot(key)).as(key).isEqualTo(expected);
  }

  @Test
  void theFirstClosingBraceEndsTheTag() {
    byte[] tag = "{foo".getBytes(StandardCharsets.UTF_8);
    assertThat(RedisSlots.slot("{{foo}}zap"))
        .isEqualTo(RedisSlots.crc16(tag, 0, tag.length) % 16384)
        .isNotEqualTo(RedisSlots.slot("foo"));
  }

  @Test
  void keysWithTheSameHashTagShareASlot() {
    assertThat(RedisSlots.slot("{user1000}.following"))
        .isEqualTo(RedisSlots.slot("{user1000}.followers"))
        .isEqualTo(RedisSlots.slot("user1000"));
    assertThat(RedisSlots.slot("user1000.following"))
        .as("without braces the whole key is hashed")
        .isNotEqualTo(RedisSlots.slot("user1000.followers"));
  }

  @Test
  void anEmptyOrUnclosedTagHashesTheWholeKey() {
    byte[] empty = "foo{}{bar}".getBytes(StandardCharsets.UTF_8);
    assertThat(RedisSlots.slot("foo{}{bar}"))
        .isEqualTo(RedisSlots.crc16(empty, 0, empty.length) % 16384)
        .isNotEqualTo(RedisSlots.slot("bar"));
    byte[] unclosed = "foo{bar".getBytes(StandardCharsets.UTF_8);
    assertThat(RedisSlots.slot("foo{bar"))
        .isEqualTo(RedisSlots.crc16(unclosed, 0, unclosed.length) % 16384);
  }

  @Test
  void slotsStayInRange() {
    for (int n = 0; n < 10_000; n++) {
      assertThat(RedisSlots.slot("demo:" + n)).isBetween(0, 16383);
    }
  }
}
