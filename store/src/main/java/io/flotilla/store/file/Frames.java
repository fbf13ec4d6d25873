package io.flotilla.store.file;

import io.flotilla.store.StoreException;
import io.flotilla.store.StoreException.Reason;
import io.flotilla.store.WriteRules;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The framing of the store's files: an 8-byte magic naming the file's kind and format version, then
 * records, each a 4-byte big-endian payload length, the payload's 4-byte CRC32C, and the payload.
 * Reading tells a torn tail (the last record cut short or garbled, a write that was never
 * acknowledged) from corruption before it (an acknowledged record damaged: refused).
 */
final class Frames {
  /** Bytes before each payload: its length and its CRC32C. */
  static final int HEADER = 8;

  /** The largest payload a record may have: an object at the size limit and a little more. */
  static final int MAX_PAYLOAD = WriteRules.MAX_OBJECT_BYTES * 4 + 1024;

  private Frames() {}

  /** One record framed: length, CRC32C, payload. */
  static ByteBuffer frame(byte[] payload) {
    ByteBuffer out = ByteBuffer.allocate(HEADER + payload.length);
    out.putInt(payload.length);
    out.putInt(crc(payload, 0, payload.length));
    out.put(payload);
    return out.flip();
  }

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /**
   * The records of a file's bytes, and where the valid part ends.
   *
   * @param file named in errors
   * @param magic the file must start with
   * @param tailMayBeTorn whether the file is the one last written, whose last record may be a write
   *     cut short by a crash; in any other file every record must be whole
   * @throws StoreException IO when the file is not of this kind, or a record before the last is
   *     damaged, or (when the tail may not be torn) any record is
   */
  static Read read(Path file, byte[] bytes, byte[] magic, boolean tailMayBeTorn) {
    if (bytes.length < magic.length) {
      if (tailMayBeTorn && Arrays.equals(bytes, Arrays.copyOf(magic, bytes.length))) {
        return new Read(List.of(), 0, true);
      }
      throw corrupt(file, 0, "it is shorter than its " + magic.length + "-byte header");
    }
    if (!Arrays.equals(Arrays.copyOf(bytes, magic.length), magic)) {
      throw corrupt(file, 0, "it does not start with \"" + new String(magic) + "\"");
    }
    List<byte[]> records = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int at = magic.length;
    while (at < bytes.length) {
      int remaining = bytes.length - at;
      String problem = null;
      boolean reachesTheEnd = false;
      if (remaining < HEADER) {
        problem = "a record header is cut short";
        reachesTheEnd = true;
      } else {
        int length = in.getInt(at);
        int crc = in.getInt(at + 4);
        if (length <= 0 || length > MAX_PAYLOAD) {
          problem = "a record claims " + length + " bytes";
          reachesTheEnd = zeroFrom(bytes, at);
        } else if (remaining - HEADER < length) {
          problem = "a record of " + length + " bytes is cut short";
          reachesTheEnd = true;
        } else if (crc(bytes, at + HEADER, length) != crc) {
          problem = "a record's CRC32C does not match";
          reachesTheEnd = remaining - HEADER == length;
        } else {
          records.add(Arrays.copyOfRange(bytes, at + HEADER, at + HEADER + length));
          at += HEADER + length;
          continue;
        }
      }
      if (tailMayBeTorn && reachesTheEnd) {
        return new Read(records, at, true);
      }
      throw corrupt(file, at, problem);
    }
    return new Read(records, at, false);
  }

  private static boolean zeroFrom(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  static StoreException corrupt(Path file, long offset, String problem) {
    return new StoreException(
        Reason.IO,
        null,
        "the store file "
            + file
            + " is damaged at byte "
            + offset
            + ": "
            + problem
            + "; refusing to open rather than lose acknowledged changes (restore the data"
            + " directory from a backup)");
  }

  /**
   * A file's whole records and where they end.
   *
   * @param validEnd the offset after the last whole record (0 when even the magic is cut short)
   * @param torn whether bytes after {@code validEnd} are a torn tail to cut off
   */
  record Read(List<byte[]> records, long validEnd, boolean torn) {}
}
