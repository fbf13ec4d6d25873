package io.flotilla.sandbox.workload;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's key slot: CRC16 (XMODEM: polynomial 0x1021, initial value 0) of the key, or of
 * its hash tag, modulo 16384. The hash tag is what lies between the first {@code '{'} and the first
 * {@code '}'} after it, when that is not empty; {@code "{user1000}.following"} and {@code
 * "{user1000}.followers"} share a slot. Pure.
 */
final class RedisSlots {
  /** The number of slots of a Redis Cluster. */
  static final int SLOTS = 16384;

  private RedisSlots() {}

  /** The slot of a key. */
  static int slot(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    int from = 0;
    int to = bytes.length;
    int open = indexOf(bytes, (byte) '{', 0);
    if (open >= 0) {
      int close = indexOf(bytes, (byte) '}', open + 1);
      if (close > open + 1) {
        from = open + 1;
        to = close;
      }
    }
    return crc16(bytes, from, to) % SLOTS;
  }

  /** CRC16 XMODEM of {@code bytes[from..to)}. */
  static int crc16(byte[] bytes, int from, int to) {
    int crc = 0;
    for (int k = from; k < to; k++) {
      crc ^= (bytes[k] & 0xff) << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xffff;
    }
    return crc;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int k = from; k < bytes.length; k++) {
      if (bytes[k] == b) {
        return k;
      }
    }
    return -1;
  }
}
